// The console's store is IndexedDB: an in-memory one stands in for the browser's.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import type { BenchmarkRun } from '@core/benchmark-run.ts';
import type { RunAudio } from '@core/run-audio.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIdbOutboxStore } from './idb-outbox-store.ts';
import { type DeliveryAnswer, RunOutbox } from './run-outbox.ts';
import { makeRun, makeRunAudio } from './testing/benchmark-runs.ts';

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

describe('RunOutbox with audio', () => {
  function audioOutbox(store = createIdbOutboxStore(`test-${randomUUID()}`)) {
    const deliver = vi.fn<(run: BenchmarkRun) => Promise<DeliveryAnswer>>();
    const deliverAudio = vi.fn<(audio: RunAudio) => Promise<DeliveryAnswer>>();
    const box = new RunOutbox({ store, deliver, deliverAudio, backoffMs: () => 20 });
    outboxes.push(box);
    return { box, store, deliver, deliverAudio };
  }

  it('keeps the audio with the run, sends it once the run is stored, and forgets both after', async () => {
    const { box, store, deliver, deliverAudio } = audioOutbox();
    const order: string[] = [];
    let storedAudio: RunAudio | undefined;
    deliver.mockImplementation(async () => {
      order.push('run');
      return { status: 201 };
    });
    deliverAudio.mockImplementation(async () => {
      order.push('audio');
      storedAudio = (await store.all())[0]?.audio;
      return { status: 201 };
    });
    const run = makeRun();
    const audio = makeRunAudio(run);
    await expect(box.submit(run, audio)).resolves.toEqual({ outcome: 'saved' });
    expect(order).toEqual(['run', 'audio']);
    expect(storedAudio).toEqual(audio);
    expect(deliverAudio).toHaveBeenCalledWith(audio);
    expect(await store.all()).toEqual([]);
  });

  it('retries only the audio while its function is down, across a reload, and never sends the run twice', async () => {
    const first = audioOutbox();
    first.deliver.mockResolvedValue({ status: 201 });
    first.deliverAudio
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValue({ status: 503, message: 'retry later' });
    const run = makeRun();
    const audio = makeRunAudio(run);
    void first.box.submit(run, audio);
    await vi.waitFor(() => expect(first.deliverAudio.mock.calls.length).toBeGreaterThanOrEqual(2));
    first.box.stop(); // the tab goes away

    const [left] = await first.store.all();
    expect(left).toMatchObject({ runStored: true, audio, lastError: '503: retry later' });

    const second = audioOutbox(first.store);
    second.deliverAudio.mockResolvedValue({ status: 200 });
    await second.box.init();
    await vi.waitFor(async () => expect(await first.store.all()).toEqual([]));
    expect(first.deliver).toHaveBeenCalledTimes(1);
    expect(second.deliver).not.toHaveBeenCalled();
    expect(second.deliverAudio).toHaveBeenCalledWith(audio);
  });

  it('counts the run saved when only its audio is refused, and keeps the audio for the user', async () => {
    const { box, deliver, deliverAudio } = audioOutbox();
    deliver.mockResolvedValue({ status: 201 });
    deliverAudio
      .mockResolvedValueOnce({ status: 413, message: 'audio: larger than 12 MiB' })
      .mockResolvedValueOnce({ status: 201 });
    const delivered: string[] = [];
    box.onDelivered((stored) => delivered.push(stored.run_id));
    const run = makeRun();
    await expect(box.submit(run, makeRunAudio(run))).resolves.toEqual({
      outcome: 'saved',
      message: 'the run is saved, but its audio was refused: audio: larger than 12 MiB',
    });
    expect(delivered).toEqual([run.run_id]);
    expect(box.getSnapshot()).toEqual([
      expect.objectContaining({
        state: 'rejected',
        runStored: true,
        lastError: 'audio 413: audio: larger than 12 MiB',
      }),
    ]);

    box.retry(run.run_id);
    await vi.waitFor(() => expect(box.getSnapshot()).toEqual([]));
    expect(deliver).toHaveBeenCalledTimes(1);
    expect(deliverAudio).toHaveBeenCalledTimes(2);
  });

  it('sends the run at once and its audio when the encoding is done', async () => {
    const { box, store, deliver, deliverAudio } = audioOutbox();
    deliver.mockResolvedValue({ status: 201 });
    deliverAudio.mockResolvedValue({ status: 201 });
    const run = makeRun();
    let encoded: (audio: RunAudio) => void = () => {};
    const settled = box.submit(run, new Promise<RunAudio>((resolve) => (encoded = resolve)));
    await vi.waitFor(() => expect(deliver).toHaveBeenCalledWith(run));
    await vi.waitFor(async () =>
      expect(await store.all()).toEqual([
        expect.objectContaining({ runStored: true, awaitingAudio: true, state: 'pending' }),
      ]),
    );
    expect(deliverAudio).not.toHaveBeenCalled();

    const audio = makeRunAudio(run);
    encoded(audio);
    await expect(settled).resolves.toEqual({ outcome: 'saved' });
    expect(deliverAudio).toHaveBeenCalledWith(audio);
    expect(await store.all()).toEqual([]);
  });

  it('forgets audio that was still encoding when the page went away, and finishes the run', async () => {
    const first = audioOutbox();
    first.deliver.mockRejectedValue(new TypeError('Failed to fetch'));
    const run = makeRun();
    void first.box.submit(run, new Promise<RunAudio>(() => {}));
    await vi.waitFor(() => expect(first.deliver).toHaveBeenCalled());
    first.box.stop();

    const second = audioOutbox(first.store);
    second.deliver.mockResolvedValue({ status: 201 });
    await second.box.init();
    await vi.waitFor(async () => expect(await first.store.all()).toEqual([]));
    expect(second.deliverAudio).not.toHaveBeenCalled();
  });

  it('never sends the audio of a refused run', async () => {
    const { box, deliver, deliverAudio } = audioOutbox();
    deliver.mockResolvedValue({ status: 400, message: 'bad run' });
    const run = makeRun();
    await expect(box.submit(run, makeRunAudio(run))).resolves.toEqual({
      outcome: 'rejected',
      message: 'bad run',
    });
    expect(deliverAudio).not.toHaveBeenCalled();
  });
});
