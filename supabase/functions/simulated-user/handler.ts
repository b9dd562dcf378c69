import { isAllowedModel, modelNotAllowedMessage } from '@core/openai-policy.ts';
import { SCENARIO_LIMITS, SPEAKERS } from '@core/run-constants.ts';
import type OpenAI from 'openai';
import { z } from 'zod';
import { errorResponse, jsonResponse } from '../_shared/cors.ts';
import { type OpenAILimitsEnv, readOpenAILimitsEnv } from '../_shared/function-env.ts';
import { describeIssues, readJsonRequest } from '../_shared/json-request.ts';
import { missingKeyResponse, openAIErrorResponse } from '../_shared/openai.ts';
import { callerOf, checkBudget, type OpenAIBudget } from '../_shared/openai-budget.ts';
import {
  estimateSimulatedUserUsd,
  SIMULATED_USER_MAX_OUTPUT_TOKENS,
  transcriptChars,
} from '../_shared/openai-estimate.ts';
import { speak, speechRequestSchema } from './speech.ts';

export const DEFAULT_SIMULATED_USER_MODEL = 'gpt-4.1-mini';

function replyRequestSchema(limits: OpenAILimitsEnv) {
  const allowed = limits.OPENAI_MODELS_SIMULATED_USER;
  const maxTranscript = limits.OPENAI_MAX_TRANSCRIPT_CHARS;
  return z.strictObject({
    persona: z
      .string()
      .min(1)
      .max(limits.OPENAI_MAX_PROMPT_CHARS, {
        message: `the persona is longer than ${limits.OPENAI_MAX_PROMPT_CHARS} characters (OPENAI_MAX_PROMPT_CHARS)`,
      }),
    model: z
      .string()
      .min(1)
      .max(100)
      .default(DEFAULT_SIMULATED_USER_MODEL)
      .refine((model) => isAllowedModel(model, allowed), modelNotAllowedMessage(allowed)),
    history: z
      .array(z.strictObject({ speaker: z.enum(SPEAKERS), content: z.string() }))
      .max(SCENARIO_LIMITS.maxTurns.max)
      .refine((turns) => transcriptChars(turns) <= maxTranscript, {
        message: `the history is longer than ${maxTranscript} characters in all (OPENAI_MAX_TRANSCRIPT_CHARS)`,
      }),
  });
}

type ReplyRequest = z.infer<ReturnType<typeof replyRequestSchema>>;

/** How the simulated user's model sees the talk: the interviewer speaks to it, it answers. */
function toInput(history: ReplyRequest['history']) {
  if (history.length === 0) {
    return [
      { role: 'user' as const, content: '(The interviewer has joined. Wait for their question.)' },
    ];
  }
  return history.map((turn) => ({
    role: turn.speaker === 'interviewer' ? ('user' as const) : ('assistant' as const),
    content: turn.content,
  }));
}

function invalidRequest(issues: Parameters<typeof describeIssues>[0]): Response {
  const { list, summary } = describeIssues(issues);
  return errorResponse(400, 'invalid_request', summary, list);
}

export interface SimulatedUserDeps {
  openai: OpenAI | null;
  budget: OpenAIBudget;
  /** Allowed models, size caps and spend limits; the defaults unless given. */
  limits?: OpenAILimitsEnv;
}

const wantsSpeech = (body: unknown) =>
  typeof body === 'object' && body !== null && !Array.isArray(body) && 'speak' in body;

/**
 * The simulated user's OpenAI calls, under one set of allowlists, size caps and
 * budget:
 * - POST { persona, history, model? } → { utterance, model, usage }: its next line;
 * - POST { speak: { input, voice, model?, words_per_minute? } } →
 *   { audio, format: 'pcm16', sample_rate: 24000, model }: a line said aloud (voice mode).
 */
export function createSimulatedUserHandler(deps: SimulatedUserDeps) {
  const limits = deps.limits ?? readOpenAILimitsEnv(() => undefined);
  const schema = replyRequestSchema(limits);
  const speechSchema = speechRequestSchema(limits);
  return async (request: Request): Promise<Response> => {
    const body = await readJsonRequest(request, { maxBytes: 2 * 1024 * 1024 });
    if (!body.ok) return body.response;
    if (wantsSpeech(body.value)) {
      const parsed = speechSchema.safeParse(body.value);
      if (!parsed.success) return invalidRequest(parsed.error.issues);
      if (!deps.openai) return missingKeyResponse();
      return speak(request, parsed.data.speak, {
        openai: deps.openai,
        budget: deps.budget,
        limits,
      });
    }
    const parsed = schema.safeParse(body.value);
    if (!parsed.success) return invalidRequest(parsed.error.issues);
    if (!deps.openai) return missingKeyResponse();

    const { persona, model, history } = parsed.data;
    const refused = await checkBudget(deps.budget, {
      caller: callerOf(request, limits.OPENAI_CALLER_HEADER),
      requests: 1,
      usd: estimateSimulatedUserUsd(model, persona.length + transcriptChars(history)),
    });
    if (refused) return refused;
    try {
      const response = await deps.openai.responses.create({
        model,
        instructions: persona,
        input: toInput(history),
        max_output_tokens: SIMULATED_USER_MAX_OUTPUT_TOKENS,
      });
      const utterance = response.output_text.trim();
      if (!utterance) return errorResponse(502, 'openai_empty_reply', 'the model returned no text');
      return jsonResponse(200, { utterance, model: response.model, usage: response.usage ?? null });
    } catch (error) {
      return openAIErrorResponse(error);
    }
  };
}
