import { isAllowedModel, modelNotAllowedMessage } from '@core/openai-policy.ts';
import { VOICES } from '@core/run-constants.ts';
import type OpenAI from 'openai';
import { z } from 'zod';
import { errorResponse, jsonResponse } from '../_shared/cors.ts';
import type { OpenAILimitsEnv } from '../_shared/function-env.ts';
import { openAIErrorResponse } from '../_shared/openai.ts';
import { callerOf, checkBudget, type OpenAIBudget } from '../_shared/openai-budget.ts';
import { estimateSpeechUsd } from '../_shared/openai-estimate.ts';

export const DEFAULT_SPEECH_MODEL = 'gpt-4o-mini-tts';
/** `response_format: 'pcm'`: raw 16-bit little-endian mono samples at 24 kHz, no header. */
export const SPEECH_SAMPLE_RATE = 24_000;

/** Models that take `instructions` (OpenAI: not tts-1 or tts-1-hd). */
const takesInstructions = (model: string) => !/^tts-1(-hd)?(-|$)/.test(model);

/**
 * A scenario's speaking rates (SPEECH_LIMITS.wordsPerMinute of core/scenario.ts,
 * which is not imported here: it brings the scenario's hashing with it).
 */
export const SPEECH_WORDS_PER_MINUTE = { min: 60, max: 300 } as const;

export function speechRequestSchema(limits: OpenAILimitsEnv) {
  const allowed = limits.OPENAI_MODELS_SPEECH;
  const maxChars = limits.OPENAI_MAX_SPEECH_CHARS;
  const { min, max } = SPEECH_WORDS_PER_MINUTE;
  return z.strictObject({
    speak: z.strictObject({
      input: z
        .string()
        .trim()
        .min(1)
        .max(maxChars, {
          message: `the text to speak is longer than ${maxChars} characters (OPENAI_MAX_SPEECH_CHARS)`,
        }),
      voice: z.enum(VOICES),
      model: z
        .string()
        .min(1)
        .max(100)
        .default(DEFAULT_SPEECH_MODEL)
        .refine((model) => isAllowedModel(model, allowed), modelNotAllowedMessage(allowed)),
      words_per_minute: z.int().min(min).max(max).optional(),
    }),
  });
}

export type SpeechRequest = z.infer<ReturnType<typeof speechRequestSchema>>['speak'];

class SpeechTooLongError extends Error {}

/**
 * The body of OpenAI's answer, refused past `maxBytes` without reading the rest
 * (cancelled, not awaited: a server may never acknowledge it).
 */
async function readBounded(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    void response.body?.cancel().catch(() => {});
    throw new SpeechTooLongError();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      void reader.cancel().catch(() => {});
      throw new SpeechTooLongError();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * Says `speak.input` in `speak.voice` with OpenAI's speech API, as raw PCM16
 * at 24 kHz (base64). The rate is asked for in words (`instructions`, which
 * gpt-4o-mini-tts follows): OpenAI's `speed` is a factor of a voice's own
 * rate, which it does not document in words a minute.
 */
export async function speak(
  request: Request,
  speech: SpeechRequest,
  deps: { openai: OpenAI; budget: OpenAIBudget; limits: OpenAILimitsEnv },
): Promise<Response> {
  const { input, voice, model, words_per_minute } = speech;
  const refused = await checkBudget(deps.budget, {
    caller: callerOf(request, deps.limits.OPENAI_CALLER_HEADER),
    requests: 1,
    usd: estimateSpeechUsd(model, input),
  });
  if (refused) return refused;
  const maxBytes = deps.limits.OPENAI_MAX_SPEECH_BYTES;
  let bytes: Uint8Array;
  try {
    const answer = await deps.openai.audio.speech.create({
      model,
      voice,
      input,
      response_format: 'pcm',
      ...(words_per_minute && takesInstructions(model)
        ? { instructions: `Speak at about ${words_per_minute} words per minute.` }
        : {}),
    });
    bytes = await readBounded(answer, maxBytes);
  } catch (error) {
    if (error instanceof SpeechTooLongError) {
      return errorResponse(
        502,
        'openai_speech_too_long',
        `OpenAI's speech is longer than ${maxBytes} bytes (OPENAI_MAX_SPEECH_BYTES)`,
      );
    }
    return openAIErrorResponse(error);
  }
  if (bytes.length === 0 || bytes.length % 2 !== 0) {
    return errorResponse(
      502,
      'openai_bad_speech',
      `OpenAI's speech is not 16-bit PCM (${bytes.length} bytes)`,
    );
  }
  return jsonResponse(200, {
    audio: base64Of(bytes),
    format: 'pcm16',
    sample_rate: SPEECH_SAMPLE_RATE,
    model,
  });
}
