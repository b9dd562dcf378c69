import type { CriterionScore, StoredJudgement } from '@core/judge.ts';
import type { AppSupabaseClient } from './client.ts';

/** A run's judgements, newest first (the history is kept). */
export async function getJudgements(
  client: AppSupabaseClient,
  runId: string,
): Promise<StoredJudgement[]> {
  const { data, error } = await client
    .from('run_judgements')
    .select(
      'run_id, judgement_id, judged_at, judge_model, rubric_hash, status, scores, overall_score, summary, error',
    )
    .eq('run_id', runId)
    .order('judged_at', { ascending: false })
    .limit(50);
  if (error) throw new Error(error.message);
  // jsonb and check-constrained text: the columns' types are wider than what judge-run writes.
  return data.map((row) => ({
    ...row,
    status: row.status as StoredJudgement['status'],
    scores: row.scores as unknown as CriterionScore[],
  }));
}
