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
  audioOffsetMs,
  durationMs,
  turns,
  turnOffsets,
  positionMs,
  onSeek,
}: {
  loudness: number[];
  audioOffsetMs: number;
  durationMs: number;
  turns: ConversationTurn[];
  turnOffsets: number[];
  positionMs: number;
  onSeek(positionMs: number): void;
}) {
  const span = Math.max(1, durationMs);
  const group = Math.max(1, Math.ceil(loudness.length / MAX_BARS));
  const bars: Array<{ at: number; level: number }> = [];
  for (let i = 0; i < loudness.length; i += group) {
    bars.push({
      at: audioOffsetMs + i * LOUDNESS_WINDOW_MS,
      level: Math.max(...loudness.slice(i, i + group)),
    });
  }
  const barWidth = ((group * LOUDNESS_WINDOW_MS) / span) * 1000;
  const path = bars
    .map(({ at, level }) => {
      const x = (at / span) * 1000;
      const height = Math.max(1, level * 0.9);
      return `M${x.toFixed(2)} ${(50 - height / 2).toFixed(2)}h${barWidth.toFixed(3)}v${height.toFixed(2)}h${(-barWidth).toFixed(3)}z`;
    })
    .join('');

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
      aria-label="Audio timeline"
      aria-valuemin={0}
      aria-valuemax={Math.round(span)}
      aria-valuenow={Math.round(positionMs)}
      aria-valuetext={`${formatDuration(positionMs)} of ${formatDuration(span)}`}
      onClick={seekTo}
      onKeyDown={onKeyDown}
    >
      <svg viewBox="0 0 1000 100" preserveAspectRatio="none" aria-hidden="true">
        <path className="waveform-bars" d={path} />
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
