import type { ConversationTurn } from '@core/benchmark-run.ts';
import { formatDuration, SPEAKER_LABELS } from '@core/format.ts';
import type { PlaybackClock } from '../playback-clock.ts';
import { type ReplayTimeline, turnsSpokenBy } from '../replay.ts';

const SPEEDS = [1, 2, 5] as const;

/**
 * Steps through the transcript with its original timing: play, pause, 1x/2x/5x,
 * scrub. It follows the page's clock: the recording's, when the run has one.
 */
export function ReplayPlayer({
  turns,
  timeline,
  clock,
  waiting = false,
}: {
  turns: ConversationTurn[];
  timeline: ReplayTimeline;
  clock: PlaybackClock;
  /** The recording is still loading: playing now would start a clock that is about to change. */
  waiting?: boolean;
}) {
  const spoken = turnsSpokenBy(timeline, clock.positionMs);

  return (
    <section className="replay" aria-label="Replay">
      <h2>Replay</h2>
      <div className="replay-controls">
        {clock.playing ? (
          <button type="button" onClick={clock.pause}>
            Pause
          </button>
        ) : (
          <button type="button" onClick={clock.play} disabled={turns.length === 0 || waiting}>
            Play
          </button>
        )}
        <fieldset className="speeds" aria-label="Speed">
          {SPEEDS.map((option) => (
            <button
              key={option}
              type="button"
              className={option === clock.speed ? '' : 'secondary'}
              aria-pressed={option === clock.speed}
              onClick={() => clock.setSpeed(option)}
            >
              {option}x
            </button>
          ))}
        </fieldset>
        <label className="grow">
          <span className="visually-hidden">Position</span>
          <input
            type="range"
            aria-label="Position"
            min={0}
            max={clock.durationMs}
            step={100}
            value={Math.round(clock.positionMs)}
            onChange={(event) => clock.seek(Number(event.target.value))}
          />
        </label>
        <span className="replay-clock" data-testid="replay-clock">
          {formatDuration(clock.positionMs)} / {formatDuration(clock.durationMs)}
        </span>
      </div>
      <ol className="transcript replay-transcript" aria-label="Replayed transcript">
        {turns.slice(0, spoken).map((turn, index) => (
          <li
            // Turns are fixed for a saved run, so the index is a stable key.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above.
            key={index}
            className={`turn ${turn.speaker}${index === spoken - 1 ? ' current' : ''}`}
          >
            <span className="speaker">{SPEAKER_LABELS[turn.speaker]}</span>
            <span className="content">{turn.content}</span>
          </li>
        ))}
      </ol>
      <p className="summary">
        {spoken} of {turns.length} turns
      </p>
    </section>
  );
}
