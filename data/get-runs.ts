import type { AppSupabaseClient } from './client.ts';
import type { TableRow } from './rows.ts';
import { nextDay, type RunFilters } from './run-filters.ts';

/** The list never selects the jsonb columns: transcripts and event logs stay on the server. */
export const RUN_LIST_COLUMNS =
  'run_id, created_at, num_turns, end_reason, duration_ms, scenario_hash, scenario:benchmark_scenarios(name), metrics:run_metrics(interviewer_model, first_audio_p50_ms, cost_usd, checks_passed, checks_total, voice_to_voice_p50_ms, wer, false_end_of_turns)';
/** The same, joined so that only runs of a named scenario are returned. */
const RUN_LIST_COLUMNS_BY_SCENARIO =
  'run_id, created_at, num_turns, end_reason, duration_ms, scenario_hash, scenario:benchmark_scenarios!inner(name), metrics:run_metrics(interviewer_model, first_audio_p50_ms, cost_usd, checks_passed, checks_total, voice_to_voice_p50_ms, wer, false_end_of_turns)';
export const RUNS_PAGE_SIZE = 50;
/** Up to PostgREST's max rows the count is exact; beyond, it is the planner's estimate. */
export const EXACT_COUNT_LIMIT = 1000;

export interface RunListItem
  extends Pick<
    TableRow<'benchmark_runs'>,
    'run_id' | 'created_at' | 'num_turns' | 'end_reason' | 'duration_ms' | 'scenario_hash'
  > {
  scenario: { name: string } | null;
  metrics: RunListMetrics | null;
}

/**
 * `interviewer_model` as the run recorded it: "offline" for the offline demo
 * agents. The voice figures are null for a text run (false_end_of_turns is set
 * for every voice run).
 */
export type RunListMetrics = Pick<
  TableRow<'run_metrics'>,
  | 'interviewer_model'
  | 'first_audio_p50_ms'
  | 'cost_usd'
  | 'checks_passed'
  | 'checks_total'
  | 'voice_to_voice_p50_ms'
  | 'wer'
  | 'false_end_of_turns'
>;

export interface RunsCursor {
  created_at: string;
  run_id: string;
}

export interface RunsPage {
  runs: RunListItem[];
  next: RunsCursor | null;
  /** Matching runs: exact up to PostgREST's max rows, the planner's estimate beyond (first page only). */
  total: number | null;
}

export interface GetRunsParams {
  cursor: RunsCursor | null;
  filters?: RunFilters;
  pageSize?: number;
  signal?: AbortSignal;
}

/**
 * One page, newest first, continuing after `cursor` by (created_at, run_id):
 * keyset, never offset. The extra `created_at <= cursor` bound lets Postgres
 * start the index scan at the cursor instead of filtering its way down to it.
 */
export async function getRuns(
  client: AppSupabaseClient,
  { cursor, filters = {}, pageSize = RUNS_PAGE_SIZE, signal }: GetRunsParams,
): Promise<RunsPage> {
  let query = client
    .from('benchmark_runs')
    .select(
      filters.scenario ? RUN_LIST_COLUMNS_BY_SCENARIO : RUN_LIST_COLUMNS,
      cursor ? {} : { count: 'estimated' },
    )
    .order('created_at', { ascending: false })
    .order('run_id', { ascending: false })
    .limit(pageSize);
  if (filters.from) query = query.gte('created_at', `${filters.from}T00:00:00Z`);
  if (filters.to) query = query.lt('created_at', `${nextDay(filters.to)}T00:00:00Z`);
  if (filters.minTurns !== undefined) query = query.gte('num_turns', filters.minTurns);
  if (filters.maxTurns !== undefined) query = query.lte('num_turns', filters.maxTurns);
  if (filters.endReason) query = query.eq('end_reason', filters.endReason);
  if (filters.version) query = query.eq('scenario_hash', filters.version);
  if (filters.scenario) query = query.eq('scenario.name', filters.scenario);
  if (filters.q)
    query = query.textSearch('transcript_tsv', filters.q, { type: 'websearch', config: 'english' });
  if (cursor) {
    query = query
      .lte('created_at', cursor.created_at)
      .or(
        `created_at.lt.${cursor.created_at},and(created_at.eq.${cursor.created_at},run_id.lt.${cursor.run_id})`,
      );
  }
  if (signal) query = query.abortSignal(signal);
  const { data, error, count } = await query;
  if (error) throw new Error(error.message);
  const last = data.at(-1);
  return {
    runs: data,
    next:
      data.length === pageSize && last
        ? { created_at: last.created_at, run_id: last.run_id }
        : null,
    total: count ?? null,
  };
}
