// The console's store is IndexedDB: an in-memory one stands in for the browser's.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import type { BenchmarkRun } from '@core/benchmark-run.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIdbOutboxStore } from './idb-outbox-store.ts';
import { type DeliveryAnswer, RunOutbox } from './run-outbox.ts';
import { makeRun } from './testing/benchmark-runs.ts';

const outboxes: RunOutbox[] = [];
afterEach(() => {
  for (const outbox of outboxes.splice(0)) outbox.stop();
});

/** A real IndexedDB-backed outbox (fake-indexeddb) with a scriptable server. */
function outbox(
  store = createIdbOutboxStore(`test-${randomUUID()}`),
  deliver = vi.fn<(run: BenchmarkRun) => Promise<DeliveryAnswer>>(),
) {
  const box = new RunOutbox({ store, deliver, backoffMs: () => 20 });
  outboxes.push(box);
  return { box, store, deliver };
}

describe('RunOutbox', () => {
  it('stores the run before sending and forgets it once the server acknowledges it', async () => {
    const { box, store, deliver } = outbox();
    let storedWhileSending = 0;
    deliver.mockImplementation(async () => {
      storedWhileSending = (await store.all()).length;
      return { status: 201 };
    });
    const run = makeRun();
    await expect(box.submit(run)).resolves.toEqual({ outcome: 'saved' });
    expect(storedWhileSending).toBe(1);
    expect(deliver).toHaveBeenCalledWith(run);
    expect(await store.all()).toEqual([]);
    expect(box.getSnapshot()).toEqual([]);
  });

  it('retries with backoff while the function is down, and delivers once it is back', async () => {
    const { box, store, deliver } = outbox();
    deliver
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce({
        status: 502,
        message: 'edge function save-benchmark-run is not reachable',
      })
      .mockResolvedValueOnce({ status: 503, message: 'retry later' })
      .mockResolvedValueOnce({ status: 201 });
    const errors = new Set<string>();
    box.subscribe(() => {
      const error = box.getSnapshot()[0]?.lastError;
      if (error) errors.add(error);
    });
    await expect(box.submit(makeRun())).resolves.toEqual({ outcome: 'saved' });
    expect([...errors]).toEqual([
      'network error: Failed to fetch',
      '502: edge function save-benchmark-run is not reachable',
      '503: retry later',
    ]);
    expect(deliver).toHaveBeenCalledTimes(4);
    expect(await store.all()).toEqual([]);
  });

  it('keeps a refused run with the server message, for the user to see and export', async () => {
    const { box, store, deliver } = outbox();
    deliver.mockResolvedValue({
      status: 400,
      message: 'conversation_history.0.speaker: Invalid option',
    });
    const run = makeRun();
    await expect(box.submit(run)).resolves.toEqual({
      outcome: 'rejected',
      message: 'conversation_history.0.speaker: Invalid option',
    });
    expect(deliver).toHaveBeenCalledTimes(1);
    expect(box.getSnapshot()).toEqual([
      expect.objectContaining({
        state: 'rejected',
        lastError: '400: conversation_history.0.speaker: Invalid option',
        run,
      }),
    ]);
    expect(await store.all()).toHaveLength(1);

    await box.discard(run.run_id);
    expect(await store.all()).toEqual([]);
  });

  it('delivers what a previous page left behind (reload, closed tab)', async () => {
    const first = outbox();
    first.deliver.mockRejectedValue(new TypeError('Failed to fetch'));
    const run = makeRun();
    void first.box.submit(run);
    await vi.waitFor(() => expect(first.deliver).toHaveBeenCalled());
    first.box.stop(); // the tab goes away

    const second = outbox(first.store);
    second.deliver.mockResolvedValue({ status: 201 });
    await second.box.init();
    await vi.waitFor(async () => expect(await first.store.all()).toEqual([]));
    expect(second.deliver).toHaveBeenCalledWith(run);
  });

  it('takes an "already stored" answer (200) as delivered, so duplicate delivery is harmless', async () => {
    const { box, store, deliver } = outbox();
    deliver.mockResolvedValue({ status: 200 });
    await expect(box.submit(makeRun())).resolves.toEqual({ outcome: 'saved' });
    expect(await store.all()).toEqual([]);
  });

  it('retries a refused run on request', async () => {
    const { box, deliver } = outbox();
    deliver
      .mockResolvedValueOnce({ status: 409, message: 'conflict' })
      .mockResolvedValueOnce({ status: 201 });
    const run = makeRun();
    await box.submit(run);
    box.retry(run.run_id);
    await vi.waitFor(() => expect(box.getSnapshot()).toEqual([]));
  });
});

describe('RunOutbox lifecycle', () => {
  it('works again after stop and init (a remounted page)', async () => {
    const { box, deliver } = outbox();
    deliver.mockResolvedValue({ status: 201 });
    box.stop();
    await box.init();
    await expect(box.submit(makeRun())).resolves.toEqual({ outcome: 'saved' });
  });
});

describe('RunOutbox delivery notices', () => {
  it('tells listeners about each stored run, and not about refused ones', async () => {
    const { box, deliver } = outbox();
    const delivered: string[] = [];
    box.onDelivered((run) => delivered.push(run.run_id));
    const saved = makeRun();
    const refused = makeRun();
    deliver.mockImplementation(async (run) => ({
      status: run === saved ? 201 : 400,
      message: 'bad',
    }));
    await box.submit(saved);
    await box.submit(refused);
    expect(delivered).toEqual([saved.run_id]);
  });
});
