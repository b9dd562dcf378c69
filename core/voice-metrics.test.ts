import { describe, expect, it } from 'vitest';
import type { EventLogEntry } from './benchmark-run.ts';
import type { SystemEvent } from './system-events.ts';
import {
  BARGE_IN_STOP_MS,
  computeVoiceMetrics,
  MISSED_END_OF_TURN_MS,
  type VoiceMetrics,
} from './voice-metrics.ts';

const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const CREATED_AT = '2026-11-20T10:00:00.000Z';
type Raw = Record<string, unknown> & { type: string };
const entry = (direction: EventLogEntry['direction'], ms: number, event: Raw): EventLogEntry => ({
  direction,
  timestamp: new Date(T0 + ms).toISOString(),
  event,
});
const system = (ms: number, event: SystemEvent) => entry('system', ms, { ...event });
const server = (ms: number, event: Raw) => entry('server', ms, { event_id: `evt_${ms}`, ...event });

// The simulated user's side: audio offsets equal wall-clock ms here, as for a
// stream sent in real time from the run's start.
const said = (ms: number, id: string, text: string, audio = ms) =>
  system(ms, { type: 'user_speech.started', utterance_id: id, audio_start_ms: audio, text });
const ended = (ms: number, id: string, audio = ms) =>
  system(ms, { type: 'user_speech.ended', utterance_id: id, audio_end_ms: audio });
const bargeIn = (ms: number, id: string, responseId: string) =>
  system(ms, { type: 'user_speech.barge_in', utterance_id: id, response_id: responseId });

// The server's side, in GA shapes.
const speechStarted = (ms: number, item: string, audio: number) =>
  server(ms, { type: 'input_audio_buffer.speech_started', item_id: item, audio_start_ms: audio });
const speechStopped = (ms: number, item: string, audio: number) =>
  server(ms, { type: 'input_audio_buffer.speech_stopped', item_id: item, audio_end_ms: audio });
const transcribed = (ms: number, item: string, transcript: string, contentIndex = 0) =>
  server(ms, {
    type: 'conversation.item.input_audio_transcription.completed',
    item_id: item,
    content_index: contentIndex,
    transcript,
    usage: { type: 'duration', seconds: 2 },
  });
const transcriptionFailed = (ms: number, item: string) =>
  server(ms, {
    type: 'conversation.item.input_audio_transcription.failed',
    item_id: item,
    content_index: 0,
    error: { type: 'server_error', message: 'transcription failed' },
  });
const created = (ms: number, id: string) =>
  server(ms, {
    type: 'response.created',
    response: { id, object: 'realtime.response', status: 'in_progress' },
  });
const audioStarted = (ms: number, id: string) =>
  server(ms, { type: 'output_audio_buffer.started', response_id: id });
const audioDelta = (ms: number, id: string) =>
  server(ms, {
    type: 'response.output_audio.delta',
    response_id: id,
    item_id: `item_${id}`,
    output_index: 0,
    content_index: 0,
    delta: 'AAAA',
  });
const cleared = (ms: number, id: string) =>
  server(ms, { type: 'output_audio_buffer.cleared', response_id: id });
const stopped = (ms: number, id: string) =>
  server(ms, { type: 'output_audio_buffer.stopped', response_id: id });
const done = (ms: number, id: string, status = 'completed') =>
  server(ms, { type: 'response.done', response: { id, object: 'realtime.response', status } });
const runEnded = (ms: number) =>
  system(ms, { type: 'run.ended', end_reason: 'termination_cue', turns: 8 });

function measure(event_log: EventLogEntry[]): VoiceMetrics {
  const metrics = computeVoiceMetrics({ event_log, created_at: CREATED_AT });
  if (!metrics) throw new Error('not measured as a voice run');
  return metrics;
}

