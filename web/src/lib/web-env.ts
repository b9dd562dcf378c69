import { apiKeyKind, isSecretKind } from '@core/api-keys.ts';

export interface WebEnv {
  VITE_SUPABASE_URL: string;
  /** Supabase's publishable key (or a legacy anon key): it ships to every browser. */
  VITE_SUPABASE_PUBLISHABLE_KEY: string;
}

/**
 * The settings baked into the console at build time. Checked by hand rather
 * than with a schema library: this is in the first chunk every page loads,
 * and two strings do not need one. VITE_SUPABASE_ANON_KEY, the legacy name,
 * is read when the current one is not set.
 */
export function parseWebEnv(source: Record<string, unknown>): WebEnv {
  const problems: string[] = [];
  const url = source.VITE_SUPABASE_URL;
  if (!isHttpUrl(url)) {
    problems.push('VITE_SUPABASE_URL must be the http(s) URL of the Supabase API');
  }
  const current = source.VITE_SUPABASE_PUBLISHABLE_KEY;
  const key = isFilled(current) ? current : source.VITE_SUPABASE_ANON_KEY;
  if (!isFilled(key)) {
    problems.push('VITE_SUPABASE_PUBLISHABLE_KEY is required');
  } else {
    const problem = browserKeyProblem(key);
    if (problem) problems.push(`VITE_SUPABASE_PUBLISHABLE_KEY ${problem}`);
  }
  if (problems.length > 0) throw new Error(`The console is misconfigured: ${problems.join('; ')}`);
  return { VITE_SUPABASE_URL: url as string, VITE_SUPABASE_PUBLISHABLE_KEY: key as string };
}

/**
 * Why `key` must not be given to the browser, or undefined when it may: a
 * secret or service_role key bypasses row level security, and everything in
 * the console's build is readable by whoever loads it.
 */
export function browserKeyProblem(key: string): string | undefined {
  const kind = apiKeyKind(key);
  if (kind === null || !isSecretKind(kind)) return undefined;
  return `is a ${kind === 'secret' ? 'secret (sb_secret_…)' : 'service_role'} key, which bypasses row level security and would ship to every browser: use the project's publishable key (sb_publishable_…)`;
}

function isFilled(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
