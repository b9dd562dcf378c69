import net from 'node:net';
import { makeRun } from '@engine/testing/benchmark-runs.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_ANON_KEY } from '../../config/env.ts';
import { startThrowawayStack } from '../../stack/throwaway-stack.ts';

/** A stack of its own: 400 hostile clients must not disturb the other test files. */
const stack = await startThrowawayStack('abuse');
const port = Number(new URL(stack.apiUrl).port);
const attackers: net.Socket[] = [];
afterAll(async () => {
  for (const socket of attackers) socket.destroy();
  await stack.dispose();
});

const SAVE = '/functions/v1/save-benchmark-run';
const TABLE = '/rest/v1/benchmark_runs';

/** Request headers for an upload of `length` bytes that will never all arrive. */
const uploadHead = (path: string, length: number) =>
  `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\napikey: ${LOCAL_ANON_KEY}\r\n` +
  `authorization: Bearer ${LOCAL_ANON_KEY}\r\ncontent-type: application/json\r\n` +
  `content-length: ${length}\r\n\r\n`;

function connect(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends the headers and part of a body, then goes away, as a closed tab or a Ctrl-C'd runner. */
async function abortMidUpload(path: string): Promise<void> {
  const socket = await connect();
  socket.on('error', () => {});
  await new Promise<void>((resolve) =>
    socket.write(`${uploadHead(path, 512 * 1024)}{"run_id":"${'x'.repeat(64 * 1024)}`, () =>
      resolve(),
    ),
  );
  socket.destroy();
}

/** Sends the headers, then one byte of the body every half second, for as long as the test runs. */
async function trickle(path: string): Promise<void> {
  const socket = await connect();
  socket.on('error', () => {});
  attackers.push(socket);
  socket.write(`${uploadHead(path, 100_000)}{`);
  const drip = setInterval(() => socket.write(' '), 500);
  socket.once('close', () => clearInterval(drip));
}

const save = (run: unknown) =>
  fetch(`${stack.apiUrl}${SAVE}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${LOCAL_ANON_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(run),
    signal: AbortSignal.timeout(15_000),
  });
const read = (runId: string) =>
  fetch(`${stack.apiUrl}${TABLE}?select=run_id&run_id=eq.${runId}`, {
    headers: { apikey: LOCAL_ANON_KEY },
    signal: AbortSignal.timeout(15_000),
  });

describe('the stack under aborted and trickled uploads', () => {
  it('keeps saving and reading while 200 clients abort mid-upload and 200 more trickle bytes', async () => {
    const paths = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? SAVE : TABLE));
    await Promise.all(paths(200).map(abortMidUpload));
    await Promise.all(paths(200).map(trickle));
    // Let every abort land and every trickle get going before the honest clients come.
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const runs = Array.from({ length: 40 }, () => makeRun());
    for (let i = 0; i < runs.length; i += 8) {
      const batch = runs.slice(i, i + 8);
      const statuses = await Promise.all(batch.map((run) => save(run).then((r) => r.status)));
      expect(statuses).toEqual(batch.map(() => 201));
      const reads = await Promise.all(batch.map((run) => read(run.run_id).then((r) => r.json())));
      expect(reads).toEqual(batch.map((run) => [{ run_id: run.run_id }]));
    }
    // The trickling clients are still connected, still waiting: they were never in the way.
    expect(attackers.filter((socket) => !socket.destroyed)).toHaveLength(200);
  }, 120_000);
});
