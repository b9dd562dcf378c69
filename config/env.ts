import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { apiKeyKind, isSecretKey } from '../core/api-keys.ts';
import { readOpenAILimitsEnv } from '../supabase/functions/_shared/function-env.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The well-known local keys of `supabase start`, so one .env works with both stacks. */
export const LOCAL_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const LOCAL_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
export const LOCAL_SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';

/** The fixed local keys of the new kind that `supabase start` prints (Supabase CLI). */
export const LOCAL_PUBLISHABLE_KEY = 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH';
export const LOCAL_SECRET_KEY = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';

const port = z.coerce.number().int().min(1).max(65535);

const stackEnvSchema = z.object({
  SUPABASE_URL: z.url().optional(),
  /** The key the console and runner use: Supabase's publishable key (or a legacy anon key). */
  SUPABASE_PUBLISHABLE_KEY: z
    .string()
    .min(1)
    .default(LOCAL_PUBLISHABLE_KEY)
    .refine((key) => !isSecretKey(key), {
      message:
        'is a secret key (sb_secret_… or service_role), which bypasses row level security: set the publishable key (sb_publishable_…) here',
    }),
  /** The project's secret key (or a legacy service_role key): server-side only. */
  SUPABASE_SECRET_KEY: z.string().min(1).default(LOCAL_SECRET_KEY),
  JWT_SECRET: z.string().min(32).default(LOCAL_JWT_SECRET),
  BENCH_DATA_DIR: z.string().min(1).default(path.join(repoRoot, '.bench-data')),
  BENCH_DB_PORT: port.default(54322),
  BENCH_API_PORT: port.default(54321),
  BENCH_WEB_PORT: port.default(5173),
  BENCH_CONSOLE_DIR: z
    .string()
    .min(1)
    .default(path.join(repoRoot, 'node_modules', '.cache', 'realtime-bench', 'console')),
  BENCH_SCENARIOS_DIR: z.string().min(1).default(path.join(repoRoot, 'scenarios')),
  BENCH_OUTBOX_DIR: z.string().min(1).default(path.join(repoRoot, '.bench-outbox')),
  CORS_ALLOWED_ORIGINS: z.string().default('*'),
  SAVE_RUN_MAX_BYTES: z.coerce.number().int().positive().optional(),
  SAVE_RUN_MAX_CONCURRENT: z.coerce.number().int().positive().optional(),
  SAVE_RUN_MAX_BUFFERED_BYTES: z.coerce.number().int().positive().optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.url().optional(),
});

export type StackEnv = z.infer<typeof stackEnvSchema>;

/** Supabase's current names for the keys, and the legacy names still read in their place. */
export const DEPRECATED_KEY_NAMES: ReadonlyArray<readonly [current: string, legacy: string]> = [
  ['SUPABASE_PUBLISHABLE_KEY', 'SUPABASE_ANON_KEY'],
  ['SUPABASE_SECRET_KEY', 'SUPABASE_SERVICE_ROLE_KEY'],
  ['VITE_SUPABASE_PUBLISHABLE_KEY', 'VITE_SUPABASE_ANON_KEY'],
];

/**
 * `source` with each legacy key name's value under its current name (when
 * that is not set itself), and a one-line note for each legacy name used.
 */
export function withCurrentKeyNames(
  source: Record<string, string | undefined>,
  note: (line: string) => void,
): Record<string, string | undefined> {
  const result = { ...source };
  for (const [current, legacy] of DEPRECATED_KEY_NAMES) {
    const legacyValue = source[legacy];
    if (!legacyValue) continue;
    if (!source[current]) {
      result[current] = legacyValue;
      note(`${legacy} is deprecated: name it ${current} (Supabase's current name for this key)`);
    } else {
      note(`${legacy} is ignored: ${current} is set`);
    }
  }
  return result;
}

/** Reads .env (if present) under the process environment, which wins, and validates it. */
export function readStackEnv(
  note: (line: string) => void = (line) => console.error(line),
): StackEnv {
  const envFile = path.join(repoRoot, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const blankless = Object.fromEntries(
    Object.entries(process.env).filter(([, value]) => value !== ''),
  );
  const result = stackEnvSchema.safeParse(withCurrentKeyNames(blankless, note));
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid environment: ${problems}`);
  }
  return result.data;
}

/**
 * What the edge functions get of the environment for OpenAI: every OPENAI_*
 * variable (the key, the base URL, and the models, caps and budget of
 * README's configuration table), checked here so a bad value stops the start
 * with its name instead of failing each function.
 */
export function openAIFunctionEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const picked = Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] =>
        entry[0].startsWith('OPENAI_') && entry[1] !== '' && entry[1] !== undefined,
    ),
  );
  readOpenAILimitsEnv((name) => picked[name]);
  return picked;
}

/**
 * The keys the embedded stack accepts: its publishable and secret keys and the
 * legacy anon and service_role JWTs. What is configured is taken; a kind that
 * is not configured falls back to `supabase start`'s fixed local key only
 * while JWT_SECRET is the well-known local one too (then anyone can sign a
 * service_role token anyway). With a secret of the operator's own, a missing
 * kind is left out: a public demo key must never open a stack its owner closed.
 */
export interface StackApiKeys {
  publishable?: string;
  secret?: string;
  anon?: string;
  serviceRole?: string;
}

export function stackApiKeys(
  env: Pick<StackEnv, 'SUPABASE_PUBLISHABLE_KEY' | 'SUPABASE_SECRET_KEY' | 'JWT_SECRET'>,
): StackApiKeys {
  const publishable = apiKeyKind(env.SUPABASE_PUBLISHABLE_KEY);
  const secret = apiKeyKind(env.SUPABASE_SECRET_KEY);
  const local = env.JWT_SECRET === LOCAL_JWT_SECRET;
  const orLocal = (key: string) => (local ? key : undefined);
  return {
    publishable:
      publishable === 'publishable' ? env.SUPABASE_PUBLISHABLE_KEY : orLocal(LOCAL_PUBLISHABLE_KEY),
    secret: secret === 'secret' ? env.SUPABASE_SECRET_KEY : orLocal(LOCAL_SECRET_KEY),
    anon: publishable === 'legacy-anon' ? env.SUPABASE_PUBLISHABLE_KEY : orLocal(LOCAL_ANON_KEY),
    serviceRole:
      secret === 'legacy-service-role' ? env.SUPABASE_SECRET_KEY : orLocal(LOCAL_SERVICE_ROLE_KEY),
  };
}

/** The fixed local keys of `supabase start`, as the embedded stack uses them by default. */
export const LOCAL_API_KEYS: StackApiKeys = {
  publishable: LOCAL_PUBLISHABLE_KEY,
  secret: LOCAL_SECRET_KEY,
  anon: LOCAL_ANON_KEY,
  serviceRole: LOCAL_SERVICE_ROLE_KEY,
};

export function isLocalUrl(url: string, apiPort: number): boolean {
  const { hostname, port: urlPort } = new URL(url);
  const loopback = hostname === '127.0.0.1' || hostname === 'localhost';
  return loopback && Number(urlPort) === apiPort;
}

export function parseOrigins(value: string): string[] | '*' {
  const origins = value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  return origins.length === 0 || origins.includes('*') ? '*' : origins;
}
