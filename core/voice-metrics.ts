import type { EventLogEntry } from './benchmark-run.ts';
import { percentile } from './statistics.ts';
import { readSystemEvent } from './system-events.ts';
import { span, type TurnTimeline, turnTimeline } from './turn-timeline.ts';
import { totalWordErrors, type WordErrors, wordErrors } from './word-error-rate.ts';

/**
 * What a voice run measured, from its event log alone: how long the
 * interviewer took after the user stopped speaking, what it heard, and how it
 * took turns. docs/metrics.md defines each figure in words.
 *
 * Three clocks meet here. Wall-clock points are ms from the run's origin (as
 * in `turnTimeline`). Audio offsets are ms into all the audio sent to the
 * interviewer's input since its session began, the clock of the server's
 * `speech_started.audio_start_ms` / `speech_stopped.audio_end_ms`: the
 * simulated user's utterances and the server's speech items are paired on
 * it, by overlap, never by position. Responses are the timeline's, paired by
 * response id. Durations whose later point was recorded first are null.
 */

/** An utterance with no answer's first audio this long after its speech ended is a missed end of turn. */
export const MISSED_END_OF_TURN_MS = 5000;
/** A barge-in is handled when the interrupted response's audio stops within this long of it. */
export const BARGE_IN_STOP_MS = 1000;

export interface VoiceTurn {
  utterance_id: string;
  /** What the simulated user said (`user_speech.started.text`). */
  said: string;
  /** Wall clock: `user_speech.started` / `user_speech.ended`. */
  speech_started_ms: number | null;
  speech_ended_ms: number | null;
  /** Where the speech starts and ends in the input audio. */
  audio_start_ms: number | null;
  audio_end_ms: number | null;
  /** The server's speech items that overlap this utterance in the input audio, in audio order. */
  item_ids: string[];
  /** Wall clock of the last of those items' `input_audio_buffer.speech_stopped`. */
  server_speech_stopped_ms: number | null;
  /** That event's `audio_end_ms` (speech end plus the silence the detector waited for). */
  server_audio_end_ms: number | null;
  /** The answer: the first response after the speech ended whose audio started after it. */
  response_id: string | null;
  first_audio_ms: number | null;
  /** End of speech (sent) → first audio of the answer. */
  voice_to_voice_ms: number | null;
  /** End of speech (sent) → the server's speech_stopped: the turn detector's share. */
  vad_delay_ms: number | null;
  /** The server's speech_stopped → first audio: the model's share. */
  response_delay_ms: number | null;
  /** Audio clock: server_audio_end_ms − audio_end_ms; negative when the detector cut the speech short. */
  vad_audio_delay_ms: number | null;
  /** The interviewer's transcription of the items, joined; null when it is not known (see docs). */
  heard: string | null;
  wer: WordErrors | null;
  /** A response started while the user was still speaking; null when the speech never ended. */
  false_end_of_turn: boolean | null;
  /** No answer within MISSED_END_OF_TURN_MS; null when the log ends sooner or the speech never ended. */
  missed_end_of_turn: boolean | null;
}

export interface BargeIn {
  utterance_id: string;
  /** The interviewer response talked over. */
  response_id: string;
  /** Wall clock of `user_speech.barge_in`. */
  at_ms: number | null;
  /** Barge-in → that response's `output_audio_buffer.cleared` or its cancelled `response.done`. */
  stop_ms: number | null;
  handled: boolean;
}

export interface VoiceMetrics {
  turns: VoiceTurn[];
  barge_ins: BargeIn[];
  /** Nearest-rank p50/p95 over this run's answered utterances. */
  voice_to_voice_p50_ms: number | null;
  voice_to_voice_p95_ms: number | null;
  vad_delay_p50_ms: number | null;
  vad_delay_p95_ms: number | null;
  response_delay_p50_ms: number | null;
  response_delay_p95_ms: number | null;
  /** All turns' errors over all their reference words; null when no turn could be scored. */
  wer: WordErrors | null;
  /** Finished utterances whose transcription is unknown (not switched on, failed, missing). */
  turns_without_transcript: number;
  false_end_of_turns: number;
  missed_end_of_turns: number;
  barge_ins_handled: number;
  /** Server speech items that overlap no utterance: speech detected in noise or silence. */
  unmatched_speech_items: number;
}

