import { describe, expect, it } from 'vitest';
import type { ConversationTurn, EventLogEntry } from './benchmark-run.ts';
import {
  type InterviewerTurnSpans,
  matchHistoryToTimeline,
  type SimulatedUserTurnSpans,
  turnTimeline,
} from './turn-timeline.ts';

const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const CREATED_AT = '2026-11-20T10:00:00.000Z';
const at = (ms: number) => new Date(T0 + ms).toISOString();
const entry = (
  direction: EventLogEntry['direction'],
  ms: number,
  event: Record<string, unknown> & { type: string },
): EventLogEntry => ({ direction, timestamp: at(ms), event });
const system = (ms: number, event: Record<string, unknown> & { type: string }) =>
  entry('system', ms, event);
const server = (ms: number, event: Record<string, unknown> & { type: string }) =>
  entry('server', ms, event);
const request = (ms: number) => [
  system(ms, { type: 'turn.requested', speaker: 'interviewer' }),
  entry('client', ms, { type: 'response.create' }),
];
const created = (ms: number, id: string) =>
  server(ms, { type: 'response.created', response: { id, status: 'in_progress' } });
const transcript = (ms: number, id: string, delta = 'Hi') =>
  server(ms, { type: 'response.output_audio_transcript.delta', response_id: id, delta });
const audioDelta = (ms: number, id: string) =>
  server(ms, {
    type: 'response.output_audio.delta',
    response_id: id,
    delta: { omitted: 'audio', bytes: 960 },
  });
const done = (ms: number, id: string, status = 'completed') =>
  server(ms, { type: 'response.done', response: { id, status } });
const userTurn = (requested: number, completed: number) => [
  system(requested, { type: 'turn.requested', speaker: 'simulated_user' }),
  system(completed, { type: 'turn.completed', speaker: 'simulated_user', model: 'gpt-4.1-mini' }),
  entry('client', completed, { type: 'conversation.item.create', item: { id: 'item_user_1' } }),
];

const interviewer = (turns: ReturnType<typeof turnTimeline>['turns'], i: number) =>
  turns[i] as InterviewerTurnSpans;
const user = (turns: ReturnType<typeof turnTimeline>['turns'], i: number) =>
  turns[i] as SimulatedUserTurnSpans;

