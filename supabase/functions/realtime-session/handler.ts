import { isAllowedModel, modelNotAllowedMessage } from '@core/openai-policy.ts';
import { SCENARIO_DEFAULTS } from '@core/run-constants.ts';
import type OpenAI from 'openai';
import { z } from 'zod';
import { jsonResponse } from '../_shared/cors.ts';
import { type OpenAILimitsEnv, readOpenAILimitsEnv } from '../_shared/function-env.ts';
import { readValidJson } from '../_shared/json-request.ts';
import { missingKeyResponse, openAIErrorResponse } from '../_shared/openai.ts';
import { callerOf, checkBudget, type OpenAIBudget } from '../_shared/openai-budget.ts';
import { estimateRealtimeSessionUsd } from '../_shared/openai-estimate.ts';
import { createModelsReporter } from '../_shared/openai-models.ts';
import { realtimeUrls } from '../_shared/openai-urls.ts';

export const DEFAULT_REALTIME_MODEL = SCENARIO_DEFAULTS.interviewerModel;
export const DEFAULT_VOICE = SCENARIO_DEFAULTS.voice;
/** Life of the ephemeral key; the session itself may outlive it. */
export const CLIENT_SECRET_TTL_SECONDS = 600;

function sessionRequestSchema(limits: OpenAILimitsEnv) {
  const allowed = limits.OPENAI_MODELS_REALTIME_SESSION;
  return z.strictObject({
    model: z
      .string()
      .min(1)
      .max(100)
      .default(DEFAULT_REALTIME_MODEL)
      .refine((model) => isAllowedModel(model, allowed), modelNotAllowedMessage(allowed)),
    voice: z.string().min(1).max(50).default(DEFAULT_VOICE),
    instructions: z.string().max(limits.OPENAI_MAX_PROMPT_CHARS, {
      message: `the instructions are longer than ${limits.OPENAI_MAX_PROMPT_CHARS} characters (OPENAI_MAX_PROMPT_CHARS)`,
    }),
  });
}

export interface RealtimeSessionDeps {
  /** null when no OPENAI_API_KEY is configured. */
  openai: OpenAI | null;
  budget: OpenAIBudget;
  /** Allowed models, size caps and spend limits; the defaults unless given. */
  limits?: OpenAILimitsEnv;
  /** The clock of the GET /v1/models cache. */
  now?: () => number;
}

/**
 * GET: whether OpenAI is configured (the console picks its default agents by
 * it), which models the OpenAI functions accept and, with a key, which of them
 * OpenAI serves and their announced shutdown dates (GET /v1/models, cached).
 * POST { model?, voice?, instructions }: an ephemeral client secret for one
 * Realtime session, so the standard key never reaches the browser, and where
 * to connect with it (`realtime_url`, `calls_url`): the same base URL as the
 * functions' own OpenAI requests.
 */
export function createRealtimeSessionHandler(deps: RealtimeSessionDeps) {
  const limits = deps.limits ?? readOpenAILimitsEnv(() => undefined);
  const schema = sessionRequestSchema(limits);
  const allowed = {
    realtime_session: limits.OPENAI_MODELS_REALTIME_SESSION,
    simulated_user: limits.OPENAI_MODELS_SIMULATED_USER,
    judge_run: limits.OPENAI_MODELS_JUDGE_RUN,
  };
  const reportModels = deps.openai
    ? createModelsReporter(deps.openai, Object.values(allowed).flat(), deps.now)
    : async () => null;
  return async (request: Request): Promise<Response> => {
    if (request.method === 'GET') {
      return jsonResponse(200, {
        openai_configured: deps.openai !== null,
        defaults: { model: DEFAULT_REALTIME_MODEL, voice: DEFAULT_VOICE },
        // What the OpenAI functions accept; the console counts only judgements by these judges.
        allowed_models: allowed,
        // Null without a key, or when OpenAI did not answer.
        openai_models: await reportModels(),
      });
    }
    const parsed = await readValidJson(request, schema, {
      maxBytes: 256 * 1024,
      methods: ['GET', 'POST'],
    });
    if (!parsed.ok) return parsed.response;
    if (!deps.openai) return missingKeyResponse();

    const { model, voice, instructions } = parsed.data;
    const refused = await checkBudget(deps.budget, {
      caller: callerOf(request, limits.OPENAI_CALLER_HEADER),
      requests: 1,
      usd: estimateRealtimeSessionUsd(model, instructions.length),
    });
    if (refused) return refused;
    try {
      const secret = await deps.openai.realtime.clientSecrets.create({
        expires_after: { anchor: 'created_at', seconds: CLIENT_SECRET_TTL_SECONDS },
        session: { type: 'realtime', model, instructions, audio: { output: { voice } } },
      });
      return jsonResponse(200, {
        value: secret.value,
        expires_at: secret.expires_at,
        model,
        voice,
        ...realtimeUrls(deps.openai.baseURL, model),
      });
    } catch (error) {
      return openAIErrorResponse(error);
    }
  };
}
