import type { ConversationTurn, EventLogEntry } from '@core/benchmark-run.ts';
import type { RunMetricsRow } from '@core/run-metrics-row.ts';
import type { Scenario } from '@core/scenario.ts';
import type { AppSupabaseClient } from './client.ts';
import type { TableRow } from './rows.ts';

/**
 * Everything saved for one run but its event log, which can be large and
 * comes in its own query (get-run-events) so the transcript shows first.
 */
export const RUN_DETAIL_COLUMNS =
  'run_id, created_at, mode, end_reason, num_turns, duration_ms, interviewer_prompt, simulated_user_prompt, conversation_history, scenario_hash, scenario:benchmark_scenarios(name, content), metrics:run_metrics(*)';

export interface RunSummary
  extends Pick<
    TableRow<'benchmark_runs'>,
    | 'run_id'
    | 'created_at'
    | 'mode'
    | 'end_reason'
    | 'num_turns'
    | 'duration_ms'
    | 'interviewer_prompt'
    | 'simulated_user_prompt'
    | 'scenario_hash'
  > {
  /** jsonb: stored as the save function validated it. */
  conversation_history: ConversationTurn[];
  /** The scenario version that produced the run (runs saved before scenarios have none). */
  scenario: { name: string; content: Scenario } | null;
  /** Computed when the run was saved (or by the backfill); null for runs not measured yet. */
  metrics: StoredRunMetrics | null;
}

export type StoredRunMetrics = Omit<RunMetricsRow, 'cost_usd'> & {
  cost_usd: number | string | null;
  computed_at: string;
  latest_judge_score: number | null;
};

/** A run exactly as saved: the summary and its event log. */
export interface RunDetail extends RunSummary {
  event_log: EventLogEntry[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isRunId = (value: string) => UUID.test(value);

/** One run, or null when there is no run with that id (a malformed id included). */
export async function getRun(client: AppSupabaseClient, runId: string): Promise<RunSummary | null> {
  if (!isRunId(runId)) return null;
  const { data, error } = await client
    .from('benchmark_runs')
    .select(RUN_DETAIL_COLUMNS)
    .eq('run_id', runId)
    .maybeSingle()
    // The jsonb columns and the embeds, typed as the save function wrote them.
    .overrideTypes<RunSummary>();
  if (error) throw new Error(error.message);
  return data;
}
