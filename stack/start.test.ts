import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../config/env.ts';
import { IMMUTABLE } from './console-server.ts';
import { freePort, isListening } from './processes.ts';

/**
 * `npm start` against an external Supabase (so no local stack is started):
 * it builds the console and serves it as users get it.
 */
describe('npm start serves the production console', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'start-test-'));
  const apiUrl = 'http://127.0.0.1:9';
  let port: number;
  let child: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;
  const get = (pathname: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${port}${pathname}`, { headers });

  beforeAll(async () => {
    port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'stack/start.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        SUPABASE_URL: apiUrl,
        SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_for_start_test',
        SUPABASE_ANON_KEY: '',
        BENCH_WEB_PORT: String(port),
        BENCH_CONSOLE_DIR: path.join(tmp, 'console'),
        BENCH_SCENARIOS_DIR: mkdtempSync(path.join(tmp, 'scenarios-')),
        NODE_ENV: 'test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Press Ctrl-C to stop.')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      void exited.then((code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
    });
  }, 120_000);

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  });

  it('builds the console and says so', () => {
    expect(output).toMatch(/console {4}built in [\d.]+ s \(no build yet\)/);
    expect(output).toContain(`console    http://127.0.0.1:${port}/\n`);
  });

  it('serves the built index, revalidated on every load', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html;charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const html = await response.text();
    // The built page, not Vite's dev index (which loads /src/main.tsx).
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);
    expect(html).not.toContain('/src/main.tsx');
  });

  it('answers a deep link with the index, for the client router', async () => {
    const index = await (await get('/')).text();
    for (const route of [
      '/results',
      '/results/0b6e1c53-4a55-4d0c-9e34-5b2a7f3c9d10',
      '/trends?scenario=x',
    ]) {
      const response = await get(route);
      expect(response.status, route).toBe(200);
      expect(await response.text(), route).toBe(index);
    }
  });

  it('serves hashed assets compressed and cached for good, with the API baked in', async () => {
    const html = await (await get('/')).text();
    const entry = html.match(/src="(\/assets\/index-[\w-]+\.js)"/)?.[1] as string;
    const response = await get(entry, { 'accept-encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(response.headers.get('content-type')).toBe('text/javascript');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    // fetch decodes the body; the gzip copy is what went over the wire.
    const code = await response.text();
    expect(code).toContain(apiUrl);
    expect(code.length).toBeGreaterThan(Number(response.headers.get('content-length')));
  });

  it('answers 404 for a missing asset and for files outside the build', async () => {
    expect((await get('/assets/index-0000000.js')).status).toBe(404);
    expect((await get('/.build-inputs.json')).status).toBe(404);
    expect((await get('/package.json')).status).toBe(404);
  });

  it('stops on Ctrl-C and frees its port', async () => {
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('stopping…');
    expect(await isListening(port)).toBe(false);
  });
});