type Event = EventLogEntry['event'] & Record<string, unknown>;

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
const num = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const record = (value: unknown) =>
  value && typeof value === 'object' ? (value as Record<string, unknown>) : {};

interface UtteranceDraft {
  id: string;
  text: string;
  started: number | null;
  ended: number | null;
  audioStart: number | null;
  audioEnd: number | null;
  items: SpeechItem[];
}

interface SpeechItem {
  id: string;
  audioStart: number | null;
  audioEnd: number | null;
  stoppedAt: number | null;
  /** Transcripts by content index. */
  transcripts: Map<number, string>;
  failed: boolean;
}

/** The voice figures of a run, or null when it is not a voice run (no `user_speech.started`). */
export function computeVoiceMetrics(
  run: { event_log: EventLogEntry[]; created_at?: string | null },
  /** The run's turn timeline (from its `created_at`), when the caller has it already. */
  timeline: TurnTimeline = turnTimeline(run),
): VoiceMetrics | null {
  const offset = (timestamp: string): number | null => {
    const at = Date.parse(timestamp);
    return Number.isFinite(at) && timeline.origin !== null ? at - timeline.origin : null;
  };

  const utterances = new Map<string, UtteranceDraft>();
  const items = new Map<string, SpeechItem>();
  const bargeIns: { utterance: string; response: string; at: number | null }[] = [];
  /** Per response id: when its audio was stopped (cleared, truncated, or the response cancelled). */
  const stops = new Map<string, number[]>();
  /** The response each output item belongs to, as a truncate names the item. */
  const responseOfItem = new Map<string, string>();
  let transcription = false;
  let lastEvent: number | null = null;

  const utterance = (id: string) => {
    let draft = utterances.get(id);
    if (!draft) {
      draft = {
        id,
        text: '',
        started: null,
        ended: null,
        audioStart: null,
        audioEnd: null,
        items: [],
      };
      utterances.set(id, draft);
    }
    return draft;
  };
  const item = (id: string) => {
    let speech = items.get(id);
    if (!speech) {
      speech = {
        id,
        audioStart: null,
        audioEnd: null,
        stoppedAt: null,
        transcripts: new Map(),
        failed: false,
      };
      items.set(id, speech);
    }
    return speech;
  };
  const stopped = (responseId: string | undefined, at: number | null) => {
    if (!responseId || at === null) return;
    stops.set(responseId, [...(stops.get(responseId) ?? []), at]);
  };

  for (const entry of run.event_log) {
    const at = offset(entry.timestamp);
    if (at !== null) lastEvent = lastEvent === null ? at : Math.max(lastEvent, at);
    if (entry.direction === 'system') {
      const system = readSystemEvent(entry.event);
      if (system?.type === 'user_speech.started' && system.utterance_id) {
        const draft = utterance(system.utterance_id);
        draft.started ??= at;
        draft.audioStart ??= system.audio_start_ms ?? null;
        draft.text = system.text ?? draft.text;
      } else if (system?.type === 'user_speech.ended' && system.utterance_id) {
        const draft = utterance(system.utterance_id);
        draft.ended ??= at;
        draft.audioEnd ??= system.audio_end_ms ?? null;
      } else if (
        system?.type === 'user_speech.barge_in' &&
        system.utterance_id &&
        system.response_id
      ) {
        bargeIns.push({ utterance: system.utterance_id, response: system.response_id, at });
      }
      continue;
    }
    const event = entry.event as Event;
    const itemId = str(event.item_id);
    if (entry.direction === 'client') {
      // Over WebSocket the client stops its own playback, and says where, with a truncate.
      if (event.type === 'conversation.item.truncate' && itemId)
        stopped(responseOfItem.get(itemId), at);
      continue;
    }
    if (entry.direction !== 'server') continue;
    switch (event.type) {
      case 'response.output_item.added': {
        const outputId = str(record(event.item).id);
        const responseId = str(event.response_id);
        if (outputId && responseId) responseOfItem.set(outputId, responseId);
        break;
      }
      case 'input_audio_buffer.speech_started':
        if (itemId) item(itemId).audioStart ??= num(event.audio_start_ms) ?? null;
        break;
      case 'input_audio_buffer.speech_stopped':
        if (itemId) {
          const speech = item(itemId);
          speech.audioEnd = num(event.audio_end_ms) ?? speech.audioEnd;
          speech.stoppedAt = at;
        }
        break;
      case 'conversation.item.input_audio_transcription.completed':
        transcription = true;
        if (itemId && typeof event.transcript === 'string') {
          item(itemId).transcripts.set(num(event.content_index) ?? 0, event.transcript);
        }
        break;
      case 'conversation.item.input_audio_transcription.failed':
        transcription = true;
        if (itemId) item(itemId).failed = true;
        break;
      case 'output_audio_buffer.cleared':
        stopped(str(event.response_id), at);
        break;
      case 'response.done': {
        const response = record(event.response);
        if (response.status === 'cancelled') stopped(str(response.id), at);
        break;
      }
    }
  }
  if (utterances.size === 0) return null;

  // Each server speech item goes to the utterance it overlaps most in the input audio.
  const drafts = [...utterances.values()];
  let unmatched = 0;
  for (const speech of items.values()) {
    // An item not stopped yet runs to the end of the audio; one seen only stopping is its end.
    const start = speech.audioStart ?? speech.audioEnd;
    const end = speech.audioEnd ?? Number.POSITIVE_INFINITY;
    if (start === null) continue;
    let best: UtteranceDraft | null = null;
    let bestOverlap = -1;
    for (const draft of drafts) {
      if (draft.audioStart === null) continue;
      const overlap =
        Math.min(end, draft.audioEnd ?? Number.POSITIVE_INFINITY) -
        Math.max(start, draft.audioStart);
      if (overlap >= 0 && overlap > bestOverlap) {
        best = draft;
        bestOverlap = overlap;
      }
    }
    if (best) best.items.push(speech);
    else unmatched++;
  }

  const responses = timeline.turns.flatMap((turn) =>
    turn.speaker === 'interviewer'
      ? [
          {
            id: turn.response_id,
            start: turn.created_ms ?? turn.first_audio_ms,
            firstAudio: turn.first_audio_ms,
          },
        ]
      : [],
  );
  const startsOfSpeech = drafts
    .map((draft) => draft.started)
    .filter((ms): ms is number => ms !== null);

  const turns = drafts.map((draft): VoiceTurn => {
    const { started, ended } = draft;
    const speechItems = [...draft.items].sort(
      (a, b) => (a.audioStart ?? a.audioEnd ?? 0) - (b.audioStart ?? b.audioEnd ?? 0),
    );
    const lastStop = speechItems.reduce<SpeechItem | null>(
      (last, speech) =>
        speech.audioEnd !== null && (last?.audioEnd ?? -1) <= speech.audioEnd ? speech : last,
      null,
    );
    const nextSpeech =
      started === null
        ? null
        : (startsOfSpeech.filter((ms) => ms > started).sort((a, b) => a - b)[0] ?? null);

    let answer: (typeof responses)[number] | null = null;
    let falseEndOfTurn: boolean | null = null;
    if (started !== null && ended !== null) {
      falseEndOfTurn = responses.some(
        (response) =>
          response.start !== null && response.start >= started && response.start < ended,
      );
      for (const response of responses) {
        const { start, firstAudio } = response;
        if (start === null || firstAudio === null || start < started || firstAudio < ended)
          continue;
        if (nextSpeech !== null && firstAudio >= nextSpeech) continue;
        if (answer === null || firstAudio < (answer.firstAudio as number)) answer = response;
      }
    }
    const voiceToVoice = span(ended, answer?.firstAudio ?? null);
    let missed: boolean | null = null;
    if (ended !== null) {
      if (voiceToVoice !== null && voiceToVoice <= MISSED_END_OF_TURN_MS) missed = false;
      else if (lastEvent !== null && lastEvent - ended >= MISSED_END_OF_TURN_MS) missed = true;
    }
    const heard = ended === null || !transcription ? null : heardText(speechItems);
    const stoppedAt = lastStop?.stoppedAt ?? null;
    return {
      utterance_id: draft.id,
      said: draft.text,
      speech_started_ms: started,
      speech_ended_ms: ended,
      audio_start_ms: draft.audioStart,
      audio_end_ms: draft.audioEnd,
      item_ids: speechItems.map((speech) => speech.id),
      server_speech_stopped_ms: stoppedAt,
      server_audio_end_ms: lastStop?.audioEnd ?? null,
      response_id: answer?.id ?? null,
      first_audio_ms: answer?.firstAudio ?? null,
      voice_to_voice_ms: voiceToVoice,
      vad_delay_ms: span(ended, stoppedAt),
      response_delay_ms: span(stoppedAt, answer?.firstAudio ?? null),
      vad_audio_delay_ms:
        lastStop?.audioEnd != null && draft.audioEnd !== null
          ? lastStop.audioEnd - draft.audioEnd
          : null,
      heard,
      wer: heard === null ? null : wordErrors(draft.text, heard),
      false_end_of_turn: falseEndOfTurn,
      missed_end_of_turn: missed,
    };
  });

  const barge_ins = bargeIns.map(({ utterance: utteranceId, response, at }): BargeIn => {
    const stop =
      at === null
        ? null
        : ((stops.get(response) ?? []).filter((ms) => ms >= at).sort((a, b) => a - b)[0] ?? null);
    const stopMs = span(at, stop);
    return {
      utterance_id: utteranceId,
      response_id: response,
      at_ms: at,
      stop_ms: stopMs,
      handled: stopMs !== null && stopMs <= BARGE_IN_STOP_MS,
    };
  });

  const values = (pick: (turn: VoiceTurn) => number | null) =>
    turns.map(pick).filter((ms): ms is number => ms !== null);
  const v2v = values((turn) => turn.voice_to_voice_ms);
  const vad = values((turn) => turn.vad_delay_ms);
  const model = values((turn) => turn.response_delay_ms);
  const count = (pick: (turn: VoiceTurn) => boolean | null) =>
    turns.filter((turn) => pick(turn) === true).length;
  return {
    turns,
    barge_ins,
    voice_to_voice_p50_ms: percentile(v2v, 0.5),
    voice_to_voice_p95_ms: percentile(v2v, 0.95),
    vad_delay_p50_ms: percentile(vad, 0.5),
    vad_delay_p95_ms: percentile(vad, 0.95),
    response_delay_p50_ms: percentile(model, 0.5),
    response_delay_p95_ms: percentile(model, 0.95),
    wer: totalWordErrors(turns.flatMap((turn) => (turn.wer ? [turn.wer] : []))),
    turns_without_transcript: turns.filter(
      (turn) => turn.speech_ended_ms !== null && turn.heard === null,
    ).length,
    false_end_of_turns: count((turn) => turn.false_end_of_turn),
    missed_end_of_turns: count((turn) => turn.missed_end_of_turn),
    barge_ins_handled: barge_ins.filter((bargeIn) => bargeIn.handled).length,
    unmatched_speech_items: unmatched,
  };
}

/**
 * What the interviewer's transcription says it heard of an utterance: its
 * items' transcripts in audio order. No item means the speech was never
 * detected, so nothing was heard (''); an item without a completed
 * transcription (failed, or none came) makes it unknown (null).
 */
function heardText(speechItems: readonly SpeechItem[]): string | null {
  const parts: string[] = [];
  for (const speech of speechItems) {
    if (speech.failed || speech.transcripts.size === 0) return null;
    const ordered = [...speech.transcripts.entries()].sort(([a], [b]) => a - b);
    parts.push(...ordered.map(([, transcript]) => transcript));
  }
  return parts.join(' ');
}
