import { describe, expect, it } from 'vitest';
import type { EventLogEntry } from './benchmark-run.ts';
import { costUsd, NO_TOKENS, PRICING, pricesFor } from './pricing.ts';
import { computeRunMetrics, realtimeTokens } from './run-metrics.ts';
import { percentile } from './statistics.ts';
import { type InterviewerTurnSpans, turnTimeline } from './turn-timeline.ts';

const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const entry = (
  direction: EventLogEntry['direction'],
  ms: number,
  event: Record<string, unknown> & { type: string },
): EventLogEntry => ({ direction, timestamp: at(ms), event });

const usage = (audioOut: number) => ({
  total_tokens: 0,
  input_token_details: {
    text_tokens: 1000,
    audio_tokens: 0,
    cached_tokens: 600,
    cached_tokens_details: { text_tokens: 600, audio_tokens: 0 },
  },
  output_token_details: { text_tokens: 20, audio_tokens: audioOut },
});

/** One interviewer turn as a WebRTC session sends it: audio buffer events, no audio deltas. */
function webrtcTurn(start: number, id: string, firstText: number, firstAudio: number) {
  return [
    entry('client', start, { type: 'response.create' }),
    entry('server', start + 40, {
      type: 'response.created',
      response: { id, status: 'in_progress' },
    }),
    entry('server', start + firstText, {
      type: 'response.output_audio_transcript.delta',
      response_id: id,
      delta: 'Hi',
    }),
    entry('server', start + firstAudio, { type: 'output_audio_buffer.started', response_id: id }),
    entry('server', start + firstText + 5, {
      type: 'response.output_audio_transcript.delta',
      response_id: id,
      delta: ' there',
    }),
    entry('server', start + 900, {
      type: 'response.done',
      response: { id, status: 'completed', usage: usage(400) },
    }),
  ];
}

const started = entry('system', 0, {
  type: 'run.started',
  model: 'gpt-realtime',
  agents: 'openai',
  simulated_user_model: 'gpt-4.1-mini',
});