/** A WebRTC voice run: an answer, a false end of turn, a barge-in, an unanswered goodbye. */
const RUN: EventLogEntry[] = [
  entry('client', 0, { type: 'response.create' }),
  created(50, 'resp_0'),
  audioStarted(400, 'resp_0'),
  done(900, 'resp_0'),
  stopped(2000, 'resp_0'),
  // u1: answered 1100 ms after the speech ended; heard right.
  said(2500, 'u1', 'My order number is 48-2210.'),
  speechStarted(2800, 'item_1', 2200),
  ended(4500, 'u1'),
  speechStopped(5100, 'item_1', 5000),
  created(5150, 'resp_1'),
  transcribed(5300, 'item_1', 'My order number is 48 2210.'),
  audioStarted(5600, 'resp_1'),
  done(6000, 'resp_1'),
  stopped(8000, 'resp_1'),
  // u2: the detector ends the turn at a pause; the response is cancelled when she goes on.
  said(8500, 'u2', 'It arrived on Monday and the lamp was broken.'),
  speechStarted(8700, 'item_2', 8200),
  speechStopped(9900, 'item_2', 9800),
  created(9950, 'resp_2'),
  speechStarted(10100, 'item_3', 10000),
  done(10150, 'resp_2', 'cancelled'),
  ended(11000, 'u2'),
  speechStopped(11600, 'item_3', 11500),
  created(11650, 'resp_3'),
  // Transcripts arrive out of audio order: paired by item and audio offsets, not position.
  transcribed(11700, 'item_3', 'and the lamp was broke'),
  transcribed(11750, 'item_2', 'It arrived on Monday'),
  audioStarted(12000, 'resp_3'),
  done(12500, 'resp_3'),
  // u3 barges in on resp_3; its audio is cleared 300 ms later. Its transcription fails.
  said(12800, 'u3', 'Sorry, one more thing.'),
  bargeIn(12800, 'u3', 'resp_3'),
  speechStarted(13000, 'item_4', 12700),
  cleared(13100, 'resp_3'),
  ended(13800, 'u3'),
  speechStopped(14400, 'item_4', 14300),
  created(14450, 'resp_4'),
  transcriptionFailed(14500, 'item_4'),
  audioDelta(14900, 'resp_4'), // no output_audio_buffer.started: the first delta counts
  done(15200, 'resp_4'),
  // u4 is never detected nor answered, and the log goes on long after.
  said(16000, 'u4', 'Goodbye.'),
  ended(16500, 'u4'),
  runEnded(16500 + MISSED_END_OF_TURN_MS),
];

