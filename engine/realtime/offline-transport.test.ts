import type { RawEventRecord, ServerEvent } from '@core/realtime-events.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type OfflineInterviewerOptions,
  OfflineInterviewerTransport,
} from './offline-transport.ts';

/**
 * A clock where every pending timer is overdue at once and fires newest first,
 * as can happen on a busy event loop with timers of different delays.
 */
function adversarialTimers() {
  const pending = new Map<number, () => void>();
  let nextId = 1;
  vi.stubGlobal('setTimeout', (callback: () => void) => {
    const id = nextId++;
    pending.set(id, callback);
    return id;
  });
  vi.stubGlobal('clearTimeout', (id: number) => pending.delete(id));
  return {
    flush() {
      while (pending.size > 0) {
        const newest = Math.max(...pending.keys());
        const callback = pending.get(newest) as () => void;
        pending.delete(newest);
        callback();
      }
    },
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const SESSION = { model: 'offline', voice: 'marin', instructions: 'x', tools: [] };

/** Plays `turns` responses on fake timers; per response, ms from its request to each event kind. */
async function play(options: Partial<OfflineInterviewerOptions>, turns: number) {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 23, 10, 0, 0) });
  const transport = new OfflineInterviewerTransport({
    questions: ['What broke?', 'When did it arrive?'],
    closing: 'That concludes our call.',
    seed: 7,
    ...options,
  });
  const log: RawEventRecord[] = [];
  await transport.connect(SESSION, {
    onRaw: (record) => log.push(record),
    onEvent: () => {},
    onClose: () => {},
  });
  const timings: Array<Record<string, number>> = [];
  for (let i = 0; i < turns; i++) {
    const from = log.length;
    transport.send({ type: 'response.create' });
    vi.runAllTimers();
    const requested = Date.parse(log[from]?.timestamp as string);
    const at: Record<string, number> = {};
    for (const record of log.slice(from + 1)) {
      at[record.event.type as string] ??= Date.parse(record.timestamp) - requested;
    }
    timings.push(at);
  }
  transport.close();
  return { timings, firstAudio: timings.map((at) => at['output_audio_buffer.started']) };
}

describe('OfflineInterviewerTransport', () => {
  it('speaks every word of a line before its transcript is done, whatever order timers fire in', async () => {
    const timers = adversarialTimers();
    const transport = new OfflineInterviewerTransport({
      questions: [],
      closing: 'Thank you so much for your answers. That concludes our call.',
      seed: 1,
    });
    const events: ServerEvent[] = [];
    await transport.connect(
      { model: 'offline', voice: 'marin', instructions: 'x', tools: [] },
      { onRaw: () => {}, onEvent: (event) => events.push(event), onClose: () => {} },
    );
    transport.send({ type: 'response.create' });
    timers.flush();

    const deltas = events
      .filter((event) => event.type === 'response.output_audio_transcript.delta')
      .map((event) => (event as { delta: string }).delta)
      .join('');
    const done = events.find((event) => event.type === 'response.output_audio_transcript.done') as
      | { transcript: string }
      | undefined;
    expect(done?.transcript).toBe('Thank you so much for your answers. That concludes our call.');
    expect(deltas).toBe(done?.transcript);
    const order = events.map((event) => event.type);
    expect(order.lastIndexOf('response.output_audio_transcript.delta')).toBeLessThan(
      order.indexOf('response.output_audio_transcript.done'),
    );
  });

  it('starts its audio a seeded, varying 300-900 ms after each request, on the clock it stamps events with', async () => {
    const { timings, firstAudio } = await play({}, 12);
    for (const [i, at] of timings.entries()) {
      expect(at['response.created'], `turn ${i}`).toBe(0);
      expect(at['output_audio_buffer.started'], `turn ${i}`).toBeGreaterThanOrEqual(300);
      expect(at['output_audio_buffer.started'], `turn ${i}`).toBeLessThanOrEqual(900);
      // The first words come with the first audio, not before.
      expect(at['response.output_audio_transcript.delta']).toBe(at['output_audio_buffer.started']);
      expect(at['response.output_audio.delta']).toBe(at['output_audio_buffer.started']);
      expect(at['response.done']).toBeGreaterThan(at['output_audio_buffer.started'] as number);
    }
    expect(new Set(firstAudio).size).toBeGreaterThan(6);

    // The same seed plays the same timings; another seed others.
    expect((await play({}, 12)).firstAudio).toEqual(firstAudio);
    expect((await play({ seed: 8 }, 12)).firstAudio).not.toEqual(firstAudio);
  });

  it('keeps to a configured range, and refuses one that is not a range', async () => {
    const { firstAudio } = await play({ firstAudioMs: { min: 40, max: 60 } }, 10);
    expect(firstAudio.every((ms) => ms !== undefined && ms >= 40 && ms <= 60)).toBe(true);
    expect((await play({ firstAudioMs: { min: 5, max: 5 } }, 3)).firstAudio).toEqual([5, 5, 5]);
    expect(
      () =>
        new OfflineInterviewerTransport({
          questions: [],
          closing: 'Bye.',
          seed: 1,
          firstAudioMs: { min: 900, max: 300 },
        }),
    ).toThrow(/firstAudioMs/);
  });

  it('says its questions in order, then its closing line on every later turn', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 23, 10, 0, 0) });
    const transport = new OfflineInterviewerTransport({
      questions: ['What broke?', 'When did it arrive?'],
      closing: 'That concludes our call.',
      seed: 3,
    });
    const events: ServerEvent[] = [];
    await transport.connect(SESSION, {
      onRaw: () => {},
      onEvent: (event) => events.push(event),
      onClose: () => {},
    });
    for (let i = 0; i < 4; i++) {
      transport.send({ type: 'response.create' });
      vi.runAllTimers();
    }
    const lines = events
      .filter((event) => event.type === 'response.output_audio_transcript.done')
      .map((event) => (event as { transcript: string }).transcript);
    expect(lines).toEqual([
      'What broke?',
      'When did it arrive?',
      'That concludes our call.',
      'That concludes our call.',
    ]);
  });

  it('cancelled before its audio starts, ends the response without any audio events', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 23, 10, 0, 0) });
    const transport = new OfflineInterviewerTransport({
      questions: ['What broke?'],
      closing: 'Bye.',
      seed: 3,
    });
    const events: ServerEvent[] = [];
    await transport.connect(SESSION, {
      onRaw: () => {},
      onEvent: (event) => events.push(event),
      onClose: () => {},
    });
    transport.send({ type: 'response.create' });
    vi.advanceTimersByTime(100);
    transport.send({ type: 'response.cancel' });
    vi.runAllTimers();
    const types = events.map((event) => event.type);
    expect(types).not.toContain('output_audio_buffer.started');
    expect(types).not.toContain('output_audio_buffer.cleared');
    const done = events.find((event) => event.type === 'response.done') as {
      response: { status: string };
    };
    expect(done.response.status).toBe('cancelled');
  });
});
