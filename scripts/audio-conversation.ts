/**
 * A long conversation as a run records it, for `perf:audio`: interviewer
 * turns spoken by `SpeechSynth` (the audio the recorder is given, each word
 * as it arrives), the simulated user's turns in between (silence in the
 * recording: only the interviewer is recorded), short gaps between turns, and
 * the run it makes, with a GA Realtime event log of matching length.
 */
import type { BenchmarkRun, ConversationTurn, EventLogEntry } from '@core/benchmark-run.ts';
import { SpeechSynth } from '@engine/audio/speech-synth.ts';

/** Audio as the recorder is given it: PCM16 heard at `atMs` (epoch ms), from a response. */
export interface HeardSpeech {
  samples: Int16Array;
  atMs: number;
  responseId: string;
}

export interface Conversation {
  /** The run of this conversation, under `runId` (each save a new run). */
  runAs(runId: string): BenchmarkRun;
  speech: HeardSpeech[];
  startedAtMs: number;
  endedAtMs: number;
  /** Milliseconds of interviewer speech (words and the pauses after them). */
  interviewerMs: number;
}

const START = Date.parse('2026-11-20T10:00:00.000Z');
const GAP_MS = 700;
/** Word lengths (pause included) cycled through, about 2.6 words a second. */
const WORD_MS = [280, 420, 350, 510, 300, 460, 390];
const WORDS =
  'so tell me about the last time you planned a busy week and what made it hard to keep to the plan once things changed'.split(
    ' ',
  );

/** The words of a turn of about `targetMs`, each with its length. */
function turnWords(turn: number, targetMs: number): Array<{ word: string; ms: number }> {
  const words: Array<{ word: string; ms: number }> = [];
  let spoken = 0;
  for (let i = 0; spoken < targetMs; i++) {
    const ms = WORD_MS[(turn + i) % WORD_MS.length] as number;
    words.push({ word: WORDS[(turn * 7 + i) % WORDS.length] as string, ms });
    spoken += ms;
  }
  return words;
}

/**
 * A conversation of `minutes`: exchanges of an interviewer question (12–17 s)
 * and an answer (10–16 s), until the next would not fit; the run ends at
 * exactly `minutes`.
 */
export function buildConversation(minutes: number, seed = 7): Conversation {
  const synth = new SpeechSynth(seed);
  const endedAtMs = START + minutes * 60_000;
  const at = (ms: number) => new Date(START + ms).toISOString();
  const turns: ConversationTurn[] = [];
  const events: EventLogEntry[] = [
    {
      direction: 'client',
      timestamp: at(0),
      event: { type: 'session.update', session: { type: 'realtime', instructions: 'Interview.' } },
    },
  ];
  const speech: HeardSpeech[] = [];
  let interviewerMs = 0;
  let t = 1000;
  for (let i = 0; ; i++) {
    const question = turnWords(i, 12_000 + ((i * 3_700) % 5_000));
    const answer = turnWords(i + 3, 10_000 + ((i * 2_900) % 6_000));
    const questionMs = question.reduce((sum, w) => sum + w.ms, 0);
    const answerMs = answer.reduce((sum, w) => sum + w.ms, 0);
    if (t + questionMs + GAP_MS + answerMs + GAP_MS > minutes * 60_000) break;

    const responseId = `resp_${i + 1}`;
    events.push(
      { direction: 'client', timestamp: at(t - 400), event: { type: 'response.create' } },
      {
        direction: 'server',
        timestamp: at(t),
        event: { type: 'output_audio_buffer.started', response_id: responseId },
      },
    );
    let wordAt = t;
    for (const { word, ms } of question) {
      speech.push({ samples: synth.word(word, ms), atMs: START + wordAt, responseId });
      events.push({
        direction: 'server',
        timestamp: at(wordAt),
        event: {
          type: 'response.output_audio_transcript.delta',
          response_id: responseId,
          delta: `${word} `,
        },
      });
      wordAt += ms;
    }
    const content = question.map((w) => w.word).join(' ');
    t += questionMs;
    interviewerMs += questionMs;
    events.push(
      {
        direction: 'server',
        timestamp: at(t),
        event: {
          type: 'response.output_audio_transcript.done',
          response_id: responseId,
          transcript: content,
        },
      },
      {
        direction: 'server',
        timestamp: at(t),
        event: {
          type: 'response.done',
          response: { id: responseId, status: 'completed', usage: { total_tokens: 900 } },
        },
      },
      {
        direction: 'server',
        timestamp: at(t),
        event: { type: 'output_audio_buffer.stopped', response_id: responseId },
      },
    );
    turns.push({
      speaker: 'interviewer',
      content: `${content}?`,
      timestamp: at(t),
      response_id: responseId,
    });

    t += GAP_MS + answerMs;
    const reply = answer.map((w) => w.word).join(' ');
    turns.push({ speaker: 'simulated_user', content: `${reply}.`, timestamp: at(t) });
    events.push({
      direction: 'client',
      timestamp: at(t),
      event: {
        type: 'conversation.item.create',
        item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: reply }] },
      },
    });
    t += GAP_MS;
  }
  events.push({
    direction: 'system',
    timestamp: new Date(endedAtMs).toISOString(),
    event: { type: 'run.ended', end_reason: 'termination_cue', turns: turns.length },
  });

  const runAs = (runId: string): BenchmarkRun => ({
    run_id: runId,
    created_at: new Date(START).toISOString(),
    mode: 'benchmark',
    conversation_history: turns,
    event_log: [
      { direction: 'system', timestamp: at(0), event: { type: 'run.started', run_id: runId } },
      ...events,
    ],
    interviewer_prompt: 'You are a friendly product researcher. Ask one question at a time.',
    simulated_user_prompt: 'You are Sam, a busy nurse who plans with paper.',
    end_reason: 'termination_cue',
  });
  return { runAs, speech, startedAtMs: START, endedAtMs, interviewerMs };
}
