import { browserKeyProblem } from '@core/api-keys.ts';

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
