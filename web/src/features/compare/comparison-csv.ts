import type { ComparisonRow } from '@data/get-comparison.ts';
import { toCsv } from '../../lib/csv.ts';

const COMPARISON_CSV_COLUMNS = [
  'scenario_name',
  'scenario_hash',
  'interviewer_model',
  'simulated_user_model',
  'runs',
  'runs_with_checks',
  'pass_rate',
  'mean_judge_score',
  'judged_runs',
  'median_first_audio_p50_ms',
  'median_first_audio_p95_ms',
  'mean_tokens',
  'mean_cost_usd',
  'unpriced_runs',
  'voice_runs',
  'median_voice_to_voice_p50_ms',
  'median_voice_to_voice_p95_ms',
  'wer',
  'last_run_at',
] as const satisfies ReadonlyArray<keyof ComparisonRow>;

/** The comparison table as RFC 4180 CSV, in the order shown. */
export function comparisonCsv(rows: ComparisonRow[]): string {
  return toCsv(rows, [...COMPARISON_CSV_COLUMNS]);
}
