import { formatOffset, SPEAKER_LABELS } from '@core/format.ts';
import type { InterviewerTurnSpans, TimelineTurn, TurnTimeline } from '@core/turn-timeline.ts';

const ms = (value: number | null) =>
  value === null ? '—' : `${Math.round(value).toLocaleString('en')} ms`;

/** What a bar's tooltip and accessible name say: every figure of the turn, in ms. */
function turnSummary(turn: TimelineTurn, position: number): string {
  const head = `Turn ${position + 1}, ${SPEAKER_LABELS[turn.speaker].toLowerCase()}`;
  const gap = `gap before ${ms(turn.gap_before_ms)}`;
  if (turn.speaker === 'simulated_user') {
    return `${head}: request → reply ${ms(turn.reply_ms)}; ${gap}`;
  }
  const since = (point: number | null) =>
    point === null || turn.requested_ms === null || point < turn.requested_ms
      ? '—'
      : ms(point - turn.requested_ms);
  const status = turn.status ? ` (${turn.status})` : '';
  return `${head}${status}: request → first text ${since(turn.first_text_ms)}, first audio ${since(turn.first_audio_ms)}, last audio ${since(turn.last_audio_ms)}, done ${since(turn.done_ms)}; ${gap}`;
}

type Phase = 'wait' | 'text' | 'audio' | 'tail';

/** The interviewer turn's known points in time order, cut into segments by what was happening. */
function interviewerSegments(
  turn: InterviewerTurnSpans,
): { from: number; to: number; phase: Phase }[] {
  const points = [
    turn.requested_ms,
    turn.created_ms,
    turn.first_text_ms,
    turn.first_audio_ms,
    turn.last_audio_ms,
    turn.done_ms,
  ]
    .filter((point): point is number => point !== null)
    .sort((a, b) => a - b);
  const { first_text_ms: text, first_audio_ms: audio, last_audio_ms: audioEnd } = turn;
  const phase = (mid: number): Phase => {
    if (audio !== null && mid >= audio)
      return audioEnd === null || mid <= audioEnd ? 'audio' : 'tail';
    if (text !== null && mid >= text) return 'text';
    return 'wait';
  };
  const segments = [];
  for (let i = 1; i < points.length; i++) {
    const [from, to] = [points[i - 1] as number, points[i] as number];
    if (to > from) segments.push({ from, to, phase: phase((from + to) / 2) });
  }
  return segments;
}

interface Row {
  start: number | null;
  end: number | null;
  segments: { from: number; to: number; phase: Phase | 'reply' }[];
}

/** A turn's bar: its segments, and bounds that cover every recorded point, even one before the request. */
function row(turn: TimelineTurn): Row {
  const segments =
    turn.speaker === 'interviewer'
      ? interviewerSegments(turn)
      : turn.reply_ms !== null && turn.requested_ms !== null && turn.completed_ms !== null
        ? [{ from: turn.requested_ms, to: turn.completed_ms, phase: 'reply' as const }]
        : [];
  const bounds = [turn.start_ms, turn.end_ms, ...segments.flatMap((s) => [s.from, s.to])];
  const known = bounds.filter((v): v is number => v !== null);
  return {
    start: known.length > 0 ? Math.min(...known) : null,
    end: known.length > 0 ? Math.max(...known) : null,
    segments,
  };
}

const PHASE_LABELS: Record<Phase | 'reply', string> = {
  wait: 'waiting',
  text: 'text, before audio',
  audio: 'audio',
  tail: 'after audio',
  reply: 'simulated user replying',
};

/**
 * The run's turns as a waterfall, one row per turn on the run's time axis:
 * interviewer rows request → first text → first audio → last audio → done,
 * simulated-user rows request → reply, and the gap before each turn. A bar is
 * a button: it selects the turn (the page shows its events).
 */
export function TurnWaterfall({
  timeline,
  selected,
  onSelectTurn,
}: {
  timeline: TurnTimeline;
  selected?: number | null;
  onSelectTurn: (turnIndex: number) => void;
}) {
  const { turns } = timeline;
  if (turns.length === 0) {
    return (
      <section aria-label="Turn timeline" className="turn-waterfall">
        <h2>Turn timeline</h2>
        <p className="empty">The event log shows no turns.</p>
      </section>
    );
  }
  const rows = turns.map(row);
  const known = rows.flatMap((r) => (r.start === null || r.end === null ? [] : [r.start, r.end]));
  const min = Math.min(0, ...known);
  const max = Math.max(min + 1, ...known);
  const pct = (value: number) => `${((value - min) / (max - min)) * 100}%`;
  const width = (from: number, to: number) => `${((to - from) / (max - min)) * 100}%`;

  return (
    <section aria-label="Turn timeline" className="turn-waterfall">
      <h2>Turn timeline</h2>
      <ul className="waterfall-legend" aria-label="Turn timeline legend">
        {(['wait', 'text', 'audio', 'tail', 'reply'] as const).map((phase) => (
          <li key={phase}>
            <span className={`swatch ${phase}`} aria-hidden="true" /> {PHASE_LABELS[phase]}
          </li>
        ))}
      </ul>
      <ol className="waterfall-rows">
        {turns.map((turn, index) => {
          const summary = turnSummary(turn, index);
          const previousEnd = index === 0 ? 0 : (turns[index - 1]?.end_ms ?? null);
          const { start, end, segments } = rows[index] as Row;
          return (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: the timeline of a saved run never reorders.
              key={index}
              className={`waterfall-row ${turn.speaker}${selected === index ? ' selected' : ''}`}
            >
              <span className="waterfall-label">
                {index + 1} {SPEAKER_LABELS[turn.speaker]}
              </span>
              <div className="waterfall-track">
                {turn.gap_before_ms !== null && previousEnd !== null && turn.gap_before_ms > 0 && (
                  <span
                    className="waterfall-gap"
                    style={{
                      left: pct(previousEnd),
                      width: width(previousEnd, previousEnd + turn.gap_before_ms),
                    }}
                    title={`gap ${ms(turn.gap_before_ms)}`}
                    aria-hidden="true"
                  />
                )}
                {start !== null && end !== null && (
                  <button
                    type="button"
                    className="waterfall-bar"
                    style={{ left: pct(start), width: width(start, end) }}
                    title={summary}
                    aria-label={summary}
                    aria-pressed={selected === index}
                    onClick={() => onSelectTurn(index)}
                  >
                    {segments.map((segment) => (
                      <span
                        key={segment.from}
                        className={`waterfall-segment ${segment.phase}`}
                        style={{
                          left: `${((segment.from - start) / Math.max(1, end - start)) * 100}%`,
                          width: `${((segment.to - segment.from) / Math.max(1, end - start)) * 100}%`,
                        }}
                      />
                    ))}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ol>
      <div className="waterfall-axis" aria-hidden="true">
        <span>{formatOffset(min)}</span>
        <span>{formatOffset(max)}</span>
      </div>
    </section>
  );
}
