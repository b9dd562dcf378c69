import { pricesFor } from '@core/pricing.ts';
import {
  DEFAULT_JUDGE_MODELS,
  DEFAULT_MAX_BODY_BYTES,
  MAX_PROMPT_CHARS,
} from '@core/run-constants.ts';
import { z } from 'zod';

type Getter = (name: string) => string | undefined;

function read<T extends z.ZodType>(
  schema: T,
  values: Record<string, string | undefined>,
): z.infer<T> {
  const result = schema.safeParse(values);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid function environment: ${problems}`);
  }
  return result.data;
}

const dbEnvSchema = z.object({
  SUPABASE_DB_URL: z.string().min(1, 'SUPABASE_DB_URL is required to write runs'),
  SAVE_RUN_MAX_BYTES: z.coerce.number().int().positive().default(DEFAULT_MAX_BODY_BYTES),
  SAVE_RUN_MAX_CONCURRENT: z.coerce.number().int().positive().optional(),
  SAVE_RUN_MAX_BUFFERED_BYTES: z.coerce.number().int().positive().optional(),
});

/** save-benchmark-run's environment; fails with the names of missing or bad variables. */
export function readDbEnv(get: Getter): z.infer<typeof dbEnvSchema> {
  return read(dbEnvSchema, {
    SUPABASE_DB_URL: get('SUPABASE_DB_URL'),
    SAVE_RUN_MAX_BYTES: get('SAVE_RUN_MAX_BYTES') || undefined,
    SAVE_RUN_MAX_CONCURRENT: get('SAVE_RUN_MAX_CONCURRENT') || undefined,
    SAVE_RUN_MAX_BUFFERED_BYTES: get('SAVE_RUN_MAX_BUFFERED_BYTES') || undefined,
  });
}

const openAIEnvSchema = z.object({
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.url().optional(),
  /** The chat calls (client secrets, the simulated user's replies). */
  OPENAI_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  /** The judge: a whole transcript in, structured output out, takes far longer than a reply. */
  OPENAI_JUDGE_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
});

/** The OpenAI functions' environment. A missing key is not an error here: the functions answer 503. */
export function readOpenAIEnv(get: Getter): z.infer<typeof openAIEnvSchema> {
  return read(openAIEnvSchema, {
    OPENAI_API_KEY: get('OPENAI_API_KEY') || undefined,
    OPENAI_BASE_URL: get('OPENAI_BASE_URL') || undefined,
    OPENAI_TIMEOUT_MS: get('OPENAI_TIMEOUT_MS') || undefined,
    OPENAI_JUDGE_TIMEOUT_MS: get('OPENAI_JUDGE_TIMEOUT_MS') || undefined,
  });
}

/** A comma-separated list of models; every one must be priced, so its spend can be estimated. */
const modelList = (name: string, defaults: readonly string[]) =>
  z
    .string()
    .default(defaults.join(','))
    .transform((value) =>
      value
        .split(',')
        .map((model) => model.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z.string().refine((model) => pricesFor(model) !== undefined, {
            error: (issue) =>
              `${String(issue.input)} is not in the pricing table (core/pricing.ts), so its spend cannot be estimated`,
          }),
        )
        .min(1, `${name} must name at least one model`),
    );

const count = z.coerce.number().int().positive();
const dollars = z.coerce.number().positive();

const openAILimitsSchema = z.object({
  OPENAI_MODELS_REALTIME_SESSION: modelList('OPENAI_MODELS_REALTIME_SESSION', [
    'gpt-realtime-2.1',
    'gpt-realtime-2.1-mini',
    'gpt-realtime-2',
    'gpt-realtime-1.5',
    'gpt-realtime',
    'gpt-realtime-mini',
  ]),
  OPENAI_MODELS_SIMULATED_USER: modelList('OPENAI_MODELS_SIMULATED_USER', [
    'gpt-4.1-mini',
    'gpt-4.1-nano',
    'gpt-4o-mini',
    'gpt-4.1',
  ]),
  OPENAI_MODELS_JUDGE_RUN: modelList('OPENAI_MODELS_JUDGE_RUN', DEFAULT_JUDGE_MODELS),
  /** Text-to-speech models `simulated-user` may speak the simulated user's replies with. */
  OPENAI_MODELS_SPEECH: modelList('OPENAI_MODELS_SPEECH', ['gpt-4o-mini-tts']),
  OPENAI_MAX_PROMPT_CHARS: count.default(MAX_PROMPT_CHARS),
  OPENAI_MAX_TRANSCRIPT_CHARS: count.default(200_000),
  /** Longest text spoken in one call: a reply is at most 500 tokens, about 2000 characters. */
  OPENAI_MAX_SPEECH_CHARS: count.default(2_000),
  /** Most audio one speech call may return: 3 minutes of 24 kHz 16-bit mono PCM. */
  OPENAI_MAX_SPEECH_BYTES: count.default(180 * 48_000),
  OPENAI_BUDGET_REQUESTS_PER_HOUR: count.default(3_000),
  OPENAI_BUDGET_REQUESTS_PER_DAY: count.default(20_000),
  OPENAI_BUDGET_USD_PER_HOUR: dollars.default(10),
  OPENAI_BUDGET_USD_PER_DAY: dollars.default(50),
  OPENAI_CALLER_REQUESTS_PER_HOUR: count.default(1_200),
  OPENAI_CALLER_REQUESTS_PER_DAY: count.default(6_000),
  OPENAI_CALLER_USD_PER_HOUR: dollars.default(5),
  OPENAI_CALLER_USD_PER_DAY: dollars.default(20),
  OPENAI_CALLER_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
    .default('x-forwarded-for')
    .transform((name) => name.toLowerCase()),
});

export type OpenAILimitsEnv = z.infer<typeof openAILimitsSchema>;

/** Which models each OpenAI function accepts, how large its prompts may be and what it may spend. */
export function readOpenAILimitsEnv(get: Getter): OpenAILimitsEnv {
  const names = Object.keys(openAILimitsSchema.shape) as Array<keyof OpenAILimitsEnv>;
  return read(openAILimitsSchema, Object.fromEntries(names.map((n) => [n, get(n) || undefined])));
}
