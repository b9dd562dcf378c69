import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  isLocalUrl,
  openAIFunctionEnv,
  parseOrigins,
  readStackEnv,
  repoRoot,
  stackApiKeys,
} from '../config/env.ts';
import { formatSyncResult, syncScenarios } from '../config/scenario-files.ts';
import { procStatFields } from './children.ts';
import { ensureConsoleBuild } from './console-build.ts';
import { serveConsole } from './console-server.ts';
import { assertPortFree } from './processes.ts';
import { type LocalStack, startLocalStack } from './stack.ts';

/**
 * `npm start`: the embedded Supabase stack (unless SUPABASE_URL points at
 * another one) and the production console, rebuilt when its sources or
 * settings changed. `npm run dev` (`--dev`): the console on Vite's dev server
 * instead, with hot reload.
 */
async function main(): Promise<void> {
  const started = performance.now();
  const { values: flags } = parseArgs({ options: { dev: { type: 'boolean', default: false } } });
  const env = readStackEnv();
  const external = env.SUPABASE_URL && !isLocalUrl(env.SUPABASE_URL, env.BENCH_API_PORT);

  let stack: LocalStack | undefined;
  let web: { close(): Promise<void> } | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await web?.close().catch(() => {});
    await stack?.stop().catch((error) => console.error(String(error)));
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGHUP', () => void shutdown(0));
  // A bug must not orphan the services: stop them, then exit.
  const crash = (error: unknown) => {
    console.error(
      `\nRealtime Bench failed: ${error instanceof Error ? error.stack : String(error)}`,
    );
    void shutdown(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  // `npm start` does not pass SIGTERM on to its script: stop when npm is gone.
  watchAncestors(() => void shutdown(0));

  try {
    await assertPortFree(env.BENCH_WEB_PORT, 'console', 'BENCH_WEB_PORT');
    if (!external) {
      stack = await startLocalStack({
        dataDir: env.BENCH_DATA_DIR,
        dbPort: env.BENCH_DB_PORT,
        apiPort: env.BENCH_API_PORT,
        jwtSecret: env.JWT_SECRET,
        apiKeys: stackApiKeys(env),
        allowedOrigins: parseOrigins(env.CORS_ALLOWED_ORIGINS),
        maxBodyBytes: env.SAVE_RUN_MAX_BYTES,
        functionEnv: {
          ...openAIFunctionEnv(process.env),
          SAVE_RUN_MAX_CONCURRENT: env.SAVE_RUN_MAX_CONCURRENT?.toString(),
          SAVE_RUN_MAX_BUFFERED_BYTES: env.SAVE_RUN_MAX_BUFFERED_BYTES?.toString(),
        },
        log: (line) => console.log(`  ${line}`),
      });
    }
    const apiUrl = external ? (env.SUPABASE_URL as string) : (stack as LocalStack).apiUrl;
    const endpoint = {
      functionsUrl: `${apiUrl}/functions/v1`,
      anonKey: env.SUPABASE_PUBLISHABLE_KEY,
    };
    for (const result of await syncScenarios(endpoint, env.BENCH_SCENARIOS_DIR)) {
      console.log(`  scenario    ${formatSyncResult(result)}`);
    }

    const consoleEnv = {
      VITE_SUPABASE_URL: apiUrl,
      VITE_SUPABASE_PUBLISHABLE_KEY: env.SUPABASE_PUBLISHABLE_KEY,
    };
    if (flags.dev) {
      web = await startDevServer(consoleEnv, env.BENCH_WEB_PORT);
    } else {
      const build = await ensureConsoleBuild({ outDir: env.BENCH_CONSOLE_DIR, env: consoleEnv });
      console.log(
        build.rebuilt
          ? `  console    built in ${(build.ms / 1000).toFixed(1)} s (${build.rebuilt})`
          : '  console    build up to date',
      );
      web = await serveConsole({ dir: build.outDir, host: '127.0.0.1', port: env.BENCH_WEB_PORT });
    }

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`\nRealtime Bench is up in ${seconds} s`);
    console.log(
      `  console    http://127.0.0.1:${env.BENCH_WEB_PORT}/${flags.dev ? ' (Vite dev server, hot reload)' : ''}`,
    );
    console.log(`  results    http://127.0.0.1:${env.BENCH_WEB_PORT}/results`);
    console.log(`  API        ${apiUrl}${external ? ' (external Supabase)' : ''}`);
    if (stack) {
      console.log(`  save run   POST ${apiUrl}/functions/v1/save-benchmark-run`);
      console.log(`  database   ${stack.dbUrl}`);
      console.log(`  data       ${env.BENCH_DATA_DIR} (logs in ${stack.logsDir})`);
    }
    console.log('Press Ctrl-C to stop.');
  } catch (error) {
    console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

/** Vite's dev server, with hot reload, for working on the console (`npm run dev`). */
async function startDevServer(
  consoleEnv: Record<string, string>,
  port: number,
): Promise<{ close(): Promise<void> }> {
  Object.assign(process.env, consoleEnv);
  const { createServer } = await import('vite');
  const vite = await createServer({
    configFile: `${repoRoot}/vite.config.ts`,
    server: { host: '127.0.0.1', port, strictPort: true },
  });
  await vite.listen();
  return vite;
}

/**
 * npm runs the script through `sh -c`, so npm is our grandparent: poll the
 * parent and grandparent and stop as soon as either is gone.
 */
function watchAncestors(onGone: () => void): void {
  const parentOf = (pid: number): number | undefined => {
    const ppid = procStatFields(pid)?.[1];
    return ppid === undefined ? undefined : Number(ppid);
  };
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  setInterval(() => {
    const parentGone = process.ppid !== parent;
    const grandparentGone =
      grandparent !== undefined && grandparent > 1 && parentOf(parent) !== grandparent;
    if (parentGone || grandparentGone) onGone();
  }, 500).unref();
}

void main();
