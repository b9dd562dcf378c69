import { z } from 'zod';
import { DEFAULT_MAX_BODY_BYTES } from './run-constants.ts';

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
  OPENAI_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
});

/** The OpenAI functions' environment. A missing key is not an error here: the functions answer 503. */
export function readOpenAIEnv(get: Getter): z.infer<typeof openAIEnvSchema> {
  return read(openAIEnvSchema, {
    OPENAI_API_KEY: get('OPENAI_API_KEY') || undefined,
    OPENAI_BASE_URL: get('OPENAI_BASE_URL') || undefined,
    OPENAI_TIMEOUT_MS: get('OPENAI_TIMEOUT_MS') || undefined,
  });
}
