import type OpenAI from 'openai';
import { z } from 'zod';
import { errorResponse, jsonResponse } from '../_shared/cors.ts';
import { readValidJson } from '../_shared/json-request.ts';
import { missingKeyResponse, openAIErrorResponse } from '../_shared/openai.ts';
import { MAX_TURNS, SPEAKERS } from '../_shared/run-constants.ts';

export const DEFAULT_SIMULATED_USER_MODEL = 'gpt-4.1-mini';

const replyRequestSchema = z.strictObject({
  persona: z.string().min(1).max(100_000),
  model: z.string().min(1).max(100).default(DEFAULT_SIMULATED_USER_MODEL),
  history: z
    .array(z.strictObject({ speaker: z.enum(SPEAKERS), content: z.string().max(100_000) }))
    .max(MAX_TURNS),
});

/** How the simulated user's model sees the talk: the interviewer speaks to it, it answers. */
function toInput(history: z.infer<typeof replyRequestSchema>['history']) {
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

export interface SimulatedUserDeps {
  openai: OpenAI | null;
}

/** POST { persona, history, model? } → { utterance, model, usage }: the simulated user's next line. */
export function createSimulatedUserHandler(deps: SimulatedUserDeps) {
  return async (request: Request): Promise<Response> => {
    const parsed = await readValidJson(request, replyRequestSchema, { maxBytes: 2 * 1024 * 1024 });
    if (!parsed.ok) return parsed.response;
    if (!deps.openai) return missingKeyResponse();

    const { persona, model, history } = parsed.data;
    try {
      const response = await deps.openai.responses.create({
        model,
        instructions: persona,
        input: toInput(history),
      });
      const utterance = response.output_text.trim();
      if (!utterance) return errorResponse(502, 'openai_empty_reply', 'the model returned no text');
      return jsonResponse(200, { utterance, model: response.model, usage: response.usage ?? null });
    } catch (error) {
      return openAIErrorResponse(error);
    }
  };
}
