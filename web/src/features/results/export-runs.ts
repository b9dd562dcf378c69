import type { AppSupabaseClient } from '@data/client.ts';
import { getRuns, type RunListItem, type RunsCursor } from '@data/get-runs.ts';
import type { RunFilters } from '@data/run-filters.ts';
import { toCsv } from '../../lib/csv.ts';

/** Rows per request while exporting: PostgREST's max rows, so no page is cut short. */
export const EXPORT_PAGE_SIZE = 1000;

const RUNS_CSV_COLUMNS = [
  'run_id',
  'created_at',
  'num_turns',
  'end_reason',
  'duration_ms',
  'scenario',
  'scenario_hash',
  'interviewer_model',
  'first_audio_p50_ms',
  'checks_passed',
  'checks_total',
  'cost_usd',
] as const;

type RunsCsvRow = Record<(typeof RUNS_CSV_COLUMNS)[number], string | number | null>;

function csvRow(run: RunListItem): RunsCsvRow {
  return {
    run_id: run.run_id,
    created_at: run.created_at,
    num_turns: run.num_turns,
    end_reason: run.end_reason,
    duration_ms: run.duration_ms,
    scenario: run.scenario?.name ?? '',
    scenario_hash: run.scenario_hash ?? '',
    interviewer_model: run.metrics?.interviewer_model ?? '',
    first_audio_p50_ms: run.metrics?.first_audio_p50_ms ?? '',
    checks_passed: run.metrics?.checks_passed ?? '',
    checks_total: run.metrics?.checks_total ?? '',
    cost_usd: run.metrics?.cost_usd ?? '',
  };
}

/** One page of listed runs as CSV rows (with the header line when `header`). */
export function runsCsv(runs: RunListItem[], { header }: { header: boolean }): string {
  return toCsv(runs.map(csvRow), [...RUNS_CSV_COLUMNS], { header });
}

export interface RunsCsvChunk {
  /** CSV text that continues the chunks before it (the first carries the header). */
  csv: string;
  /** Runs written so far, this chunk included. */
  exported: number;
  /** Matching runs as the first page counted them: exact up to 1,000, an estimate beyond. */
  total: number | null;
}

/**
 * Every run matching `filters` as RFC 4180 CSV, one chunk per page of the
 * list's keyset pagination, so memory holds one page of rows at a time.
 * Newest first; runs saved after the export started are not included.
 */
export async function* runsCsvChunks(
  client: AppSupabaseClient,
  filters: RunFilters,
  { pageSize = EXPORT_PAGE_SIZE, signal }: { pageSize?: number; signal?: AbortSignal } = {},
): AsyncGenerator<RunsCsvChunk> {
  let cursor: RunsCursor | null = null;
  let exported = 0;
  let total: number | null = null;
  do {
    const page = await getRuns(client, { cursor, filters, pageSize, signal });
    signal?.throwIfAborted();
    const first = cursor === null;
    if (first) total = page.total;
    // A full last page makes one more request that finds nothing.
    if (!first && page.runs.length === 0) break;
    const rows = runsCsv(page.runs, { header: first });
    exported += page.runs.length;
    yield { csv: first ? rows : `\r\n${rows}`, exported, total };
    cursor = page.next;
  } while (cursor);
}
