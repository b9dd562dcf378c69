import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunOutbox } from '@engine/run-outbox.ts';
import { postRun } from '@engine/save-run-client.ts';
import { makeRun } from '@engine/testing/benchmark-runs.ts';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_ANON_KEY } from '../../config/env.ts';
import { createFileOutboxStore } from '../../runner/file-outbox-store.ts';
import { type LocalStack, startLocalStack } from '../../stack/stack.ts';
import { throwawayStackOptions } from '../../stack/throwaway-stack.ts';

/** A stack of its own, so killing its processes leaves the shared one alone. */
const options = await throwawayStackOptions('faults');
let stack: LocalStack = await startLocalStack(options);
afterAll(async () => {
  await stack.stop();
  rmSync(options.dataDir, { recursive: true, force: true });
});

const save = (body: unknown) =>
  fetch(`${stack.apiUrl}/functions/v1/save-benchmark-run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${LOCAL_ANON_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** What the console's outbox does: retry transient failures until the server answers 200/201. */
async function saveUntilAcknowledged(body: unknown, timeoutMs = 20_000): Promise<number[]> {
  const statuses: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await save(body).then(
      (response) => response.status,
      () => 0,
    );
    statuses.push(status);
    if (status === 200 || status === 201) return statuses;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`never acknowledged: ${statuses.join(', ')}`);
}

async function copies(runId: string): Promise<number> {
  const sql = postgres(stack.dbUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] =
      await sql`select count(*)::int as n from public.benchmark_runs where run_id = ${runId}`;
    return row?.n ?? -1;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

describe('faults of the local stack', () => {
  it('starts a killed function again; a retried save lands once', async () => {
    const before = stack.pids().functions['save-benchmark-run'] as number;
    process.kill(before, 'SIGKILL');
    const run = makeRun();
    const statuses = await saveUntilAcknowledged(run);
    expect(statuses.at(-1)).toBe(201);
    expect(stack.pids().functions['save-benchmark-run']).not.toBe(before);
    expect(await copies(run.run_id)).toBe(1);
    // Delivered again, as an outbox might after a lost answer: still one row.
    expect((await save(run)).status).toBe(200);
    expect(await copies(run.run_id)).toBe(1);
  });

  it('answers 503 while Postgres is down, and a retried save lands once it is back', async () => {
    const killed = stack.pids().postgres as number;
    process.kill(killed, 'SIGKILL');
    const run = makeRun();
    const statuses = await saveUntilAcknowledged(run, 30_000);
    expect(statuses[0]).toBe(503);
    expect(statuses.at(-1)).toBe(201);
    // The save can land a moment before the supervisor records the new postmaster.
    await expect.poll(() => stack.pids().postgres).not.toBe(killed);
    expect(await copies(run.run_id)).toBe(1);
  });

  it('keeps runs in the outbox while the gateway is down for 30 s, then stores each once', async () => {
    const outboxDir = mkdtempSync(path.join(tmpdir(), 'bench-outbox-'));
    const endpoint = { functionsUrl: `${stack.apiUrl}/functions/v1`, anonKey: LOCAL_ANON_KEY };
    const outbox = new RunOutbox({
      store: createFileOutboxStore(outboxDir),
      deliver: (run) => postRun(endpoint, run),
      backoffMs: () => 1000,
    });
    try {
      await stack.stopGateway();
      const runs = [makeRun(), makeRun(), makeRun()];
      const settled = Promise.all(runs.map((run) => outbox.submit(run)));

      await new Promise((resolve) => setTimeout(resolve, 30_000));
      const waiting = outbox.getSnapshot();
      expect(waiting.map((entry) => entry.state)).not.toContain('rejected');
      expect(waiting).toHaveLength(3);
      expect(Math.min(...waiting.map((entry) => entry.attempts))).toBeGreaterThan(10);
      expect(waiting[0]?.lastError).toMatch(/network error/);
      expect(readdirSync(outboxDir)).toHaveLength(3);

      await stack.startGateway();
      expect(await settled).toEqual(runs.map(() => ({ outcome: 'saved' })));
      for (const run of runs) expect(await copies(run.run_id)).toBe(1);
      expect(readdirSync(outboxDir)).toEqual([]);
    } finally {
      outbox.stop();
      await stack.startGateway();
      rmSync(outboxDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('keeps every run across a clean restart and after Postgres is killed', async () => {
    const run = makeRun();
    expect((await save(run)).status).toBe(201);

    await stack.stop();
    stack = await startLocalStack(options);
    expect(await copies(run.run_id)).toBe(1);

    process.kill(stack.pids().postgres as number, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stack.stop();
    stack = await startLocalStack(options);
    expect(await copies(run.run_id)).toBe(1);
    expect((await save(makeRun())).status).toBe(201);
  });
});
