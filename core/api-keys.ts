// What kind of Supabase API key a value is. Supabase's new keys are opaque
// (`sb_publishable_…`, `sb_secret_…`); the legacy ones are JWTs whose `role`
// claim says anon or service_role. Nothing here verifies a key: the gateway does.

export type ApiKeyKind = 'publishable' | 'secret' | 'legacy-anon' | 'legacy-service-role';

/** The Postgres role a key of each kind acts as. */
export const ROLE_OF_KEY: Record<ApiKeyKind, 'anon' | 'service_role'> = {
  publishable: 'anon',
  secret: 'service_role',
  'legacy-anon': 'anon',
  'legacy-service-role': 'service_role',
};

/** Keys of these kinds must never reach a browser or be committed. */
export const isSecretKind = (kind: ApiKeyKind) => ROLE_OF_KEY[kind] === 'service_role';

function jwtRole(key: string): unknown {
  const payload = key.split('.')[1];
  if (key.split('.').length !== 3 || !payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return (JSON.parse(json) as { role?: unknown }).role;
  } catch {
    return undefined;
  }
}

/** The kind of `key`, or null when it is none of Supabase's API keys. */
export function apiKeyKind(key: string): ApiKeyKind | null {
  if (/^sb_publishable_[A-Za-z0-9_-]+$/.test(key)) return 'publishable';
  if (/^sb_secret_[A-Za-z0-9_-]+$/.test(key)) return 'secret';
  const role = jwtRole(key);
  if (role === 'anon') return 'legacy-anon';
  if (role === 'service_role') return 'legacy-service-role';
  return null;
}

/**
 * The headers that carry `key` on a request, as Supabase documents them: the
 * `apikey` header always; `Authorization: Bearer` only for a legacy JWT key,
 * since the new keys are not JWTs and the bearer slot is for JWTs alone.
 */
export function apiKeyHeaders(key: string): Record<string, string> {
  const kind = apiKeyKind(key);
  const isJwt = kind === 'legacy-anon' || kind === 'legacy-service-role';
  return isJwt ? { apikey: key, Authorization: `Bearer ${key}` } : { apikey: key };
}

/** Whether `key` acts as service_role (a secret key or a legacy service_role JWT). */
export function isSecretKey(key: string): boolean {
  const kind = apiKeyKind(key);
  return kind !== null && isSecretKind(kind);
}

/**
 * Why `key` must not go where a browser can read it, or undefined when it may:
 * a secret or service_role key bypasses row level security, and everything in
 * the console's build is readable by whoever loads it.
 */
export function browserKeyProblem(key: string): string | undefined {
  const kind = apiKeyKind(key);
  if (kind === null || !isSecretKind(kind)) return undefined;
  return `is a ${kind === 'secret' ? 'secret (sb_secret_…)' : 'service_role'} key, which bypasses row level security and would ship to every browser: use the project's publishable key (sb_publishable_…)`;
}
