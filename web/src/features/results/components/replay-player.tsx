import type { ConversationTurn } from '@core/benchmark-run.ts';
import { formatDuration, SPEAKER_LABELS } from '@core/format.ts';
import { useEffect, useMemo, useState } from 'react';
import { buildTimeline, turnsSpokenBy } from '../replay.ts';

const SPEEDS = [1, 2, 5] as const;
const TICK_MS = 50;

/** Steps through the transcript with its original timing: play, pause, 1x/2x/5x, scrub. */
export function ReplayPlayer({
  createdAt,
  turns,
}: {
  createdAt: string;
  turns: ConversationTurn[];
}) {
  const timeline = useMemo(() => buildTimeline(createdAt, turns), [createdAt, turns]);
  const [position, setPosition] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<(typeof SPEEDS)[number]>(1);

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      setPosition((current) => {
        const next = current + TICK_MS * speed;
        if (next >= timeline.durationMs) {
          setPlaying(false);
          return timeline.durationMs;
        }
        return next;
      });
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [playing, speed, timeline.durationMs]);

  const spoken = turnsSpokenBy(timeline, position);
  const play = () => {
    if (position >= timeline.durationMs) setPosition(0);
    setPlaying(true);
  };

  return (
    <section className="replay" aria-label="Replay">
      <h2>Replay</h2>
      <div className="replay-controls">
        {playing ? (
          <button type="button" onClick={() => setPlaying(false)}>
            Pause
          </button>
        ) : (
          <button type="button" onClick={play} disabled={turns.length === 0}>
            Play
          </button>
        )}
        <fieldset className="speeds" aria-label="Speed">
          {SPEEDS.map((option) => (
            <button
              key={option}
              type="button"
              className={option === speed ? '' : 'secondary'}
              aria-pressed={option === speed}
              onClick={() => setSpeed(option)}
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
            max={timeline.durationMs}
            step={100}
            value={position}
            onChange={(event) => setPosition(Number(event.target.value))}
          />
        </label>
        <span className="replay-clock" data-testid="replay-clock">
          {formatDuration(position)} / {formatDuration(timeline.durationMs)}
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
