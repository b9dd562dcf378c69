import type { ConversationTurn } from '@core/benchmark-run.ts';
import type { NewJudgement, Rubric, StoredJudgement } from '@core/judge.ts';
import type { Sql } from 'postgres';

export interface RunToJudge {
  conversation_history: ConversationTurn[];
  rubric: Rubric | null;
}

export interface JudgeStore {
  load(runId: string): Promise<RunToJudge | null>;
  insert(judgement: NewJudgement): Promise<StoredJudgement>;
}

export function createPostgresJudgeStore(sql: Sql): JudgeStore {
  return {
    async load(runId) {
      const [row] = await sql<
        { conversation_history: ConversationTurn[]; rubric: Rubric | null }[]
      >`
        select r.conversation_history, s.content -> 'rubric' as rubric
        from public.benchmark_runs r
        left join public.benchmark_scenarios s using (scenario_hash)
        where r.run_id = ${runId}`;
      return row ?? null;
    },
    insert: (judgement) =>
      sql.begin(async (tx) => {
        await tx`set local role service_role`;
        const [row] = await tx<{ judgement_id: string; judged_at: Date }[]>`
          insert into public.run_judgements
            (run_id, judge_model, rubric_hash, status, scores, overall_score, summary, error)
          values (${judgement.run_id}, ${judgement.judge_model}, ${judgement.rubric_hash},
                  ${judgement.status}, ${tx.json(judgement.scores as never)},
                  ${judgement.overall_score}, ${judgement.summary}, ${judgement.error})
          returning judgement_id, judged_at`;
        if (!row) throw new Error('judgement insert returned no row');
        if (judgement.status === 'ok') {
          await tx`update public.run_metrics set latest_judge_score = ${judgement.overall_score}
                   where run_id = ${judgement.run_id}`;
        }
        return {
          ...judgement,
          judgement_id: row.judgement_id,
          judged_at: row.judged_at.toISOString(),
        };
      }),
  };
}
