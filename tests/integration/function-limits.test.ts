// save-benchmark-run, the function that takes the largest requests, within the
// limits of a hosted Supabase edge function (docs: supabase.com/docs/guides/functions/limits):
// 256 MB of memory and 2 s of CPU time per request. Served by Deno as the stack
// serves it (a 128 MB old space, see stack/functions.ts) and measured from /proc:
// the process's peak resident memory bounds what its isolate used, and its user
// plus system CPU time bounds the request's. What this does not prove: docs/deploy.md.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_MAX_BODY_BYTES } from '@core/run-constants.ts';
import { makeLargeRun } from '@engine/testing/benchmark-runs.ts';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { LOCAL_PUBLISHABLE_KEY } from '../../config/env.ts';
import { type FunctionHandle, startFunction } from '../../stack/functions.ts';
import {
  HOSTED_FUNCTION_LIMITS,
  peakMemoryMb,
  cpuSeconds as processCpuSeconds,
} from '../../stack/process-usage.ts';
import { clockEnv } from '../../stack/processes.ts';

const { memoryMb: HOSTED_MEMORY_MB, cpuSeconds: HOSTED_CPU_SECONDS } = HOSTED_FUNCTION_LIMITS;

let fn: FunctionHandle;
let logsDir: string;

/** Peak resident memory of the function's process so far, in MB. */
const pid = () => {
  if (fn.pid === undefined) throw new Error('the function is not running');
  return fn.pid;
};
const peakMb = () => peakMemoryMb(pid());
/** CPU seconds (user + system) the function's process has used. */
const cpuSeconds = () => processCpuSeconds(pid());

/** The largest run body the function accepts (just under its limit), with a new run id. */
function largestBody(): string {
  const perEvent = JSON.stringify(makeLargeRun(1).event_log[0]).length + 1;
  let events = Math.floor(DEFAULT_MAX_BODY_BYTES / perEvent);
  let body = '';
  do {
    body = JSON.stringify({ ...makeLargeRun(events), run_id: crypto.randomUUID() });
    events -= 50;
  } while (Buffer.byteLength(body) > DEFAULT_MAX_BODY_BYTES);
  return body;
}

const post = (body: string) =>
  fetch(`http://127.0.0.1:${fn.port}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: LOCAL_PUBLISHABLE_KEY },
    body,
  });

beforeAll(async () => {
  logsDir = mkdtempSync(path.join(os.tmpdir(), 'realtime-bench-limits-'));
  fn = await startFunction('save-benchmark-run', {
    logsDir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DENO_DIR: process.env.DENO_DIR,
      DENO_TLS_CA_STORE: process.env.DENO_TLS_CA_STORE ?? 'mozilla,system',
      SUPABASE_DB_URL: inject('dbUrl'),
      SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: LOCAL_PUBLISHABLE_KEY }),
      SAVE_RUN_MAX_BYTES: String(DEFAULT_MAX_BODY_BYTES),
      ...clockEnv(),
    },
  });
}, 120_000);

afterAll(async () => {
  await fn?.stop();
  rmSync(logsDir, { recursive: true, force: true });
});

it(`stores the largest run it accepts within ${HOSTED_MEMORY_MB} MB and ${HOSTED_CPU_SECONDS} s of CPU per request`, async () => {
  const bodies = [largestBody(), largestBody()];
  expect(Buffer.byteLength(bodies[0] as string)).toBeGreaterThan(DEFAULT_MAX_BODY_BYTES * 0.99);
  // The first request pays for compiling the handler, as a cold hosted worker does.
  for (const body of bodies) {
    const before = cpuSeconds();
    const response = await post(body);
    expect(response.status).toBe(201);
    const used = cpuSeconds() - before;
    expect(used).toBeLessThan(HOSTED_CPU_SECONDS);
  }
  expect(peakMb()).toBeLessThan(HOSTED_MEMORY_MB);
}, 60_000);

it('refuses a body one byte over its limit with 413', async () => {
  const response = await post('x'.repeat(DEFAULT_MAX_BODY_BYTES + 1));
  expect(response.status).toBe(413);
  expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  expect(peakMb()).toBeLessThan(HOSTED_MEMORY_MB);
});
