import { errorResponse } from './cors.ts';

type Getter = (name: string) => string | undefined;

/**
 * The project's API keys, from what Supabase gives every function:
 * `SUPABASE_PUBLISHABLE_KEYS` and `SUPABASE_SECRET_KEYS` (JSON dictionaries of
 * named keys; the singular `SUPABASE_PUBLISHABLE_KEY`/`SUPABASE_SECRET_KEY` where
 * exported by hand) and the legacy `SUPABASE_ANON_KEY`/`SUPABASE_SERVICE_ROLE_KEY`.
 */
export interface ProjectKeys {
  /** Keys accepted in the `apikey` header. */
  apiKeys: ReadonlySet<string>;
  /** Legacy JWT keys, also accepted as `Authorization: Bearer` (how clients sent them before). */
  legacyJwtKeys: ReadonlySet<string>;
}

function namedKeys(get: Getter, plural: string, singular: string): string[] {
  const raw = get(plural)?.trim();
  const keys: string[] = [];
  if (raw) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error(
        `invalid function environment: ${plural} must be a JSON object of named keys`,
      );
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error(
        `invalid function environment: ${plural} must be a JSON object of named keys`,
      );
    }
    for (const value of Object.values(parsed)) {
      if (typeof value === 'string' && value !== '') keys.push(value);
    }
  }
  const single = get(singular)?.trim();
  if (single) keys.push(single);
  return keys;
}

/**
 * The keys callers may present. Supabase keeps SUPABASE_ANON_KEY and
 * SUPABASE_SERVICE_ROLE_KEY set after a project disables its legacy keys, and
 * these functions run without the platform's JWT check: so once the project has
 * new keys, the legacy ones are trusted only when ACCEPT_LEGACY_API_KEYS=true
 * says they are still in use (while older consoles and runners move over).
 */
export function readProjectKeys(get: Getter): ProjectKeys {
  const current = [
    ...namedKeys(get, 'SUPABASE_PUBLISHABLE_KEYS', 'SUPABASE_PUBLISHABLE_KEY'),
    ...namedKeys(get, 'SUPABASE_SECRET_KEYS', 'SUPABASE_SECRET_KEY'),
  ];
  const legacyAccepted = current.length === 0 || get('ACCEPT_LEGACY_API_KEYS')?.trim() === 'true';
  const legacy = legacyAccepted
    ? ['SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY']
        .map((name) => get(name)?.trim())
        .filter((key): key is string => Boolean(key))
    : [];
  const apiKeys = new Set([...current, ...legacy]);
  if (apiKeys.size === 0) {
    throw new Error(
      'invalid function environment: no API keys (SUPABASE_PUBLISHABLE_KEYS, SUPABASE_SECRET_KEYS or the legacy SUPABASE_ANON_KEY) to check callers against',
    );
  }
  return { apiKeys, legacyJwtKeys: new Set(legacy) };
}

function bearer(header: string | null): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

/**
 * Serves `handler` only to callers that present one of the project's keys.
 * These functions run with `verify_jwt = false` (supabase/config.toml): the
 * new keys are not JWTs, so the platform's JWT check cannot pass them and the
 * check is made here instead. The key goes in `apikey`; a legacy JWT key is
 * also accepted as the bearer token. CORS preflights pass through.
 */
export function requireProjectKey(
  keys: ProjectKeys,
  handler: (request: Request) => Response | Promise<Response>,
): (request: Request) => Response | Promise<Response> {
  return (request) => {
    if (request.method === 'OPTIONS') return handler(request);
    const apikey = request.headers.get('apikey')?.trim();
    const token = bearer(request.headers.get('authorization'));
    if (apikey ? keys.apiKeys.has(apikey) : token !== undefined && keys.legacyJwtKeys.has(token)) {
      return handler(request);
    }
    return apikey || token
      ? errorResponse(401, 'invalid_api_key', "the apikey header is not one of this project's keys")
      : errorResponse(
          401,
          'missing_api_key',
          "send the project's publishable key in the apikey header",
        );
  };
}
