import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { LOCAL_PUBLISHABLE_KEY, repoRoot } from '../../config/env.ts';
import { syncScenarios } from '../../config/scenario-files.ts';
import { serveConsoleFor, startThrowawayStack } from '../../stack/throwaway-stack.ts';

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
    { functionsUrl: `${stack.apiUrl}/functions/v1`, anonKey: LOCAL_PUBLISHABLE_KEY },
    path.join(repoRoot, 'scenarios'),
  );
  const unsynced = synced.filter((result) => result.outcome !== 'new');
  if (unsynced.length > 0) throw new Error(`scenario sync failed: ${JSON.stringify(unsynced)}`);
  // The console as `npm start` serves it: the production build and its server.
  const outDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'realtime-bench-e2e-')), 'console');
  const { server } = await serveConsoleFor(stack.apiUrl, outDir);

  project.provide('webUrl', server.url);
  project.provide('e2eApiUrl', stack.apiUrl);
  project.provide('chromiumPath', chromiumPath);
  project.provide('distDir', outDir);
  return async () => {
    await server.close();
    rmSync(path.dirname(outDir), { recursive: true, force: true });
    await stack.dispose();
  };
}