describe('computeRunMetrics', () => {
  it('measures each turn from its request to the first text and the first audio', () => {
    const metrics = computeRunMetrics({
      event_log: [
        started,
        ...webrtcTurn(0, 'resp_1', 300, 420),
        entry('system', 1000, {
          type: 'turn.completed',
          speaker: 'simulated_user',
          model: 'gpt-4.1-mini-2025-04-14',
          usage: {
            input_tokens: 2000,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: 30,
          },
        }),
        ...webrtcTurn(2000, 'resp_2', 500, 700),
        ...webrtcTurn(4000, 'resp_3', 200, 260),
      ],
    });
    expect(metrics).toMatchObject({
      interviewer_model: 'gpt-realtime',
      simulated_user_model: 'gpt-4.1-mini-2025-04-14',
      interviewer_turns: 3,
      first_text_p50_ms: 300,
      first_text_p95_ms: 500,
      first_audio_p50_ms: 420,
      first_audio_p95_ms: 700,
      responses_completed: 3,
      responses_cancelled: 0,
      responses_without_usage: 0,
      pricing_version: PRICING.version,
    });
    expect(metrics.interviewer_tokens).toEqual({
      textInput: 1200,
      textCachedInput: 1800,
      textOutput: 60,
      audioInput: 0,
      audioCachedInput: 0,
      audioOutput: 1200,
    });
    // gpt-realtime: 1200×4 + 1800×0.4 + 60×16 + 1200×64 = 83,280 µ$; gpt-4.1-mini: 2000×0.4 + 30×1.6 = 848 µ$.
    expect(metrics.cost_usd).toBe(0.084128);
  });

  it('takes the first audio delta as first audio when there is no audio buffer event (WebSocket)', () => {
    const metrics = computeRunMetrics({
      event_log: [
        started,
        entry('client', 0, { type: 'response.create' }),
        entry('server', 30, { type: 'response.created', response: { id: 'r1' } }),
        entry('server', 250, {
          type: 'response.output_audio.delta',
          response_id: 'r1',
          delta: { omitted: 'audio', bytes: 960 },
        }),
        entry('server', 260, {
          type: 'response.output_audio_transcript.delta',
          response_id: 'r1',
          delta: 'Hi',
        }),
        entry('server', 330, {
          type: 'response.output_audio.delta',
          response_id: 'r1',
          delta: { omitted: 'audio', bytes: 960 },
        }),
        entry('server', 900, {
          type: 'response.done',
          response: { id: 'r1', status: 'completed', usage: usage(10) },
        }),
      ],
    });
    expect(metrics.first_audio_p50_ms).toBe(250);
    expect(metrics.first_text_p50_ms).toBe(260);
  });

  it('pairs events by response id when they arrive out of order, and skips clocks that run backwards', () => {
    const metrics = computeRunMetrics({
      event_log: [
        started,
        entry('client', 0, { type: 'response.create' }),
        // A delta before response.created still belongs to the pending request.
        entry('server', 180, {
          type: 'response.output_audio_transcript.delta',
          response_id: 'r1',
          delta: 'a',
        }),
        entry('server', 100, { type: 'response.created', response: { id: 'r1' } }),
        entry('client', 2000, { type: 'response.create' }),
        entry('server', 2050, { type: 'response.created', response: { id: 'r2' } }),
        // Recorded with a timestamp before its request: not a latency anyone can trust.
        entry('server', 1990, {
          type: 'response.output_audio_transcript.delta',
          response_id: 'r2',
          delta: 'b',
        }),
        entry('server', 2500, {
          type: 'response.done',
          response: { id: 'r2', status: 'cancelled' },
        }),
        entry('server', 900, {
          type: 'response.done',
          response: { id: 'r1', status: 'incomplete', usage: usage(5) },
        }),
      ],
    });
    expect(metrics.interviewer_turns).toBe(2);
    expect(metrics.first_text_p50_ms).toBe(180);
    expect(metrics.first_text_p95_ms).toBe(180);
    expect(metrics).toMatchObject({
      responses_cancelled: 1,
      responses_incomplete: 1,
      responses_without_usage: 1,
    });
  });

  it('computes its percentiles from the per-turn latencies of the turn timeline the run page shows', () => {
    const event_log = [
      started,
      ...webrtcTurn(0, 'resp_1', 300, 420),
      ...webrtcTurn(2000, 'resp_2', 500, 700),
      ...webrtcTurn(4000, 'resp_3', 200, 1260),
    ];
    const turns = turnTimeline({ event_log }).turns as InterviewerTurnSpans[];
    const audio = turns.map((turn) => turn.first_audio_latency_ms as number);
    expect(audio).toEqual([420, 700, 1260]);
    const metrics = computeRunMetrics({ event_log });
    expect(metrics.first_audio_p50_ms).toBe(percentile(audio, 0.5));
    expect(metrics.first_audio_p95_ms).toBe(percentile(audio, 0.95));
    expect(metrics.first_audio_p95_ms).toBe(1260);
  });

  it('has no latencies, tokens or cost for a run without interviewer responses', () => {
    const metrics = computeRunMetrics({ event_log: [started] });
    expect(metrics).toMatchObject({
      interviewer_turns: 0,
      first_text_p50_ms: null,
      first_audio_p95_ms: null,
      interviewer_tokens: NO_TOKENS,
      cost_usd: 0,
    });
  });

  it('leaves the cost unknown, not zero, when a model that used tokens is not priced', () => {
    const metrics = computeRunMetrics({
      event_log: [
        {
          ...started,
          event: { type: 'run.started', model: 'offline-interviewer', agents: 'offline' },
        },
        entry('server', 900, {
          type: 'response.done',
          response: { id: 'r1', status: 'completed', usage: usage(5) },
        }),
      ],
    });
    expect(metrics.cost_usd).toBeNull();
  });
});

