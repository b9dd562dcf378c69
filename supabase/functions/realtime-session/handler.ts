import type OpenAI from 'openai';
import { z } from 'zod';
import { jsonResponse } from '../_shared/cors.ts';
import { readValidJson } from '../_shared/json-request.ts';
import { missingKeyResponse, openAIErrorResponse } from '../_shared/openai.ts';

export const DEFAULT_REALTIME_MODEL = 'gpt-realtime';
export const DEFAULT_VOICE = 'marin';
/** Life of the ephemeral key; the session itself may outlive it. */
export const CLIENT_SECRET_TTL_SECONDS = 600;

const sessionRequestSchema = z.strictObject({
  model: z.string().min(1).max(100).default(DEFAULT_REALTIME_MODEL),
  voice: z.string().min(1).max(50).default(DEFAULT_VOICE),
  instructions: z.string().max(100_000),
});

export interface RealtimeSessionDeps {
  /** null when no OPENAI_API_KEY is configured. */
  openai: OpenAI | null;
}

/**
 * GET: whether OpenAI is configured (the console picks its default agents by it).
 * POST { model?, voice?, instructions }: an ephemeral client secret for one
 * Realtime session, so the standard key never reaches the browser.
 */
export function createRealtimeSessionHandler(deps: RealtimeSessionDeps) {
  return async (request: Request): Promise<Response> => {
    if (request.method === 'GET') {
      return jsonResponse(200, {
        openai_configured: deps.openai !== null,
        defaults: { model: DEFAULT_REALTIME_MODEL, voice: DEFAULT_VOICE },
      });
    }
    const parsed = await readValidJson(request, sessionRequestSchema, {
      maxBytes: 256 * 1024,
      methods: ['GET', 'POST'],
    });
    if (!parsed.ok) return parsed.response;
    if (!deps.openai) return missingKeyResponse();

    const { model, voice, instructions } = parsed.data;
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
      });
    } catch (error) {
      return openAIErrorResponse(error);
    }
  };
}
