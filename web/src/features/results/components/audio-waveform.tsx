import type { ConversationTurn } from '@core/benchmark-run.ts';
import { formatDuration, SPEAKER_LABELS } from '@core/format.ts';
import { LOUDNESS_WINDOW_MS } from '@core/run-audio.ts';
import type { KeyboardEvent, MouseEvent } from 'react';

/** Bars drawn at most: a long run's windows are grouped, each bar the loudest of its group. */
const MAX_BARS = 600;
const KEY_STEP_MS = 5000;

/**
 * The recording's loudness over the run's timeline, with where each turn
 * starts and the playhead. Clicking (or the arrow keys) moves the clock.
 */
export function AudioWaveform({
  loudness,
  userLoudness,
  audioOffsetMs,
  durationMs,
  turns,
  turnOffsets,
  positionMs,
  onSeek,
}: {
  loudness: number[];
  /** A stereo recording's right channel (the simulated user): drawn below the interviewer's. */
  userLoudness?: number[] | null;
  audioOffsetMs: number;
  durationMs: number;
  turns: ConversationTurn[];
  turnOffsets: number[];
  positionMs: number;
  onSeek(positionMs: number): void;
}) {
  const span = Math.max(1, durationMs);
  const stereo = Boolean(userLoudness);
  // Mono: bars centred; stereo: the interviewer above the middle, the user below it.
  const interviewerPath = barsPath(loudness, audioOffsetMs, span, stereo ? 'up' : 'centre');
  const userPath = userLoudness ? barsPath(userLoudness, audioOffsetMs, span, 'down') : null;

  const seekTo = (event: MouseEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    if (box.width === 0) return;
    onSeek(((event.clientX - box.left) / box.width) * span);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = { ArrowLeft: -KEY_STEP_MS, ArrowRight: KEY_STEP_MS }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    onSeek(positionMs + step);
  };

  return (
    <div
      className="waveform"
      role="slider"
      tabIndex={0}
      aria-label={
        stereo ? 'Audio timeline (interviewer above, simulated user below)' : 'Audio timeline'
      }
      aria-valuemin={0}
      aria-valuemax={Math.round(span)}
      aria-valuenow={Math.round(positionMs)}
      aria-valuetext={`${formatDuration(positionMs)} of ${formatDuration(span)}`}
      onClick={seekTo}
      onKeyDown={onKeyDown}
    >
      <svg viewBox="0 0 1000 100" preserveAspectRatio="none" aria-hidden="true">
        <path className="waveform-bars" d={interviewerPath} />
        {userPath && <path className="waveform-bars user" d={userPath} />}
      </svg>
      {turnOffsets.map((offset, index) => (
        <span
          // biome-ignore lint/suspicious/noArrayIndexKey: a saved run's turns never reorder.
          key={index}
          className={`waveform-turn ${turns[index]?.speaker ?? ''}`}
          style={{ left: `${(offset / span) * 100}%` }}
          title={`Turn ${index + 1} (${turns[index] ? SPEAKER_LABELS[turns[index].speaker] : ''}) at ${formatDuration(offset)}`}
        />
      ))}
      <span className="waveform-playhead" style={{ left: `${(positionMs / span) * 100}%` }} />
    </div>
  );
}

/** An SVG path of one loudness strip in a 1000 × 100 box: bars centred, above or below the middle. */
function barsPath(
  levels: number[],
  offsetMs: number,
  spanMs: number,
  place: 'centre' | 'up' | 'down',
): string {
  const group = Math.max(1, Math.ceil(levels.length / MAX_BARS));
  const width = ((group * LOUDNESS_WINDOW_MS) / spanMs) * 1000;
  const parts: string[] = [];
  for (let i = 0; i < levels.length; i += group) {
    const x = (((offsetMs + i * LOUDNESS_WINDOW_MS) / spanMs) * 1000).toFixed(2);
    const level = Math.max(...levels.slice(i, i + group));
    const height = Math.max(1, place === 'centre' ? level * 0.9 : level * 0.45);
    const top = place === 'centre' ? 50 - height / 2 : place === 'up' ? 50 - height : 50;
    parts.push(
      `M${x} ${top.toFixed(2)}h${width.toFixed(3)}v${height.toFixed(2)}h${(-width).toFixed(3)}z`,
    );
  }
  return parts.join('');
}
