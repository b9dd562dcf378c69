import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../config/env.ts';
import { freePort } from './processes.ts';

/**
 * `npm run dev` serves the console from Vite's dev server, which reads files
 * by absolute path over /@fs. Any local page or process can ask it for any
 * path: only the console's own code may come back.
 */
describe('the Vite dev server of npm run dev', () => {
  let vite: ViteDevServer;
  let base: string;
  const cleanup: string[] = [];
  const get = (pathname: string) => fetch(`${base}${pathname}`);

  /** Writes a probe file, creating its folders; everything made here is removed afterwards. */
  const probe = (file: string, content: string) => {
    let made = path.dirname(file);
    while (!existsSync(path.dirname(made))) made = path.dirname(made);
    if (!existsSync(made)) cleanup.push(made);
    else if (!existsSync(file)) cleanup.push(file);
    mkdirSync(path.dirname(file), { recursive: true });
    if (!existsSync(file)) writeFileSync(file, content);
  };

  const dataFile = path.join(
    repoRoot,
    '.bench-data',
    'logs',
    `dev-server-probe-${process.pid}.log`,
  );
  const pgFile = path.join(repoRoot, '.bench-data', 'postgres', `dev-server-probe-${process.pid}`);
  const outboxFile = path.join(repoRoot, '.bench-outbox', `dev-server-probe-${process.pid}.json`);
  const envFile = path.join(repoRoot, '.env');

  beforeAll(async () => {
    probe(dataFile, 'postgres log line\n');
    probe(pgFile, 'SCRAM-SHA-256$4096:probe\n');
    probe(outboxFile, '{"run_id":"probe"}');
    // Only a comment, should the file not exist: readers of .env find nothing in it.
    probe(envFile, '# probe for the dev server test\n');
    const port = await freePort();
    vite = await createServer({
      configFile: path.join(repoRoot, 'vite.config.ts'),
      logLevel: 'silent',
      server: { port, strictPort: true, hmr: false, watch: null },
    });
    await vite.listen();
    base = `http://127.0.0.1:${port}`;
  }, 60_000);

  afterAll(async () => {
    await vite?.close();
    for (const made of cleanup.reverse()) rmSync(made, { recursive: true, force: true });
  });

  it('serves the console and the code it imports from outside web/', async () => {
    expect((await get('/src/main.tsx')).status).toBe(200);
    const shared = path.join(repoRoot, 'core/benchmark-run.ts');
    expect((await get(`/@fs${shared}`)).status).toBe(200);
    expect((await get(`/@fs${path.join(repoRoot, 'node_modules/react/index.js')}`)).status).toBe(
      200,
    );
  });

  const migration = readdirSync(path.join(repoRoot, 'supabase', 'migrations'))[0] as string;
  it.each([
    ['the data folder (logs)', dataFile],
    ['the data folder (Postgres files)', pgFile],
    ['the outbox', outboxFile],
    ['.env', envFile],
    ['package.json', path.join(repoRoot, 'package.json')],
    ['the stack', path.join(repoRoot, 'stack', 'gateway.ts')],
    ['the settings', path.join(repoRoot, 'config', 'env.ts')],
    ['the functions', path.join(repoRoot, 'supabase', 'functions', '_shared', 'function-env.ts')],
    ['the migrations', path.join(repoRoot, 'supabase', 'migrations', migration)],
  ])('refuses %s over /@fs, however asked', async (_, file) => {
    for (const suffix of ['', '?raw', '?import', '?url', '?import&raw', '?raw??']) {
      const response = await get(`/@fs${file}${suffix}`);
      expect([403, 404], `${file}${suffix}`).toContain(response.status);
      expect(await response.text()).not.toMatch(/postgres log line|SCRAM|run_id|probe for|"name"/);
    }
  });
});
