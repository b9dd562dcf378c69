import { SPEAKER_LABELS } from '@core/format.ts';
import type { TranscriptRow } from '@engine/transcript.ts';
import { useEffect, useRef } from 'react';

export function LiveTranscript({ rows }: { rows: readonly TranscriptRow[] }) {
  const end = useRef<HTMLLIElement>(null);
  const lastText = rows.at(-1)?.text;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll whenever the last line grows.
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [rows.length, lastText]);

  if (rows.length === 0)
    return <p className="empty">The conversation appears here once a run starts.</p>;
  return (
    <ol className="transcript" aria-label="Live transcript">
      {rows.map((row, index) => (
        <li
          key={row.key}
          ref={index === rows.length - 1 ? end : undefined}
          className={`turn ${row.speaker}${row.final ? '' : ' speaking'}`}
        >
          <span className="speaker">{SPEAKER_LABELS[row.speaker]}</span>
          <span className="content">{row.text || '…'}</span>
        </li>
      ))}
    </ol>
  );
}