describe('computeVoiceMetrics', () => {
  it('is null for a text run', () => {
    expect(
      computeVoiceMetrics({
        created_at: CREATED_AT,
        event_log: [
          entry('client', 0, { type: 'response.create' }),
          created(50, 'resp_0'),
          audioStarted(400, 'resp_0'),
          system(900, { type: 'turn.completed', speaker: 'simulated_user' }),
        ],
      }),
    ).toBeNull();
  });

  it('measures each utterance: voice-to-voice latency with the detector and model shares beside it', () => {
    const { turns } = measure(RUN);
    expect(turns.map((turn) => turn.utterance_id)).toEqual(['u1', 'u2', 'u3', 'u4']);
    expect(turns[0]).toEqual({
      utterance_id: 'u1',
      said: 'My order number is 48-2210.',
      speech_started_ms: 2500,
      speech_ended_ms: 4500,
      audio_start_ms: 2500,
      audio_end_ms: 4500,
      item_ids: ['item_1'],
      server_speech_stopped_ms: 5100,
      server_audio_end_ms: 5000,
      response_id: 'resp_1',
      first_audio_ms: 5600,
      voice_to_voice_ms: 1100,
      vad_delay_ms: 600,
      response_delay_ms: 500,
      vad_audio_delay_ms: 500,
      heard: 'My order number is 48 2210.',
      wer: { substitutions: 0, deletions: 0, insertions: 0, reference_words: 6, rate: 0 },
      false_end_of_turn: false,
      missed_end_of_turn: false,
    });
  });

  it('counts a response started mid-speech as a false end of turn and measures the real answer', () => {
    const u2 = measure(RUN).turns[1];
    expect(u2).toMatchObject({
      item_ids: ['item_2', 'item_3'],
      false_end_of_turn: true,
      response_id: 'resp_3',
      voice_to_voice_ms: 1000,
      server_speech_stopped_ms: 11600,
      vad_delay_ms: 600,
      response_delay_ms: 400,
      heard: 'It arrived on Monday and the lamp was broke',
      wer: { substitutions: 1, deletions: 0, insertions: 0, reference_words: 9 },
      missed_end_of_turn: false,
    });
  });

  it('takes the first audio delta when no output_audio_buffer.started came, and leaves a failed transcription unknown', () => {
    const u3 = measure(RUN).turns[2];
    expect(u3).toMatchObject({
      response_id: 'resp_4',
      first_audio_ms: 14900,
      voice_to_voice_ms: 1100,
      heard: null,
      wer: null,
      false_end_of_turn: false,
    });
  });

  it('scores undetected speech as heard as nothing, and counts it missed when the log goes on', () => {
    const u4 = measure(RUN).turns[3];
    expect(u4).toMatchObject({
      item_ids: [],
      response_id: null,
      voice_to_voice_ms: null,
      heard: '',
      wer: { deletions: 1, reference_words: 1, rate: 1 },
      missed_end_of_turn: true,
    });
  });

  it('sums the run: nearest-rank percentiles, WER of all words, turn-taking counts', () => {
    const metrics = measure(RUN);
    expect(metrics).toMatchObject({
      voice_to_voice_p50_ms: 1100,
      voice_to_voice_p95_ms: 1100,
      vad_delay_p50_ms: 600,
      vad_delay_p95_ms: 600,
      response_delay_p50_ms: 500,
      response_delay_p95_ms: 500,
      // 0 of 6, 1 of 9, u3 unknown, 1 of 1: 2 of 16 words, not the mean of 0, 1/9 and 1.
      wer: { substitutions: 1, deletions: 1, insertions: 0, reference_words: 16, rate: 2 / 16 },
      turns_without_transcript: 1,
      false_end_of_turns: 1,
      missed_end_of_turns: 1,
      barge_ins_handled: 1,
      unmatched_speech_items: 0,
    });
    expect(metrics.barge_ins).toEqual([
      { utterance_id: 'u3', response_id: 'resp_3', at_ms: 12800, stop_ms: 300, handled: true },
    ]);
  });

  it('does not count an unanswered utterance as missed when the log ends too soon to tell', () => {
    const cut = RUN.slice(0, -1).concat(runEnded(16500 + MISSED_END_OF_TURN_MS - 1));
    expect(measure(cut).turns[3]?.missed_end_of_turn).toBeNull();
    expect(measure(cut).missed_end_of_turns).toBe(0);
  });

  it('counts an answer later than the limit as missed, with its latency still measured', () => {
    const late = [
      said(1000, 'u1', 'Hello there.'),
      speechStarted(1100, 'item_1', 900),
      ended(2000, 'u1'),
      speechStopped(2500, 'item_1', 2500),
      created(2600, 'resp_1'),
      audioStarted(2000 + MISSED_END_OF_TURN_MS + 1, 'resp_1'),
    ];
    expect(measure(late).turns[0]).toMatchObject({
      voice_to_voice_ms: MISSED_END_OF_TURN_MS + 1,
      missed_end_of_turn: true,
    });
  });

  it('leaves an utterance that never ended out of turn-taking and WER', () => {
    const metrics = measure([
      said(1000, 'u1', 'I was saying'),
      speechStarted(1100, 'item_1', 900),
      created(1500, 'resp_1'),
      audioStarted(1800, 'resp_1'),
      transcribed(1900, 'item_1', 'I was'),
      runEnded(20_000),
    ]);
    expect(metrics.turns[0]).toMatchObject({
      item_ids: ['item_1'],
      speech_ended_ms: null,
      response_id: null,
      false_end_of_turn: null,
      missed_end_of_turn: null,
      heard: null,
      wer: null,
    });
    expect(metrics).toMatchObject({
      false_end_of_turns: 0,
      missed_end_of_turns: 0,
      turns_without_transcript: 0,
      wer: null,
      voice_to_voice_p50_ms: null,
    });
  });

  it('leaves WER unknown when the session never transcribed its input', () => {
    const withoutTranscription = RUN.filter(
      (e) => !e.event.type.startsWith('conversation.item.input_audio_transcription'),
    );
    const metrics = measure(withoutTranscription);
    expect(metrics.turns.map((turn) => turn.heard)).toEqual([null, null, null, null]);
    expect(metrics.wer).toBeNull();
    expect(metrics.turns_without_transcript).toBe(4);
  });

  it('scores an empty transcript as every word deleted', () => {
    const metrics = measure([
      said(1000, 'u1', 'Three words here'),
      speechStarted(1100, 'item_1', 900),
      ended(2000, 'u1'),
      speechStopped(2500, 'item_1', 2500),
      transcribed(2600, 'item_1', ''),
    ]);
    expect(metrics.wer).toMatchObject({ deletions: 3, reference_words: 3, rate: 1 });
  });

  it('skips durations whose later point was recorded first, never negative', () => {
    const metrics = measure([
      said(1000, 'u1', 'Hello there.'),
      speechStarted(1100, 'item_1', 900),
      ended(2000, 'u1'),
      // The server's speech_stopped stamped before the end of speech was: a clock that ran backwards.
      speechStopped(1900, 'item_1', 2500),
      created(2100, 'resp_1'),
      audioStarted(2700, 'resp_1'),
    ]);
    expect(metrics.turns[0]).toMatchObject({
      voice_to_voice_ms: 700,
      vad_delay_ms: null,
      response_delay_ms: 800,
    });
    expect(metrics.vad_delay_p95_ms).toBeNull();
  });

  it('does not take audio that started before the speech ended as the answer', () => {
    const metrics = measure([
      said(1000, 'u1', 'Hello there, how are you today?'),
      ended(3000, 'u1'),
      created(1500, 'resp_1'),
      audioStarted(2000, 'resp_1'),
      runEnded(3000 + MISSED_END_OF_TURN_MS),
    ]);
    expect(metrics.turns[0]).toMatchObject({
      false_end_of_turn: true,
      response_id: null,
      voice_to_voice_ms: null,
      missed_end_of_turn: true,
    });
  });

  it('does not take a response to the next utterance as the answer to this one', () => {
    const metrics = measure([
      said(1000, 'u1', 'First.'),
      ended(1500, 'u1'),
      said(4000, 'u2', 'Second.'),
      ended(4500, 'u2'),
      created(4600, 'resp_1'),
      audioStarted(5000, 'resp_1'),
    ]);
    expect(metrics.turns.map((turn) => turn.response_id)).toEqual([null, 'resp_1']);
  });

  it('handles a barge-in only when the talked-over audio stops in time', () => {
    const base = [
      created(0, 'resp_1'),
      audioStarted(100, 'resp_1'),
      said(2000, 'u1', 'Wait.'),
      bargeIn(2000, 'u1', 'resp_1'),
      ended(2400, 'u1'),
    ];
    const late = measure([...base, cleared(2000 + BARGE_IN_STOP_MS + 1, 'resp_1')]).barge_ins;
    expect(late).toEqual([
      {
        utterance_id: 'u1',
        response_id: 'resp_1',
        at_ms: 2000,
        stop_ms: BARGE_IN_STOP_MS + 1,
        handled: false,
      },
    ]);
    // WebSocket: no output audio buffer, the response is cancelled.
    const cancelled = measure([...base, done(2200, 'resp_1', 'cancelled')]);
    expect(cancelled.barge_ins[0]).toMatchObject({ stop_ms: 200, handled: true });
    expect(cancelled.barge_ins_handled).toBe(1);
    // Finishing on its own is not stopping, and another response's clear does not count.
    const ignored = measure([
      ...base,
      done(2100, 'resp_1', 'completed'),
      stopped(2300, 'resp_1'),
      cleared(2300, 'resp_other'),
    ]);
    expect(ignored.barge_ins[0]).toMatchObject({ stop_ms: null, handled: false });
    // A clear stamped before the barge-in was not caused by it.
    expect(measure([...base, cleared(1900, 'resp_1')]).barge_ins[0]?.handled).toBe(false);

    // WebSocket, the answer said but still playing: the client's truncate of its item stops it.
    const truncated = measure([
      server(150, {
        type: 'response.output_item.added',
        response_id: 'resp_1',
        output_index: 0,
        item: { id: 'item_a1', type: 'message', role: 'assistant' },
      }),
      ...base,
      done(1500, 'resp_1', 'completed'),
      entry('client', 2150, {
        type: 'conversation.item.truncate',
        item_id: 'item_a1',
        content_index: 0,
        audio_end_ms: 2050,
      }),
    ]);
    expect(truncated.barge_ins[0]).toMatchObject({ stop_ms: 150, handled: true });
    // A truncate of an item no response of the run made stops nothing.
    const stray = measure([
      ...base,
      entry('client', 2150, {
        type: 'conversation.item.truncate',
        item_id: 'item_unknown',
        content_index: 0,
        audio_end_ms: 2050,
      }),
    ]);
    expect(stray.barge_ins[0]?.handled).toBe(false);
  });

  it('counts speech the detector found where none was sent', () => {
    const metrics = measure([
      speechStarted(300, 'item_noise', 100),
      speechStopped(900, 'item_noise', 800),
      said(1000, 'u1', 'Hello.'),
      speechStarted(1100, 'item_1', 900),
      ended(1500, 'u1'),
      speechStopped(2000, 'item_1', 2000),
    ]);
    expect(metrics.unmatched_speech_items).toBe(1);
    expect(metrics.turns[0]?.item_ids).toEqual(['item_1']);
  });
});
