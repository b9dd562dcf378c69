import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerEvent } from './events.ts';
import { OfflineInterviewerTransport } from './offline-transport.ts';

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

afterEach(() => vi.unstubAllGlobals());

describe('OfflineInterviewerTransport', () => {
  it('speaks every word of a line before its transcript is done, whatever order timers fire in', async () => {
    const timers = adversarialTimers();
    const transport = new OfflineInterviewerTransport({
      questions: 0,
      terminationCue: 'that concludes our call',
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
});
