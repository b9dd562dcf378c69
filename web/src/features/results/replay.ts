import type { ConversationTurn } from '@core/benchmark-run.ts';
import type { AudioSegment } from '@core/run-audio.ts';

/** What ties a run's recording to its clock (a run's audio metadata). */
interface AudioTiming {
  started_at: string;
  duration_ms: number;
  segments: AudioSegment[];
}

export interface ReplayTimeline {
  /** Offset of each turn from the run's start, in ms, never decreasing. */
  offsets: number[];
  durationMs: number;
  /** Where the recording's position 0 is on the run's clock (0 without a recording). */
  audioOffsetMs: number;
}

/**
 * When each turn happened, relative to the run's start (out-of-order stamps
 * are clamped forward). With a recording, an interviewer turn starts where its
 * response is heard in it, and the replay lasts as long as the recording.
 */
export function buildTimeline(
  createdAt: string,
  turns: ConversationTurn[],
  audio?: AudioTiming | null,
): ReplayTimeline {
  const start = Date.parse(createdAt);
  const audioOffsetMs = audio ? Date.parse(audio.started_at) - start : 0;
  const heardAt = new Map(
    (audio?.segments ?? []).map((segment) => [
      segment.response_id,
      audioOffsetMs + segment.start_ms,
    ]),
  );
  let previous = 0;
  const offsets = turns.map((turn) => {
    const heard = typeof turn.response_id === 'string' ? heardAt.get(turn.response_id) : undefined;
    const at = heard ?? Date.parse(turn.timestamp) - start;
    previous = Math.max(previous, Number.isNaN(at) ? previous : at);
    return previous;
  });
  const lastTurn = offsets.at(-1) ?? 0;
  const audioEnd = audio ? audioOffsetMs + audio.duration_ms : 0;
  return { offsets, durationMs: Math.max(lastTurn, audioEnd), audioOffsetMs };
}

/** How many turns have been spoken by `positionMs` into the replay. */
export function turnsSpokenBy(timeline: ReplayTimeline, positionMs: number): number {
  let count = 0;
  while (count < timeline.offsets.length && (timeline.offsets[count] as number) <= positionMs)
    count++;
  return count;
}
