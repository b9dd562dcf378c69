import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, preview } from 'vite';
import type { TestProject } from 'vitest/node';
import { syncScenarios } from '../../runner/sync-scenarios.ts';
import { LOCAL_ANON_KEY, repoRoot } from '../../stack/config.ts';
import { freePort } from '../../stack/processes.ts';
import { startThrowawayStack } from '../../stack/throwaway-stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    webUrl: string;
    e2eApiUrl: string;
    chromiumPath: string;
    distDir: string;
  }
}

/** Debian's chromium; installed here when missing and we may (root), never a downloaded browser build. */
function ensureChromium(): string {
  const found = () =>
    spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
  let chromium = found();
  if (!chromium && process.getuid?.() === 0) {
    console.log('e2e: installing Debian chromium (apt-get)…');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    chromium = found();
  }
  if (!chromium) throw new Error('e2e tests need Debian chromium: run `apt-get install chromium`');
  return chromium;
}

/** The real stack, and the console built and served against it. */
export default async function setup(project: TestProject) {
  const chromiumPath = ensureChromium();
  // No OpenAI key: the console must default to the offline agents.
  const stack = await startThrowawayStack('e2e', { functionEnv: { OPENAI_API_KEY: '' } });
  // The example scenarios, as `npm start` syncs them.
  const synced = await syncScenarios(
    { functionsUrl: `${stack.apiUrl}/functions/v1`, anonKey: LOCAL_ANON_KEY },
    path.join(repoRoot, 'scenarios'),
  );
  const unsynced = synced.filter((result) => result.outcome !== 'new');
  if (unsynced.length > 0) throw new Error(`scenario sync failed: ${JSON.stringify(unsynced)}`);
  // The console as users deploy it: a production build, served by Vite's preview server.
  process.env.VITE_SUPABASE_URL = stack.apiUrl;
  process.env.VITE_SUPABASE_ANON_KEY = LOCAL_ANON_KEY;
  const configFile = path.join(repoRoot, 'vite.config.ts');
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'realtime-bench-e2e-dist-'));
  // Vitest sets NODE_ENV=test, which would give React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  await build({
    configFile,
    mode: 'production',
    build: { outDir, emptyOutDir: true },
    logLevel: 'warn',
  });
  process.env.NODE_ENV = nodeEnv;
  const webPort = await freePort();
  const server = await preview({
    configFile,
    build: { outDir },
    preview: { host: '127.0.0.1', port: webPort, strictPort: true },
    logLevel: 'warn',
  });

  project.provide('webUrl', `http://127.0.0.1:${webPort}`);
  project.provide('e2eApiUrl', stack.apiUrl);
  project.provide('chromiumPath', chromiumPath);
  project.provide('distDir', outDir);
  return async () => {
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    rmSync(outDir, { recursive: true, force: true });
    await stack.dispose();
  };
}
