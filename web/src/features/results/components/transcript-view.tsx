import type { ConversationTurn } from '@core/benchmark-run.ts';
import { formatOffset, SPEAKER_LABELS } from '@core/format.ts';

const ms = (value: number) => `${Math.round(value).toLocaleString('en')} ms`;

/** An interviewer turn's request → first audio, against the scenario's bound when it has one. */
function FirstAudioBadge({ latencyMs, boundMs }: { latencyMs: number; boundMs?: number }) {
  if (boundMs === undefined) {
    return <span className="latency-badge neutral">first audio {ms(latencyMs)}</span>;
  }
  const over = latencyMs > boundMs;
  return (
    <span className={`latency-badge ${over ? 'over' : 'within'}`}>
      first audio {ms(latencyMs)} ({over ? 'over' : 'within'} the {ms(boundMs)} bound)
    </span>
  );
}

/**
 * The whole conversation, each turn with its time from the start of the run
 * and, for interviewer turns whose latency is known, its first-audio latency.
 * `firstAudioMs` is aligned with `turns`. With `onSelectTurn` a turn's text is
 * a button; `currentTurn` marks one turn (e.g. the one playing).
 */
export function TranscriptView({
  createdAt,
  turns,
  firstAudioMs,
  boundMs,
  currentTurn,
  onSelectTurn,
}: {
  createdAt: string;
  turns: ConversationTurn[];
  firstAudioMs?: readonly (number | null)[];
  /** The scenario's `max_time_to_first_audio_ms`. */
  boundMs?: number;
  currentTurn?: number | null;
  onSelectTurn?: (index: number) => void;
}) {
  const start = Date.parse(createdAt);
  if (turns.length === 0) return <p className="empty">This run has no turns.</p>;
  return (
    <ol className="transcript full" aria-label="Transcript">
      {turns.map((turn, index) => {
        const latency = turn.speaker === 'interviewer' ? firstAudioMs?.[index] : null;
        const current = currentTurn === index;
        return (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: a saved transcript never reorders.
            key={index}
            className={`turn ${turn.speaker}${current ? ' current' : ''}`}
            aria-current={current ? 'true' : undefined}
          >
            <span className="speaker">
              {SPEAKER_LABELS[turn.speaker]}{' '}
              <time dateTime={turn.timestamp}>
                {formatOffset(Date.parse(turn.timestamp) - start)}
              </time>
              {latency !== null && latency !== undefined && (
                <>
                  {' '}
                  <FirstAudioBadge latencyMs={latency} boundMs={boundMs} />
                </>
              )}
            </span>
            {onSelectTurn ? (
              <button
                type="button"
                className="content turn-select"
                onClick={() => onSelectTurn(index)}
              >
                {turn.content}
              </button>
            ) : (
              <span className="content">{turn.content}</span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
