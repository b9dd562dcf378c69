import { bytesFromBase64 } from '@core/base64.ts';
import { RUN_AUDIO_CONTENT_TYPE } from '@core/run-audio.ts';
import { downloadBlob, downloadJson } from '../../../lib/download.ts';
import { useBenchmarkRuntime, useOutboxEntries } from '../../../lib/runtime-context.tsx';

/** Runs kept in this browser until the server stores them; refused ones stay until exported and dismissed. */
export function PendingSaves() {
  const entries = useOutboxEntries();
  const { outbox } = useBenchmarkRuntime();
  if (entries.length === 0) return null;
  return (
    <section className="pending-saves" aria-label="Unsaved runs">
      <h2>Unsaved runs ({entries.length})</h2>
      <ul>
        {entries.map((entry) => (
          <li key={entry.run.run_id} className={entry.state}>
            <code>{entry.run.run_id}</code>{' '}
            {entry.runStored && <span>saved; its audio is not yet: </span>}
            {entry.state === 'rejected' ? (
              <span className="error">refused: {entry.lastError}</span>
            ) : (
              <span>
                {entry.state === 'sending' ? 'sending…' : 'waiting to retry'}
                {entry.lastError ? ` (last error: ${entry.lastError})` : ''}
              </span>
            )}{' '}
            <button
              type="button"
              className="secondary"
              onClick={() => outbox.retry(entry.run.run_id)}
            >
              Retry now
            </button>{' '}
            <button
              type="button"
              className="secondary"
              onClick={() => downloadJson(`run-${entry.run.run_id}.json`, entry.run)}
            >
              Download JSON
            </button>
            {entry.audio && (
              <>
                {' '}
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    downloadBlob(
                      `run-${entry.run.run_id}.webm`,
                      new Blob([bytesFromBase64(entry.audio?.audio ?? '')], {
                        type: RUN_AUDIO_CONTENT_TYPE,
                      }),
                    )
                  }
                >
                  Download audio
                </button>
              </>
            )}
            {entry.state === 'rejected' && (
              <>
                {' '}
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void outbox.discard(entry.run.run_id)}
                >
                  Dismiss
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
