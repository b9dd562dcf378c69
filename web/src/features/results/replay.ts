import type { ConversationTurn } from '@core/benchmark-run.ts';

export interface ReplayTimeline {
  /** Offset of each turn from the run's start, in ms, never decreasing. */
  offsets: number[];
  durationMs: number;
}

/** When each turn happened, relative to the run's start (out-of-order stamps are clamped forward). */
export function buildTimeline(createdAt: string, turns: ConversationTurn[]): ReplayTimeline {
  const start = Date.parse(createdAt);
  let previous = 0;
  const offsets = turns.map((turn) => {
    const at = Date.parse(turn.timestamp) - start;
    previous = Math.max(previous, Number.isNaN(at) ? previous : at);
    return previous;
  });
  return { offsets, durationMs: offsets.at(-1) ?? 0 };
}

/** How many turns have been spoken by `positionMs` into the replay. */
export function turnsSpokenBy(timeline: ReplayTimeline, positionMs: number): number {
  let count = 0;
  while (count < timeline.offsets.length && (timeline.offsets[count] as number) <= positionMs)
    count++;
  return count;
}
