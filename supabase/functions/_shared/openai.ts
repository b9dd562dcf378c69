import { MISSING_KEY_MESSAGE } from '@core/openai-policy.ts';
import OpenAI from 'openai';
import { errorResponse } from './cors.ts';
import { readOpenAIEnv } from './function-env.ts';
import { OPENAI_DEFAULT_BASE_URL } from './openai-urls.ts';

export function missingKeyResponse(): Response {
  return errorResponse(503, 'openai_key_missing', MISSING_KEY_MESSAGE);
}

/** What is safe to tell a caller about OpenAI's answer: its HTTP status and its error code, when it has one. */
function safeDetail(error: InstanceType<typeof OpenAI.APIError>): string {
  const code =
    typeof error.code === 'string' && /^[a-z0-9_]{1,64}$/.test(error.code) ? error.code : null;
  return code ? `${error.status}, ${code}` : String(error.status);
}

/**
 * OpenAI's failures as this API's errors: the caller learns what went wrong,
 * never a bare 500, and never OpenAI's own text, which can carry the
 * organisation, the project or a masked key. That text goes to the log.
 */
export function openAIErrorResponse(error: unknown): Response {
  if (!(error instanceof OpenAI.OpenAIError)) throw error;
  const requestId = error instanceof OpenAI.APIError ? error.requestID : undefined;
  console.error(
    `openai call failed: ${error.constructor.name}${requestId ? ` (request ${requestId})` : ''}: ${error.message}`,
  );
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return errorResponse(504, 'openai_timeout', 'OpenAI did not answer in time; try again');
  }
  if (error instanceof OpenAI.AuthenticationError) {
    return errorResponse(
      502,
      'openai_unauthorized',
      'OpenAI refused the configured API key (401): check OPENAI_API_KEY of the edge functions',
    );
  }
  if (error instanceof OpenAI.RateLimitError && isQuotaExhausted(error)) {
    // A 429 that waiting does not cure: the account is out of credit or over its spend limit.
    return errorResponse(
      502,
      'openai_insufficient_quota',
      `OpenAI refused: the project has no quota left (${safeDetail(error)}); add credit or raise its limits in the OpenAI dashboard, retrying will not help`,
    );
  }
  if (error instanceof OpenAI.RateLimitError) {
    return errorResponse(
      503,
      'openai_rate_limited',
      `OpenAI is rate-limiting this project (${safeDetail(error)}); try again shortly`,
      undefined,
      { 'Retry-After': '5' },
    );
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    return errorResponse(
      502,
      'openai_error',
      `OpenAI answered ${safeDetail(error)}; the details are in the function's log`,
    );
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return errorResponse(502, 'openai_unreachable', 'could not reach OpenAI; try again');
  }
  throw error;
}

function isQuotaExhausted(error: InstanceType<typeof OpenAI.APIError>): boolean {
  return error.code === 'insufficient_quota' || error.type === 'insufficient_quota';
}

export interface OpenAIClientOptions {
  apiKey: string;
  baseURL?: string;
  timeoutMs: number;
}

export function createOpenAIClient({ apiKey, baseURL, timeoutMs }: OpenAIClientOptions): OpenAI {
  return new OpenAI({
    apiKey,
    baseURL: baseURL ?? OPENAI_DEFAULT_BASE_URL,
    timeout: timeoutMs,
    maxRetries: 1,
  });
}

/**
 * The client the OpenAI functions use, or null when no key is configured. The
 * judge waits longer for OpenAI (OPENAI_JUDGE_TIMEOUT_MS) than the chat calls
 * (OPENAI_TIMEOUT_MS).
 */
export function openAIFromEnv(
  get: (name: string) => string | undefined,
  use: 'chat' | 'judge' = 'chat',
): OpenAI | null {
  const env = readOpenAIEnv(get);
  if (!env.OPENAI_API_KEY) return null;
  return createOpenAIClient({
    apiKey: env.OPENAI_API_KEY,
    baseURL: env.OPENAI_BASE_URL,
    timeoutMs: use === 'judge' ? env.OPENAI_JUDGE_TIMEOUT_MS : env.OPENAI_TIMEOUT_MS,
  });
}