describe('computeRunMetrics of a voice run', () => {
  /** The client's session.update of a voice run, as the service sends it. */
  const sessionUpdate = (transcription: string) =>
    entry('client', 5, {
      type: 'session.update',
      session: {
        type: 'realtime',
        audio: {
          input: {
            turn_detection: { type: 'server_vad' },
            transcription: { model: transcription },
          },
        },
      },
    });
  const spoken = (ms: number, id: string, speech: Record<string, unknown>) =>
    entry('system', ms, {
      type: 'user_speech.started',
      utterance_id: id,
      audio_start_ms: ms,
      text: 'Sure.',
      ...speech,
    });
  const transcribed = (ms: number, usageOf: Record<string, unknown>) =>
    entry('server', ms, {
      type: 'conversation.item.input_audio_transcription.completed',
      item_id: `item_${ms}`,
      content_index: 0,
      transcript: 'sure',
      usage: usageOf,
    });
  const tokensUsage = (audio: number, text: number, out: number) => ({
    type: 'tokens',
    input_tokens: audio + text,
    output_tokens: out,
    total_tokens: audio + text + out,
    input_token_details: { text_tokens: text, audio_tokens: audio },
  });
  const interviewerTurn = entry('server', 2000, {
    type: 'response.done',
    response: { id: 'r1', status: 'completed', usage: usage(400) },
  });

  it('prices the speech at its speech model and the transcription at the session’s model', () => {
    const metrics = computeRunMetrics({
      event_log: [
        started,
        sessionUpdate('gpt-4o-mini-transcribe'),
        spoken(1000, 'u1', {
          model: 'gpt-4o-mini-tts',
          usage: { input_tokens: 10, output_tokens: 500, total_tokens: 510 },
        }),
        transcribed(1500, tokensUsage(120, 4, 9)),
        interviewerTurn,
        spoken(3000, 'u2', {
          model: 'gpt-4o-mini-tts',
          usage: { input_tokens: 30, output_tokens: 700, total_tokens: 730 },
        }),
        transcribed(3500, tokensUsage(80, 0, 11)),
      ],
    });
    expect(metrics).toMatchObject({
      speech_model: 'gpt-4o-mini-tts',
      speech_tokens: { ...NO_TOKENS, textInput: 40, audioOutput: 1200 },
      transcription_model: 'gpt-4o-mini-transcribe',
      transcription_tokens: { ...NO_TOKENS, textInput: 4, audioInput: 200, textOutput: 20 },
    });
    const interviewer = costUsd('gpt-realtime', realtimeTokens(usage(400))) ?? Number.NaN;
    // Speech: 40×0.6 + 1200×12 = 14,424 µ$; transcription: 4×1.25 + 200×3 + 20×5 = 705 µ$.
    expect(metrics.cost_usd).toBeCloseTo(interviewer + 0.014424 + 0.000705, 9);
  });

  it('leaves the cost unknown when a transcription is billed by duration (whisper-1)', () => {
    const metrics = computeRunMetrics({
      event_log: [
        started,
        sessionUpdate('whisper-1'),
        transcribed(1500, { type: 'duration', seconds: 2.4 }),
        interviewerTurn,
      ],
    });
    expect(metrics.transcription_model).toBe('whisper-1');
    expect(metrics.cost_usd).toBeNull();
  });

  it('leaves the cost unknown when a speech model reported no usage, or the transcription model is not priced', () => {
    const withoutUsage = computeRunMetrics({
      event_log: [started, spoken(1000, 'u1', { model: 'tts-1' }), interviewerTurn],
    });
    expect(withoutUsage.cost_usd).toBeNull();
    const unknownModel = computeRunMetrics({
      event_log: [
        started,
        sessionUpdate('gpt-9-transcribe'),
        transcribed(1500, tokensUsage(10, 0, 2)),
        interviewerTurn,
      ],
    });
    expect(unknownModel.cost_usd).toBeNull();
  });

  it('adds nothing for the offline voice, which names no speech model; an OpenAI run’s utterance without one is unpriced', () => {
    const offline = entry('system', 0, {
      type: 'run.started',
      model: 'gpt-realtime',
      agents: 'offline',
    });
    const metrics = computeRunMetrics({
      event_log: [offline, spoken(1000, 'u1', {}), interviewerTurn],
    });
    expect(metrics.speech_model).toBeNull();
    expect(metrics.speech_tokens).toEqual(NO_TOKENS);
    expect(metrics.cost_usd).toBe(costUsd('gpt-realtime', realtimeTokens(usage(400))));
    // Logged before the speech's usage was: what the voice cost is not known.
    const before = computeRunMetrics({
      event_log: [started, spoken(1000, 'u1', {}), interviewerTurn],
    });
    expect(before.cost_usd).toBeNull();
  });
});

describe('pricing', () => {
  it('prices a million tokens of each kind at the table rates', () => {
    const million = { ...NO_TOKENS, audioOutput: 1_000_000 };
    expect(costUsd('gpt-realtime', million)).toBe(64);
    expect(costUsd('gpt-realtime', { ...NO_TOKENS, audioCachedInput: 1_000_000 })).toBe(0.4);
    expect(costUsd('gpt-4.1-mini', { ...NO_TOKENS, textOutput: 1_000_000 })).toBe(1.6);
  });

  it('prices transcription and speech tokens at their kinds’ rates', () => {
    const million = (kind: keyof typeof NO_TOKENS) => ({ ...NO_TOKENS, [kind]: 1_000_000 });
    expect(costUsd('gpt-4o-mini-transcribe', million('textInput'))).toBe(1.25);
    expect(costUsd('gpt-4o-mini-transcribe', million('textOutput'))).toBe(5);
    expect(costUsd('gpt-4o-mini-transcribe', million('audioInput'))).toBe(3);
    expect(costUsd('gpt-4o-mini-tts', million('textInput'))).toBe(0.6);
    expect(costUsd('gpt-4o-mini-tts', million('audioOutput'))).toBe(12);
  });

  it('prices text at text rates for text-only models, dated snapshots like their model, unknown as null', () => {
    expect(pricesFor('gpt-realtime-2025-08-28')).toBe(pricesFor('gpt-realtime'));
    expect(costUsd('gpt-4.1-mini', { ...NO_TOKENS, audioInput: 1_000_000 })).toBe(0.4);
    expect(costUsd('no-such-model', { ...NO_TOKENS, textInput: 1 })).toBeNull();
  });

  it('splits cached input into text and audio as reported, or as text when not', () => {
    expect(
      realtimeTokens({
        input_token_details: { text_tokens: 100, audio_tokens: 50, cached_tokens: 70 },
      }),
    ).toMatchObject({ textInput: 30, textCachedInput: 70, audioInput: 50, audioCachedInput: 0 });
    expect(realtimeTokens(undefined)).toEqual(NO_TOKENS);
  });
});
