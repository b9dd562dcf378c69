import {
  blindTranscript,
  DEFAULT_JUDGE_MODEL,
  judgeInstructions,
  judgementJsonSchema,
  judgementSchema,
  type NewJudgement,
  overallScore,
  type Rubric,
  rubricHash,
} from '@core/judge.ts';
import { JUDGE_ESTIMATE } from '@core/judge-cost.ts';
import { isAllowedModel, modelNotAllowedMessage } from '@core/openai-policy.ts';
import type OpenAI from 'openai';
import { z } from 'zod';
import { errorResponse, jsonResponse } from '../_shared/cors.ts';
import { type OpenAILimitsEnv, readOpenAILimitsEnv } from '../_shared/function-env.ts';
import { readValidJson } from '../_shared/json-request.ts';
import { missingKeyResponse, openAIErrorResponse } from '../_shared/openai.ts';
import { callerOf, checkBudget, type OpenAIBudget } from '../_shared/openai-budget.ts';
import { estimateJudgeAttemptUsd, transcriptChars } from '../_shared/openai-estimate.ts';
import type { JudgeStore } from './judge-store.ts';

function judgeRequestSchema(allowed: readonly string[]) {
  return z.strictObject({
    run_id: z.uuid(),
    model: z
      .string()
      .min(1)
      .max(100)
      .default(DEFAULT_JUDGE_MODEL)
      .refine((model) => isAllowedModel(model, allowed), modelNotAllowedMessage(allowed)),
  });
}

export interface JudgeRunDeps {
  openai: OpenAI | null;
  store: JudgeStore;
  budget: OpenAIBudget;
  /** Allowed models, size caps and spend limits; the defaults unless given. */
  limits?: OpenAILimitsEnv;
  /** Answers that fail validation are asked for again this many times before being recorded as an error. */
  retries?: number;
}

type Attempt =
  | { ok: true; value: z.infer<ReturnType<typeof judgementSchema>> }
  | { ok: false; error: string };

async function askJudge(
  openai: OpenAI,
  model: string,
  rubric: Rubric,
  transcript: string,
): Promise<Attempt> {
  const response = await openai.responses.create({
    model,
    instructions: judgeInstructions(rubric),
    input: transcript,
    text: {
      format: {
        type: 'json_schema',
        name: 'judgement',
        strict: true,
        schema: judgementJsonSchema(rubric),
      },
    },
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.output_text);
  } catch {
    return {
      ok: false,
      error: `the judge did not answer JSON: ${response.output_text.slice(0, 200)}`,
    };
  }
  const checked = judgementSchema(rubric).safeParse(parsed);
  if (checked.success) return { ok: true, value: checked.data };
  const issues = checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return {
    ok: false,
    error: `the judge's answer does not fit the rubric: ${issues.slice(0, 3).join('; ')}`,
  };
}

/**
 * POST { run_id, model? }: scores the run against its scenario's rubric with a
 * blinded transcript, stores the judgement (history is kept) and returns it.
 */
export function createJudgeRunHandler(deps: JudgeRunDeps) {
  const retries = deps.retries ?? 1;
  const limits = deps.limits ?? readOpenAILimitsEnv(() => undefined);
  const schema = judgeRequestSchema(limits.OPENAI_MODELS_JUDGE_RUN);
  return async (request: Request): Promise<Response> => {
    const parsed = await readValidJson(request, schema, { maxBytes: 4096 });
    if (!parsed.ok) return parsed.response;
    if (!deps.openai) return missingKeyResponse();
    const { run_id, model } = parsed.data;

    let run: Awaited<ReturnType<JudgeStore['load']>>;
    try {
      run = await deps.store.load(run_id);
    } catch {
      return errorResponse(503, 'database_unavailable', 'the run could not be read; retry later');
    }
    if (!run) return errorResponse(404, 'run_not_found', `there is no run ${run_id}`);
    if (!run.rubric) {
      return errorResponse(
        409,
        'no_rubric',
        "this run's scenario has no rubric: add one to the scenario file to judge its runs",
      );
    }

    const transcriptLength = transcriptChars(run.conversation_history);
    if (transcriptLength > limits.OPENAI_MAX_TRANSCRIPT_CHARS) {
      const message = `this run's transcript has ${transcriptLength} characters, more than the judge may read (${limits.OPENAI_MAX_TRANSCRIPT_CHARS}, OPENAI_MAX_TRANSCRIPT_CHARS)`;
      return errorResponse(400, 'transcript_too_long', message, [
        { path: 'conversation_history', message },
      ]);
    }

    const transcript = blindTranscript(run.conversation_history);
    const caller = callerOf(request, limits.OPENAI_CALLER_HEADER);
    const attemptUsd = estimateJudgeAttemptUsd(
      model,
      judgeInstructions(run.rubric).length +
        JSON.stringify(judgementJsonSchema(run.rubric)).length +
        transcript.length,
      run.rubric.criteria.length * JUDGE_ESTIMATE.outputTokensPerCriterion +
        JUDGE_ESTIMATE.outputTokensSummary,
    );
    let attempt: Attempt = { ok: false, error: 'not asked' };
    try {
      for (let i = 0; i <= retries && !attempt.ok; i++) {
        // Each ask is paid for: a retry is counted as spend, not as another request.
        const refused = await checkBudget(deps.budget, {
          caller,
          requests: i === 0 ? 1 : 0,
          usd: attemptUsd,
        });
        if (refused) return refused;
        attempt = await askJudge(deps.openai, model, run.rubric, transcript);
      }
    } catch (error) {
      return openAIErrorResponse(error);
    }

    const judgement: NewJudgement = attempt.ok
      ? {
          run_id,
          judge_model: model,
          rubric_hash: await rubricHash(run.rubric),
          status: 'ok',
          scores: attempt.value.scores,
          overall_score: overallScore(attempt.value.scores, run.rubric),
          summary: attempt.value.summary,
          error: null,
        }
      : {
          run_id,
          judge_model: model,
          rubric_hash: await rubricHash(run.rubric),
          status: 'error',
          scores: [],
          overall_score: null,
          summary: null,
          error: attempt.error,
        };
    try {
      const stored = await deps.store.insert(judgement);
      return attempt.ok
        ? jsonResponse(201, stored)
        : errorResponse(
            502,
            'judge_output_invalid',
            `${attempt.error} (recorded as a judge error)`,
          );
    } catch {
      return errorResponse(
        503,
        'database_unavailable',
        'the judgement could not be stored; retry later',
      );
    }
  };
}
