import type { RunMetricsRow } from '@core/run-metrics-row.ts';
import type { Sql, TransactionSql } from 'postgres';

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
  'voice_to_voice_p50_ms',
  'voice_to_voice_p95_ms',
  'wer',
  'wer_errors',
  'wer_words',
  'false_end_of_turns',
  'missed_end_of_turns',
] as const;

/** A recompute replaces every column but the key (names of this file only: no input in it). */
const RECOMPUTED = COLUMNS.filter((column) => column !== 'run_id')
  .map((column) => `${column} = excluded.${column}`)
  .join(', ');

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
    on conflict (run_id) do update set ${tx.unsafe(RECOMPUTED)}, computed_at = now()`;
}
