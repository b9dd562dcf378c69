import type { ConversationTurn } from '@core/benchmark-run.ts';
import { formatOffset, SPEAKER_LABELS } from '@core/format.ts';

/** The whole conversation, each turn with its time from the start of the run. */
export function TranscriptView({
  createdAt,
  turns,
}: {
  createdAt: string;
  turns: ConversationTurn[];
}) {
  const start = Date.parse(createdAt);
  if (turns.length === 0) return <p className="empty">This run has no turns.</p>;
  return (
    <ol className="transcript full" aria-label="Transcript">
      {turns.map((turn, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a saved transcript never reorders.
        <li key={index} className={`turn ${turn.speaker}`}>
          <span className="speaker">
            {SPEAKER_LABELS[turn.speaker]}{' '}
            <time dateTime={turn.timestamp}>
              {formatOffset(Date.parse(turn.timestamp) - start)}
            </time>
          </span>
          <span className="content">{turn.content}</span>
        </li>
      ))}
    </ol>
  );
}
