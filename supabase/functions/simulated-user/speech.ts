import { bytesFromBase64, bytesToBase64 } from '@core/base64.ts';
import { isAllowedModel, modelNotAllowedMessage } from '@core/openai-policy.ts';
import { RUN_AUDIO_SAMPLE_RATE } from '@core/run-audio.ts';
import { VOICES } from '@core/run-constants.ts';
import { type SpeechUsage, speechUsageSchema } from '@core/system-events.ts';
import type OpenAI from 'openai';
import { z } from 'zod';
import { errorResponse, jsonResponse } from '../_shared/cors.ts';
import type { OpenAILimitsEnv } from '../_shared/function-env.ts';
import { openAIErrorResponse } from '../_shared/openai.ts';
import { callerOf, checkBudget, type OpenAIBudget } from '../_shared/openai-budget.ts';
import { estimateSpeechUsd } from '../_shared/openai-estimate.ts';

const DEFAULT_SPEECH_MODEL = 'gpt-4o-mini-tts';

/**
 * tts-1 and tts-1-hd neither take `instructions` nor stream Server-Sent Events
 * (so they report no usage): they are billed by the character.
 */
const isCharacterBilled = (model: string) => /^tts-1(-hd)?(-|$)/.test(model);

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

type SpeechRequest = z.infer<ReturnType<typeof speechRequestSchema>>['speak'];

class SpeechTooLongError extends Error {}
class BadSpeechError extends Error {}

/**
 * The most an SSE answer of `maxPcmBytes` of audio may take: its base64, twice
 * over for the events' framing (OpenAI's chunks are kilobytes, each framed in
 * some 60 bytes), and 64 KiB more for the last event and its usage.
 */
export const sseBodyLimit = (maxPcmBytes: number) => 8 * Math.ceil(maxPcmBytes / 3) + 65_536;

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * The data of each Server-Sent Event of `body` (its `data:` lines joined), as
 * each completes (a blank line); other fields, comments and an event the body
 * ends inside are skipped, as the SSE standard says.
 */
async function* sseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  let data: string[] = [];
  for await (const chunk of body) {
    const lines = (pending + decoder.decode(chunk, { stream: true })).split('\n');
    pending = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      if (line !== '' || data.length === 0) continue;
      yield data.join('\n');
      data = [];
    }
  }
}

/**
 * The chunks of `response`'s body, refused past `maxBytes` in all without
 * reading the rest (cancelled, not awaited: a server may never acknowledge it).
 */
async function* boundedChunks(response: Response, maxBytes: number): AsyncGenerator<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    void response.body?.cancel().catch(() => {});
    throw new SpeechTooLongError();
  }
  const reader = response.body?.getReader();
  if (!reader) return;
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
      if (total > maxBytes) throw new SpeechTooLongError();
      yield value;
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
}

/** The body of OpenAI's raw answer, refused past `maxBytes`. */
async function readBounded(response: Response, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of boundedChunks(response, maxBytes)) {
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  return concat(chunks, total);
}

/**
 * OpenAI's speech as Server-Sent Events: the PCM of its `speech.audio.delta`
 * events (refused past `maxPcmBytes`, the body past `sseBodyLimit`) and the
 * usage of its `speech.audio.done`, which must come.
 */
async function readSpeechEvents(
  response: Response,
  maxPcmBytes: number,
): Promise<{ pcm: Uint8Array; usage: SpeechUsage | undefined }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const data of sseData(boundedChunks(response, sseBodyLimit(maxPcmBytes)))) {
    let event: { type?: unknown; audio?: unknown; usage?: unknown };
    try {
      event = JSON.parse(data);
    } catch {
      throw new BadSpeechError('an event that is not JSON');
    }
    if (event?.type === 'speech.audio.delta') {
      if (typeof event.audio !== 'string') throw new BadSpeechError('a delta without audio');
      let pcm: Uint8Array;
      try {
        pcm = bytesFromBase64(event.audio);
      } catch {
        throw new BadSpeechError('a delta whose audio is not base64');
      }
      total += pcm.byteLength;
      if (total > maxPcmBytes) throw new SpeechTooLongError();
      chunks.push(pcm);
    } else if (event?.type === 'speech.audio.done') {
      return { pcm: concat(chunks, total), usage: speechUsageSchema.safeParse(event.usage).data };
    }
  }
  throw new BadSpeechError('an answer that ended before speech.audio.done');
}

/**
 * Says `speak.input` in `speak.voice` with OpenAI's speech API, as raw PCM16
 * at 24 kHz (base64), with the tokens it used: asked as Server-Sent Events,
 * whose last event carries the usage (tts-1 and tts-1-hd answer raw PCM and no
 * usage). The rate is asked for in words (`instructions`, which
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
  const streams = !isCharacterBilled(model);
  let bytes: Uint8Array;
  let usage: SpeechUsage | undefined;
  try {
    const answer = await deps.openai.audio.speech.create({
      model,
      voice,
      input,
      response_format: 'pcm',
      ...(streams ? { stream_format: 'sse' as const } : {}),
      ...(words_per_minute && streams
        ? { instructions: `Speak at about ${words_per_minute} words per minute.` }
        : {}),
    });
    if (streams) ({ pcm: bytes, usage } = await readSpeechEvents(answer, maxBytes));
    else bytes = await readBounded(answer, maxBytes);
  } catch (error) {
    if (error instanceof BadSpeechError) {
      return errorResponse(
        502,
        'openai_bad_speech',
        `OpenAI's speech stream sent ${error.message}`,
      );
    }
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
    audio: bytesToBase64(bytes),
    format: 'pcm16',
    sample_rate: RUN_AUDIO_SAMPLE_RATE,
    model,
    usage,
  });
}
