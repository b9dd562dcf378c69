import path from 'node:path';
import { parseArgs } from 'node:util';
import { LOCAL_ANON_KEY, LOCAL_PUBLISHABLE_KEY, readStackEnv, repoRoot } from '../config/env.ts';
import { ensureConsoleBuild } from './console-build.ts';

/**
 * `npm run build [-- --out-dir DIR]`: the console for a static host, in dist/, reading from the
 * Supabase project named by SUPABASE_URL and SUPABASE_PUBLISHABLE_KEY (environment
 * or .env, as for `npm start`).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'out-dir': { type: 'string', default: path.join(repoRoot, 'dist') } },
  });
  const env = readStackEnv();
  if (!env.SUPABASE_URL) {
    throw new Error(
      'set SUPABASE_URL (and SUPABASE_PUBLISHABLE_KEY) to the Supabase project the console will read from, e.g. SUPABASE_URL=https://<project-ref>.supabase.co',
    );
  }
  const local = ['127.0.0.1', 'localhost'].includes(new URL(env.SUPABASE_URL).hostname);
  const key = env.SUPABASE_PUBLISHABLE_KEY;
  if (!local && (key === LOCAL_PUBLISHABLE_KEY || key === LOCAL_ANON_KEY)) {
    throw new Error(
      `SUPABASE_PUBLISHABLE_KEY is the local demo key, which ${env.SUPABASE_URL} will refuse: set it to the project's publishable key (sb_publishable_…)`,
    );
  }
  const outDir = path.resolve(values['out-dir'] as string);
  const build = await ensureConsoleBuild({
    outDir,
    env: { VITE_SUPABASE_URL: env.SUPABASE_URL, VITE_SUPABASE_PUBLISHABLE_KEY: key },
    incremental: false,
  });
  console.log(
    `${path.relative(process.cwd(), outDir) || '.'}/: the console for ${env.SUPABASE_URL}, built in ${(build.ms / 1000).toFixed(1)} s`,
  );
}

main().catch((error: unknown) => {
  console.error(`npm run build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
