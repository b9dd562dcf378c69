import type { RawEventRecord, ServerEvent } from '@core/realtime-events.ts';
import { loudnessLevel } from '@core/run-audio.ts';
import { computeRunMetrics } from '@core/run-metrics.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pcm16FromBase64 } from '../audio/pcm.ts';
import {
  type OfflineConnection,
  type OfflineInterviewerOptions,
  OfflineInterviewerTransport,
} from './offline-transport.ts';
import type { HeardAudio } from './transport.ts';

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
  const firstAudioEvent =
    options.connection === 'websocket'
      ? 'response.output_audio.delta'
      : 'output_audio_buffer.started';
  return { timings, firstAudio: timings.map((at) => at[firstAudioEvent]), log };
}

/**
 * One offline interviewer on fake timers, its events as typed and as logged:
 * its audio starts 300 ms after each request, and a line takes 1 s.
 */
async function connected(connection: OfflineConnection, closing = 'That concludes our call.') {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 23, 10, 0, 0) });
  const transport = new OfflineInterviewerTransport({
    questions: [],
    closing,
    seed: 3,
    connection,
    firstAudioMs: { min: 300, max: 300 },
  });
  const events: ServerEvent[] = [];
  const log: RawEventRecord[] = [];
  const heard: HeardAudio[] = [];
  await transport.connect(SESSION, {
    onRaw: (record) => log.push(record),
    onEvent: (event) => events.push(event),
    onAudio: (audio) => heard.push(audio),
    onClose: () => {},
  });
  const types = () => events.map((event) => event.type);
  const find = <T extends ServerEvent['type']>(type: T) =>
    events.filter((event): event is Extract<ServerEvent, { type: T }> => event.type === type);
  return { transport, events, log, heard, types, find };
}

