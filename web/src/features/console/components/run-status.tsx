import type { BenchmarkSnapshot } from '@engine/benchmarking-service.ts';
import { Elapsed } from './elapsed.tsx';

const STATUS_LABELS: Record<BenchmarkSnapshot['status'], string> = {
  idle: 'Ready',
  connecting: 'Connecting…',
  running: 'Running',
  ending: 'Ending…',
  'pending-save': 'Saving…',
  saved: 'Saved',
  failed: 'Not saved',
};

const END_REASONS: Record<string, string> = {
  termination_cue: 'the termination cue',
  user_ended: 'End Run',
  max_turns: 'the turn limit',
  error: 'an error',
};

export function RunStatus({
  snapshot,
  onDownload,
}: {
  snapshot: BenchmarkSnapshot;
  onDownload(): void;
}) {
  const { status, runId, endReason, error, saveMessage } = snapshot;
  return (
    <dl className="run-status" aria-label="Run status">
      <div>
        <dt>Status</dt>
        <dd data-testid="run-state">{STATUS_LABELS[status]}</dd>
      </div>
      <div>
        <dt>Turns</dt>
        <dd data-testid="turn-count">{snapshot.turnCount}</dd>
      </div>
      <div>
        <dt>Elapsed</dt>
        <dd>
          <Elapsed startedAt={snapshot.startedAt} endedAt={snapshot.endedAt} />
        </dd>
      </div>
      {runId && (
        <div>
          <dt>Run</dt>
          <dd>
            <code>{runId}</code>
          </dd>
        </div>
      )}
      {endReason && (
        <p className="ended" role="status">
          Ended by {END_REASONS[endReason]}
          {error ? `: ${error}` : ''}. {status === 'saved' && 'Saved to the database.'}
          {status === 'pending-save' &&
            'Saving; it is kept in this browser until the server confirms.'}
        </p>
      )}
      {status === 'failed' && (
        <div role="alert" className="error">
          <p>The run was not saved: {saveMessage}</p>
          <button type="button" className="secondary" onClick={onDownload}>
            Download JSON
          </button>
        </div>
      )}
    </dl>
  );
}
