import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { judgeRun } from '../../benchmark/judge-client.ts';
import { useBenchmarkRuntime } from '../console/runtime-context.tsx';

interface Progress {
  done: number;
  judged: number;
  failed: number;
  lastError: string | null;
}

/** Judges the runs the list shows, one at a time, with progress; runs without a rubric are skipped by the API. */
export function JudgeListedRuns({ runIds }: { runIds: readonly string[] }) {
  const { endpoint } = useBenchmarkRuntime();
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<Progress | null>(null);
  const running = progress !== null && progress.done < runIds.length;

  const start = async () => {
    let state: Progress = { done: 0, judged: 0, failed: 0, lastError: null };
    setProgress(state);
    for (const runId of runIds) {
      try {
        await judgeRun(endpoint, runId);
        state = { ...state, judged: state.judged + 1 };
      } catch (error) {
        state = { ...state, failed: state.failed + 1, lastError: (error as Error).message };
      }
      state = { ...state, done: state.done + 1 };
      setProgress(state);
    }
    void queryClient.invalidateQueries({ queryKey: ['judgements'] });
    void queryClient.invalidateQueries({ queryKey: ['comparison'] });
  };

  return (
    <span className="judge-listed">
      <button
        type="button"
        className="secondary"
        disabled={running || runIds.length === 0}
        onClick={() => void start()}
      >
        Judge listed runs
      </button>
      {progress && (
        <span role="status">
          {' '}
          Judged {progress.judged} of {runIds.length}
          {progress.failed > 0 && `, ${progress.failed} not judged (last: ${progress.lastError})`}
          {running ? '…' : '.'}
        </span>
      )}
    </span>
  );
}
