import type { BenchmarkRun } from './benchmark-run.ts';
import { type CheckResult, evaluateChecks } from './run-checks.ts';
import { computeRunMetrics, type RunMetrics } from './run-metrics.ts';
import type { Scenario } from './scenario.ts';
import { computeVoiceMetrics } from './voice-metrics.ts';

/** A `public.run_metrics` row, as the save function and the backfill write it (see run-metrics-store.ts). */
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
  const checks = evaluateChecks(run, metrics, scenario?.checks, computeVoiceMetrics(run));
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
