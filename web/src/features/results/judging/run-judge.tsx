import { formatUtc } from '@core/format.ts';
import { DEFAULT_JUDGE_MODELS, type Rubric } from '@core/judge.ts';
import { isAllowedModel } from '@core/openai-policy.ts';
import { useAgentStatus } from '../../../data/agent-status.ts';
import { useJudgements, useJudgeRun } from '../../../data/judgements.ts';

const percent = (score: number) => `${Math.round(score * 100)}%`;

/** The LLM judge's latest scores for a run, its history, and a button to judge again. */
export function RunJudge({ runId, rubric }: { runId: string; rubric: Rubric | undefined }) {
  const judgements = useJudgements(runId);
  const judge = useJudgeRun(runId);
  // Only a judge judge-run accepts counts: a score from any other model is history, not the result.
  const judges = useAgentStatus().data?.judgeModels ?? DEFAULT_JUDGE_MODELS;
  const counted = (judgement: { judge_model: string }) =>
    isAllowedModel(judgement.judge_model, judges);
  const latest = judgements.data?.find(
    (judgement) => judgement.status === 'ok' && counted(judgement),
  );
  const errors = judgements.data?.filter((judgement) => judgement.status === 'error') ?? [];
  const uncounted =
    judgements.data?.filter((judgement) => judgement.status === 'ok' && !counted(judgement)) ?? [];

  return (
    <section aria-labelledby="judge-heading" className="run-judge">
      <h2 id="judge-heading">Judge</h2>
      {!rubric ? (
        <p className="muted">
          This run's scenario has no rubric. Add <code>rubric</code> (criteria, weights, scale) to
          the scenario file to have an LLM judge score its runs.
        </p>
      ) : (
        <>
          <p>
            <button type="button" onClick={() => judge.mutate()} disabled={judge.isPending}>
              {judge.isPending ? 'Judging…' : latest ? 'Judge again' : 'Judge this run'}
            </button>{' '}
            <span className="muted">
              Blinded: the judge sees the transcript and the rubric, no models or run details.
            </span>
          </p>
          {judge.isError && (
            <p role="alert" className="error">
              {judge.error.message}
            </p>
          )}
          {latest ? (
            <div>
              <p>
                Overall <strong>{percent(latest.overall_score ?? 0)}</strong>{' '}
                <span className="muted">
                  by {latest.judge_model}, {formatUtc(latest.judged_at)}; rubric{' '}
                  <code title={latest.rubric_hash}>{latest.rubric_hash.slice(0, 8)}</code>
                </span>
              </p>
              <ul className="scores">
                {latest.scores.map((score) => (
                  <li key={score.criterion}>
                    <strong>{score.criterion}</strong>: {score.score}/{rubric.scale.max} —{' '}
                    {score.reason}
                  </li>
                ))}
              </ul>
              {latest.summary && <p>{latest.summary}</p>}
            </div>
          ) : (
            judgements.isSuccess && <p className="muted">Not judged yet.</p>
          )}
          {(judgements.data?.length ?? 0) > 1 && (
            <p className="muted">
              {judgements.data?.length} judgements in all
              {errors.length > 0 && `, ${errors.length} of them unusable answers`}
              {uncounted.length > 0 &&
                `, ${uncounted.length} by judges not allowed now (${[...new Set(uncounted.map((j) => j.judge_model))].join(', ')}), not counted`}
              .
            </p>
          )}
        </>
      )}
    </section>
  );
}
