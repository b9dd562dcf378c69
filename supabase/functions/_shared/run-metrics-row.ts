import type { Sql, TransactionSql } from 'postgres';
import type { BenchmarkRun } from './benchmark-run.ts';
import { type CheckResult, evaluateChecks } from './run-checks.ts';
import { computeRunMetrics, type RunMetrics } from './run-metrics.ts';
import type { Scenario } from './scenario.ts';

/** A `public.run_metrics` row, as the save function and the backfill write it. */
export interface RunMetricsRow
  extends Omit<RunMetrics, 'interviewer_tokens' | 'simulated_user_tokens'> {
  run_id: string;
  /** Copied from the stored run when the row is written. */
  scenario_hash: string | null;
  created_at: string | null;
  tokens: {
    interviewer: RunMetrics['interviewer_tokens'];
    simulated_user: RunMetrics['simulated_user_tokens'];
  };
  total_tokens: number;
  checks: CheckResult[];
  checks_passed: number;
  checks_total: number;
}

type MeasuredRun = Pick<
  BenchmarkRun,
  'run_id' | 'event_log' | 'conversation_history' | 'end_reason' | 'created_at'
>;

export function runMetricsRow(
  run: MeasuredRun,
  scenario?: Pick<Scenario, 'checks'> | null,
): RunMetricsRow {
  const { interviewer_tokens, simulated_user_tokens, ...metrics } = computeRunMetrics(run);
  const checks = evaluateChecks(run, metrics, scenario?.checks);
  const sum = (tokens: typeof interviewer_tokens) =>
    Object.values(tokens).reduce((total, n) => total + n, 0);
  return {
    run_id: run.run_id,
    scenario_hash: null,
    created_at: run.created_at ?? null,
    ...metrics,
    tokens: { interviewer: interviewer_tokens, simulated_user: simulated_user_tokens },
    total_tokens: sum(interviewer_tokens) + sum(simulated_user_tokens),
    checks,
    checks_passed: checks.filter((check) => check.passed).length,
    checks_total: checks.length,
  };
}

const COLUMNS = [
  'run_id',
  'scenario_hash',
  'created_at',
  'metrics_version',
  'interviewer_model',
  'simulated_user_model',
  'interviewer_turns',
  'first_text_p50_ms',
  'first_text_p95_ms',
  'first_audio_p50_ms',
  'first_audio_p95_ms',
  'responses_completed',
  'responses_cancelled',
  'responses_incomplete',
  'responses_failed',
  'responses_without_usage',
  'tokens',
  'total_tokens',
  'cost_usd',
  'pricing_version',
  'checks',
  'checks_passed',
  'checks_total',
] as const;

/** Inserts the rows, or replaces them (a recompute), in one statement. */
export async function writeRunMetrics(
  tx: Sql | TransactionSql,
  rows: readonly RunMetricsRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((row) => ({
    ...row,
    tokens: tx.json(row.tokens as never),
    checks: tx.json(row.checks as never),
  }));
  await tx`
    insert into public.run_metrics ${tx(values, ...COLUMNS)}
    on conflict (run_id) do update set
      scenario_hash = excluded.scenario_hash, created_at = excluded.created_at,
      metrics_version = excluded.metrics_version, computed_at = now(),
      interviewer_model = excluded.interviewer_model,
      simulated_user_model = excluded.simulated_user_model,
      interviewer_turns = excluded.interviewer_turns,
      first_text_p50_ms = excluded.first_text_p50_ms, first_text_p95_ms = excluded.first_text_p95_ms,
      first_audio_p50_ms = excluded.first_audio_p50_ms, first_audio_p95_ms = excluded.first_audio_p95_ms,
      responses_completed = excluded.responses_completed,
      responses_cancelled = excluded.responses_cancelled,
      responses_incomplete = excluded.responses_incomplete,
      responses_failed = excluded.responses_failed,
      responses_without_usage = excluded.responses_without_usage,
      tokens = excluded.tokens, total_tokens = excluded.total_tokens,
      cost_usd = excluded.cost_usd, pricing_version = excluded.pricing_version,
      checks = excluded.checks, checks_passed = excluded.checks_passed,
      checks_total = excluded.checks_total`;
}
