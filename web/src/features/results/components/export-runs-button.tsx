import { EXACT_COUNT_LIMIT } from '@data/get-runs.ts';
import type { RunFilters } from '@data/run-filters.ts';
import { useEffect, useRef, useState } from 'react';
import { downloadBlob } from '../../../lib/download.ts';
import { useSupabase } from '../../../lib/supabase-context.tsx';

type ExportState =
  | { phase: 'idle' }
  | { phase: 'running'; exported: number; total: number | null }
  | { phase: 'done'; exported: number }
  | { phase: 'cancelled'; exported: number }
  | { phase: 'failed'; exported: number; message: string };

const count = (n: number) => n.toLocaleString('en');
const runs = (n: number) => `${count(n)} ${n === 1 ? 'run' : 'runs'}`;

function describe(state: Exclude<ExportState, { phase: 'idle' }>): string {
  switch (state.phase) {
    case 'running': {
      if (state.total === null) return `Exported ${count(state.exported)}…`;
      const about = state.total > EXACT_COUNT_LIMIT ? 'about ' : '';
      return `Exported ${count(state.exported)} of ${about}${count(state.total)}…`;
    }
    case 'done':
      return `Exported ${runs(state.exported)} to runs.csv.`;
    case 'cancelled':
      return `Export cancelled after ${runs(state.exported)}; nothing was saved.`;
    case 'failed':
      return `Export failed after ${runs(state.exported)}: ${state.message}. Nothing was saved.`;
  }
}

/**
 * Exports every run matching the filters, not only the loaded ones: pages
 * through the list query, builds the CSV a page at a time, then saves it.
 */
export function ExportRunsButton({ filters }: { filters: RunFilters }) {
  const client = useSupabase();
  const [state, setState] = useState<ExportState>({ phase: 'idle' });
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const start = async () => {
    const abort = new AbortController();
    controller.current = abort;
    const parts: string[] = [];
    let exported = 0;
    setState({ phase: 'running', exported, total: null });
    try {
      // The CSV writer (papaparse) loads on the first export, not with the list.
      const { runsCsvChunks } = await import('../export-runs.ts');
      for await (const chunk of runsCsvChunks(client, filters, { signal: abort.signal })) {
        parts.push(chunk.csv);
        exported = chunk.exported;
        setState({ phase: 'running', exported, total: chunk.total });
      }
      downloadBlob('runs.csv', new Blob(parts, { type: 'text/csv;charset=utf-8' }));
      setState({ phase: 'done', exported });
    } catch (error) {
      setState(
        abort.signal.aborted
          ? { phase: 'cancelled', exported }
          : { phase: 'failed', exported, message: (error as Error).message },
      );
    }
  };

  const running = state.phase === 'running';
  return (
    <span className="export-runs">
      <button type="button" className="secondary" disabled={running} onClick={() => void start()}>
        Export CSV
      </button>
      {running && (
        <button type="button" className="secondary" onClick={() => controller.current?.abort()}>
          Cancel export
        </button>
      )}
      {state.phase !== 'idle' && (
        <span role={state.phase === 'failed' ? 'alert' : 'status'}>{describe(state)}</span>
      )}
    </span>
  );
}
