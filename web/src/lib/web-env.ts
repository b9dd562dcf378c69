export interface WebEnv {
  VITE_SUPABASE_URL: string;
  VITE_SUPABASE_ANON_KEY: string;
}

/**
 * The settings baked into the console at build time. Checked by hand rather
 * than with a schema library: this is in the first chunk every page loads,
 * and two strings do not need one.
 */
export function parseWebEnv(source: Record<string, unknown>): WebEnv {
  const problems: string[] = [];
  const url = source.VITE_SUPABASE_URL;
  if (!isHttpUrl(url)) {
    problems.push('VITE_SUPABASE_URL must be the http(s) URL of the Supabase API');
  }
  const anonKey = source.VITE_SUPABASE_ANON_KEY;
  if (typeof anonKey !== 'string' || anonKey.trim() === '') {
    problems.push('VITE_SUPABASE_ANON_KEY is required');
  }
  if (problems.length > 0) throw new Error(`The console is misconfigured: ${problems.join('; ')}`);
  return { VITE_SUPABASE_URL: url as string, VITE_SUPABASE_ANON_KEY: anonKey as string };
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
