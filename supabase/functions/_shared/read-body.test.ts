import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BodyAbortedError,
  BodyBudgetError,
  BodyTimeoutError,
  createByteBudget,
  ownBytes,
  readBodyWithLimit,
} from './read-body.ts';

const encoder = new TextEncoder();

function streamedRequest(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return new Request('http://functions.test/', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    duplex: 'half',
  } as RequestInit);
}

/** Sends `first`, then never another byte (an abandoned upload). */
function stalled(first: string, onCancel: () => void = () => {}) {
  let sent = false;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent) return new Promise<void>(() => {});
        sent = true;
        controller.enqueue(encoder.encode(first));
      },
      cancel: onCancel,
    },
    { highWaterMark: 0 },
  );
}

/** One byte every `everyMs`, for ever (a trickling upload). */
function trickle(everyMs: number) {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, everyMs));
        controller.enqueue(encoder.encode(' '));
      },
    },
    { highWaterMark: 0 },
  );
}

describe('readBodyWithLimit', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2026-11-20T10:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives up on a body that stops arriving, after the idle timeout, and cancels it', async () => {
    let cancelled = false;
    const reading = readBodyWithLimit(
      streamedRequest(stalled('{"run_id":', () => (cancelled = true))),
      1000,
      { idleTimeoutMs: 5_000, timeoutMs: 60_000 },
    );
    const outcome = reading.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(cancelled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(BodyTimeoutError);
    expect((error as BodyTimeoutError).kind).toBe('idle');
    expect(cancelled).toBe(true);
  });

  it('gives up on a body that keeps trickling, after the total timeout', async () => {
    const outcome = readBodyWithLimit(streamedRequest(trickle(1_000)), 1_000_000, {
      idleTimeoutMs: 5_000,
      timeoutMs: 30_000,
    }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(30_000);
    const error = await outcome;
    expect(error).toBeInstanceOf(BodyTimeoutError);
    expect((error as BodyTimeoutError).kind).toBe('total');
    expect((error as Error).message).toBe('the body did not arrive within 30000 ms');
  });

  it('reads a body that arrives in slow parts, each within the idle timeout', async () => {
    const parts = ['{"a":', '1', '}'];
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          await new Promise((resolve) => setTimeout(resolve, 4_000));
          const part = parts.shift();
          if (part === undefined) controller.close();
          else controller.enqueue(encoder.encode(part));
        },
      },
      { highWaterMark: 0 },
    );
    const reading = readBodyWithLimit(streamedRequest(body), 1000, {
      idleTimeoutMs: 5_000,
      timeoutMs: 60_000,
    });
    await vi.advanceTimersByTimeAsync(16_000);
    expect(await reading).toEqual({ text: '{"a":1}', bytes: 7 });
  });

  it('reports a body the client aborted', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('{"run'));
        controller.error(new Error('connection reset'));
      },
    });
    await expect(readBodyWithLimit(streamedRequest(body), 1000)).rejects.toBeInstanceOf(
      BodyAbortedError,
    );
  });

  it('counts bytes against a shared budget and gives them back on failure', async () => {
    const budget = createByteBudget(10);
    const first = await readBodyWithLimit(streamedRequest(stream('123456')), 100, { budget });
    expect(first.bytes).toBe(6);
    expect(budget.held).toBe(6);

    // Declared and over what is left: refused before reading.
    await expect(
      readBodyWithLimit(streamedRequest(stream('12345'), { 'content-length': '5' }), 100, {
        budget,
      }),
    ).rejects.toBeInstanceOf(BodyBudgetError);
    // Undeclared: refused when it crosses, and what it held is given back.
    await expect(
      readBodyWithLimit(streamedRequest(stream('12', '345')), 100, { budget }),
    ).rejects.toBeInstanceOf(BodyBudgetError);
    expect(budget.held).toBe(6);

    budget.give(first.bytes);
    expect(budget.held).toBe(0);
  });
});

function stream(...parts: string[]) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

describe('ownBytes', () => {
  it('copies a small view out of a large buffer, so a trickled byte does not hold 64 KiB', () => {
    const buffer = new Uint8Array(64 * 1024).fill(7);
    const view = buffer.subarray(100, 101);
    const owned = ownBytes(view);
    expect(owned).toEqual(new Uint8Array([7]));
    expect(owned.buffer.byteLength).toBe(1);
  });

  it('keeps a chunk that is most of its buffer as it is', () => {
    const chunk = new Uint8Array(64 * 1024).subarray(0, 60 * 1024);
    expect(ownBytes(chunk)).toBe(chunk);
  });
});