describe('turnTimeline', () => {
  it('spans a WebRTC interviewer turn from request to audio end, and the reply after it', () => {
    const log = [
      system(0, { type: 'run.started', model: 'gpt-realtime' }),
      ...request(100),
      created(140, 'r1'),
      transcript(400, 'r1'),
      server(520, { type: 'output_audio_buffer.started', response_id: 'r1' }),
      transcript(600, 'r1', ' there'),
      done(900, 'r1'),
      system(900, {
        type: 'turn.completed',
        speaker: 'interviewer',
        response_id: 'r1',
        status: 'completed',
      }),
      server(1500, { type: 'output_audio_buffer.stopped', response_id: 'r1' }),
      ...userTurn(1600, 2300),
    ];
    const { origin, turns } = turnTimeline({ event_log: log, created_at: CREATED_AT });
    expect(origin).toBe(T0);
    expect(turns).toHaveLength(2);
    expect(interviewer(turns, 0)).toEqual({
      speaker: 'interviewer',
      response_id: 'r1',
      status: 'completed',
      requested_ms: 100,
      created_ms: 140,
      first_text_ms: 400,
      first_audio_ms: 520,
      last_audio_ms: 1500,
      done_ms: 900,
      first_text_latency_ms: 300,
      first_audio_latency_ms: 420,
      has_text: true,
      claimed_request: true,
      start_ms: 100,
      end_ms: 1500,
      gap_before_ms: 100,
      // The turn.requested and response.create before the response, and every event of r1.
      event_indices: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    });
    expect(user(turns, 1)).toEqual({
      speaker: 'simulated_user',
      requested_ms: 1600,
      completed_ms: 2300,
      reply_ms: 700,
      replied: true,
      start_ms: 1600,
      end_ms: 2300,
      gap_before_ms: 100,
      event_indices: [10, 11, 12],
    });
  });

  it('takes the first and last audio deltas for a WebSocket turn (no audio buffer events)', () => {
    const log = [
      ...request(0),
      created(30, 'r1'),
      audioDelta(250, 'r1'),
      transcript(260, 'r1'),
      audioDelta(330, 'r1'),
      server(700, { type: 'response.output_audio.done', response_id: 'r1' }),
      done(720, 'r1'),
    ];
    const turn = interviewer(turnTimeline({ event_log: log, created_at: CREATED_AT }).turns, 0);
    expect(turn).toMatchObject({
      first_audio_ms: 250,
      first_audio_latency_ms: 250,
      first_text_latency_ms: 260,
      last_audio_ms: 700,
      done_ms: 720,
      end_ms: 720,
    });
  });

  it('prefers the audio buffer start to an earlier audio delta, as the metrics always have', () => {
    const log = [
      ...request(0),
      audioDelta(200, 'r1'),
      server(300, { type: 'output_audio_buffer.started', response_id: 'r1' }),
      audioDelta(400, 'r1'),
      server(900, { type: 'output_audio_buffer.cleared', response_id: 'r1' }),
    ];
    const turn = interviewer(turnTimeline({ event_log: log }).turns, 0);
    expect(turn.first_audio_ms).toBe(300);
    expect(turn.last_audio_ms).toBe(900);
  });

  it('keeps cancelled and failed responses with their status and what they reached', () => {
    const log = [
      ...request(0),
      created(50, 'r1'),
      transcript(200, 'r1'),
      done(300, 'r1', 'cancelled'),
      ...request(1000),
      created(1040, 'r2'),
      server(1100, {
        type: 'response.done',
        response: { id: 'r2', status: 'failed', status_details: { error: { code: 'x' } } },
      }),
    ];
    const { turns } = turnTimeline({ event_log: log, created_at: CREATED_AT });
    expect(turns.map((t) => (t as InterviewerTurnSpans).status)).toEqual(['cancelled', 'failed']);
    expect(interviewer(turns, 1)).toMatchObject({
      requested_ms: 1000,
      first_text_ms: null,
      first_audio_ms: null,
      first_audio_latency_ms: null,
      has_text: false,
      end_ms: 1100,
      gap_before_ms: 700,
    });
  });

  it('leaves missing points null: a run cut short, an old log without system events', () => {
    const log = [
      // No turn.requested, no response.created: an old log.
      entry('client', 0, { type: 'response.create' }),
      transcript(300, 'r1'),
      done(600, 'r1'),
      system(800, { type: 'turn.completed', speaker: 'simulated_user' }),
      // The run ended while the interviewer was answering.
      entry('client', 1000, { type: 'response.create' }),
      created(1050, 'r2'),
    ];
    const { turns } = turnTimeline({ event_log: log, created_at: CREATED_AT });
    expect(interviewer(turns, 0)).toMatchObject({ created_ms: null, first_audio_ms: null });
    expect(user(turns, 1)).toMatchObject({
      requested_ms: null,
      completed_ms: 800,
      reply_ms: null,
      replied: true,
      start_ms: 800,
      gap_before_ms: 200,
    });
    expect(interviewer(turns, 2)).toMatchObject({
      status: null,
      done_ms: null,
      start_ms: 1000,
      end_ms: 1050,
    });
  });

  it('never gives a negative duration when the clock runs backwards', () => {
    const log = [
      entry('client', 2000, { type: 'response.create' }),
      created(2050, 'r1'),
      transcript(1990, 'r1'),
      done(2500, 'r1'),
      system(2400, { type: 'turn.requested', speaker: 'simulated_user' }),
      system(2300, { type: 'turn.completed', speaker: 'simulated_user' }),
    ];
    const { turns } = turnTimeline({ event_log: log, created_at: CREATED_AT });
    expect(interviewer(turns, 0)).toMatchObject({
      first_text_ms: 1990,
      first_text_latency_ms: null,
      gap_before_ms: 2000,
    });
    expect(user(turns, 1)).toMatchObject({ reply_ms: null, gap_before_ms: null });
  });

  it('measures from the first event when the run has no created_at, and has no turns without events', () => {
    expect(turnTimeline({ event_log: [] })).toEqual({ origin: null, turns: [] });
    const { origin, turns } = turnTimeline({
      event_log: [...request(500), created(600, 'r1')],
    });
    expect(origin).toBe(T0 + 500);
    expect(turns[0]?.start_ms).toBe(0);
  });

  it('pairs requests in order with the first event of each response id, not by position', () => {
    const log = [
      entry('client', 0, { type: 'response.create' }),
      transcript(180, 'r1'),
      created(100, 'r1'),
      entry('client', 2000, { type: 'response.create' }),
      // A response.done alone claims no request.
      done(2010, 'r0'),
      created(2050, 'r2'),
    ];
    const { turns } = turnTimeline({ event_log: log, created_at: CREATED_AT });
    expect(turns.map((t) => [(t as InterviewerTurnSpans).response_id, t.start_ms])).toEqual([
      ['r1', 0],
      ['r0', 2010],
      ['r2', 2000],
    ]);
    expect(interviewer(turns, 0).first_text_latency_ms).toBe(180);
    expect(interviewer(turns, 1).claimed_request).toBe(false);
  });
});

describe('matchHistoryToTimeline', () => {
  const log = [
    ...request(0),
    created(50, 'r1'),
    server(400, {
      type: 'response.output_audio_transcript.done',
      response_id: 'r1',
      transcript: 'Hi!',
    }),
    done(500, 'r1'),
    ...userTurn(600, 900),
    // A response cancelled before it said anything: no transcript turn.
    ...request(1000),
    created(1050, 'r2'),
    done(1100, 'r2', 'cancelled'),
    ...request(1200),
    created(1250, 'r3'),
    transcript(1400, 'r3', 'Bye'),
    done(1500, 'r3'),
  ];
  const timeline = turnTimeline({ event_log: log, created_at: CREATED_AT });
  const turn = (speaker: ConversationTurn['speaker'], extra: Record<string, unknown> = {}) => ({
    speaker,
    content: 'text',
    timestamp: at(0),
    ...extra,
  });

  it('pairs an old history (no response_id) with the responses that produced text, in order', () => {
    expect(timeline.turns).toHaveLength(4);
    expect(
      matchHistoryToTimeline(
        [turn('interviewer'), turn('simulated_user'), turn('interviewer'), turn('interviewer')],
        timeline,
      ),
    ).toEqual([0, 1, 3, null]);
  });

  it('finds interviewer turns by the response_id they were saved with', () => {
    expect(
      matchHistoryToTimeline(
        [
          turn('interviewer', { response_id: 'r1' }),
          turn('simulated_user'),
          turn('interviewer', { response_id: 'r2' }),
          turn('interviewer', { response_id: 'r9' }),
        ],
        timeline,
      ),
    ).toEqual([0, 1, 2, null]);
  });
});