/** Each word of "Thank you. That concludes our call." takes 600 ms / 4 of the default 1000 ms turn. */
const WORD_SAMPLES = (600 / 4) * 24;

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

  it.each<OfflineConnection>(['webrtc', 'websocket'])(
    'over %s, starts its audio a seeded, varying 300-900 ms after each request, on the clock it stamps events with',
    async (connection) => {
      const { timings, firstAudio } = await play({ connection }, 12);
      for (const [i, at] of timings.entries()) {
        expect(at['response.created'], `turn ${i}`).toBe(0);
        expect(firstAudio[i], `turn ${i}`).toBeGreaterThanOrEqual(300);
        expect(firstAudio[i], `turn ${i}`).toBeLessThanOrEqual(900);
        // The first words come with the first audio, not before.
        expect(at['response.output_audio_transcript.delta']).toBe(firstAudio[i]);
        expect(at['response.done']).toBeGreaterThan(firstAudio[i] as number);
      }
      expect(new Set(firstAudio).size).toBeGreaterThan(6);

      // The same seed plays the same timings; another seed others.
      expect((await play({ connection }, 12)).firstAudio).toEqual(firstAudio);
      expect((await play({ connection, seed: 8 }, 12)).firstAudio).not.toEqual(firstAudio);
    },
  );

  it.each<OfflineConnection>(['webrtc', 'websocket'])(
    'over %s, its event log gives the run metrics its seeded time to first audio',
    async (connection) => {
      const { log } = await play({ connection, firstAudioMs: { min: 420, max: 420 } }, 3);
      const metrics = computeRunMetrics({ event_log: log.map((record) => ({ ...record })) });
      expect(metrics).toMatchObject({
        interviewer_turns: 3,
        first_audio_p50_ms: 420,
        first_audio_p95_ms: 420,
        first_text_p50_ms: 420,
        responses_completed: 3,
      });
    },
  );

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

  it('sends its assistant item with its content, as the GA API does', async () => {
    const { transport, log, find } = await connected(
      'webrtc',
      'Thank you. That concludes our call.',
    );
    transport.send({ type: 'response.create' });
    vi.runAllTimers();
    const raw = (type: string) => log.filter((record) => record.event.type === type);
    const inProgress = {
      id: 'item_offline_1',
      object: 'realtime.item',
      type: 'message',
      role: 'assistant',
      status: 'in_progress',
      content: [],
    };
    const done = {
      ...inProgress,
      status: 'completed',
      content: [{ type: 'output_audio', transcript: 'Thank you. That concludes our call.' }],
    };
    expect(find('response.output_item.added')[0]?.item).toEqual(inProgress);
    expect(find('conversation.item.added')[0]?.item).toEqual(inProgress);
    expect(raw('response.content_part.added')[0]?.event).toMatchObject({
      item_id: 'item_offline_1',
      output_index: 0,
      content_index: 0,
      part: { type: 'audio', transcript: '' },
    });
    expect(raw('response.content_part.done')[0]?.event).toMatchObject({
      part: { type: 'audio', transcript: 'Thank you. That concludes our call.' },
    });
    expect(find('response.output_item.done')[0]?.item).toEqual(done);
    expect(find('conversation.item.done')[0]?.item).toEqual(done);
    const response = find('response.done')[0]?.response;
    expect(response?.output).toEqual([done]);
    expect(response?.status).toBe('completed');
    expect(response?.status_details ?? null).toBeNull();
  });

  it('over WebSocket, sends its audio as deltas placed in their item and content part, and no audio buffer events', async () => {
    const { transport, find, types, heard } = await connected('websocket');
    transport.send({ type: 'response.create' });
    vi.runAllTimers();
    const deltas = find('response.output_audio.delta');
    expect(deltas.length).toBe(4);
    for (const delta of deltas) {
      expect(delta).toMatchObject({
        response_id: 'resp_offline_1',
        item_id: 'item_offline_1',
        output_index: 0,
        content_index: 0,
      });
      const samples = pcm16FromBase64(delta.delta);
      expect(samples.length).toBe(WORD_SAMPLES);
      expect(loudnessLevel(samples)).toBeGreaterThan(50);
    }
    expect(heard).toEqual([]);
    expect(types().filter((type) => type.startsWith('output_audio_buffer.'))).toEqual([]);
    expect(types()).toContain('other:response.output_audio.done');
    expect(transport.waitsForAudioPlayback).toBe(false);
  });

  it('over WebRTC, sends no audio deltas (its audio is on the media track) but the audio buffer events around it', async () => {
    const { transport, types, heard } = await connected('webrtc');
    expect(transport.waitsForAudioPlayback).toBe(true);
    transport.send({ type: 'response.create' });
    vi.runAllTimers();
    expect(heard.map((audio) => [audio.responseId, audio.samples.length])).toEqual(
      Array.from({ length: 4 }, () => ['resp_offline_1', WORD_SAMPLES]),
    );
    expect(heard.every((audio) => loudnessLevel(audio.samples) > 50)).toBe(true);
    const order = types();
    expect(order).not.toContain('response.output_audio.delta');
    expect(order).not.toContain('other:response.output_audio.done');
    expect(order.indexOf('output_audio_buffer.started')).toBeLessThan(
      order.indexOf('response.output_audio_transcript.delta'),
    );
    expect(order.indexOf('output_audio_buffer.stopped')).toBeGreaterThan(
      order.indexOf('response.done'),
    );
  });

  it('over WebRTC, reports its audio stopped once the last word has played, not before', async () => {
    const { transport, log } = await connected('webrtc', 'Two words.');
    transport.send({ type: 'response.create' });
    vi.runAllTimers();
    const at = (type: string) =>
      Date.parse(log.find((record) => record.event.type === type)?.timestamp as string);
    // Two words of 300 ms each from 300 ms: the last starts at 600 ms and plays to 900 ms.
    expect(at('output_audio_buffer.started') - at('response.created')).toBe(300);
    expect(at('output_audio_buffer.stopped') - at('response.created')).toBe(900);
  });

  /** Says "One two three four five.", cancelled after its second word. */
  async function cancelledMidLine(connection: OfflineConnection) {
    const interviewer = await connected(connection, 'One two three four five.');
    interviewer.transport.send({ type: 'response.create' });
    // Five words 120 ms apart from 300 ms: two said by 450 ms.
    vi.advanceTimersByTime(450);
    interviewer.transport.send({ type: 'response.cancel' });
    vi.runAllTimers();
    return interviewer;
  }

  it.each<OfflineConnection>(['webrtc', 'websocket'])(
    'over %s, cancelled mid-line, says why in response.done and keeps the words said',
    async (connection) => {
      const { find } = await cancelledMidLine(connection);
      const said = find('response.output_audio_transcript.delta')
        .map((event) => event.delta)
        .join('');
      expect(said).toBe('One two');
      expect(find('response.done')[0]?.response).toMatchObject({
        status: 'cancelled',
        status_details: { type: 'cancelled', reason: 'client_cancelled' },
        output: [
          {
            id: 'item_offline_1',
            status: 'incomplete',
            content: [{ type: 'output_audio', transcript: 'One two' }],
          },
        ],
      });
    },
  );

  it('over WebRTC, cancelled mid-line, plays out the audio sent (stopped), never cleared', async () => {
    // OpenAI sends output_audio_buffer.cleared only after output_audio_buffer.clear or a VAD
    // interruption: after a response.cancel alone, the audio already sent plays out.
    const { types } = await cancelledMidLine('webrtc');
    const order = types();
    expect(order.filter((type) => type.startsWith('output_audio_buffer.'))).toEqual([
      'output_audio_buffer.started',
      'output_audio_buffer.stopped',
    ]);
    expect(order.indexOf('output_audio_buffer.stopped')).toBeGreaterThan(
      order.indexOf('response.done'),
    );
  });
});

describe('a response.create while one is active', () => {
  it('is refused with an error naming its event_id, as the Realtime server does', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 23, 10, 0, 0) });
    const transport = new OfflineInterviewerTransport({
      questions: ['What broke?'],
      closing: 'That concludes our call.',
      seed: 7,
    });
    const events: ServerEvent[] = [];
    await transport.connect(SESSION, {
      onRaw: () => {},
      onEvent: (event) => events.push(event),
      onClose: () => {},
    });
    transport.send({ type: 'response.create', event_id: 'evt_client_1' });
    transport.send({ type: 'response.create', event_id: 'evt_client_2' });
    expect(events.filter((event) => event.type === 'error')).toEqual([
      expect.objectContaining({
        error: expect.objectContaining({
          code: 'conversation_already_has_active_response',
          event_id: 'evt_client_2',
        }),
      }),
    ]);
    transport.close();
  });
});
