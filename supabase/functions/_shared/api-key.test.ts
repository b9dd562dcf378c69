import { describe, expect, it } from 'vitest';
import { readProjectKeys, requireProjectKey } from './api-key.ts';

const PUBLISHABLE = 'sb_publishable_abc';
const SECRET = 'sb_secret_def';
const ANON_JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.sig';

const env: Record<string, string> = {
  SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: PUBLISHABLE, mobile: 'sb_publishable_m' }),
  SUPABASE_SECRET_KEYS: JSON.stringify({ default: SECRET }),
  SUPABASE_ANON_KEY: ANON_JWT,
  ACCEPT_LEGACY_API_KEYS: 'true',
};
const keys = readProjectKeys((name) => env[name]);
const handler = requireProjectKey(keys, () => new Response('served'));
const call = (headers: Record<string, string>, method = 'POST') =>
  handler(new Request('http://fn/x', { method, headers }));

describe('readProjectKeys', () => {
  it('reads the named keys of the JSON dictionaries, the singular fallbacks and the legacy keys', () => {
    expect([...keys.apiKeys].sort()).toEqual(
      [PUBLISHABLE, 'sb_publishable_m', SECRET, ANON_JWT].sort(),
    );
    expect([...keys.legacyJwtKeys]).toEqual([ANON_JWT]);
    const single = readProjectKeys((name) =>
      name === 'SUPABASE_PUBLISHABLE_KEY' ? 'sb_publishable_s' : undefined,
    );
    expect([...single.apiKeys]).toEqual(['sb_publishable_s']);
  });

  it('trusts the legacy keys beside new ones only when ACCEPT_LEGACY_API_KEYS=true', () => {
    // Supabase keeps SUPABASE_ANON_KEY set after the project disables its legacy keys.
    const { ACCEPT_LEGACY_API_KEYS: _, ...withoutOptIn } = env;
    const current = readProjectKeys((name) => withoutOptIn[name]);
    expect([...current.apiKeys].sort()).toEqual([PUBLISHABLE, 'sb_publishable_m', SECRET].sort());
    expect([...current.legacyJwtKeys]).toEqual([]);
    // A project with legacy keys only keeps working without the opt-in.
    const legacyOnly = readProjectKeys((name) =>
      name === 'SUPABASE_ANON_KEY' ? ANON_JWT : undefined,
    );
    expect([...legacyOnly.apiKeys]).toEqual([ANON_JWT]);
  });

  it('names a malformed dictionary, and refuses to start with no key at all', () => {
    expect(() =>
      readProjectKeys((name) => (name === 'SUPABASE_SECRET_KEYS' ? 'sb_secret_x' : undefined)),
    ).toThrow('SUPABASE_SECRET_KEYS must be a JSON object of named keys');
    expect(() => readProjectKeys(() => undefined)).toThrow(/no API keys/);
  });
});

describe('requireProjectKey', () => {
  it('serves a caller whose apikey is one of the project keys', async () => {
    for (const apikey of [PUBLISHABLE, 'sb_publishable_m', SECRET, ANON_JWT]) {
      expect(await (await call({ apikey })).text()).toBe('served');
    }
  });

  it('serves a legacy JWT key sent only as the bearer token, as clients did before', async () => {
    expect((await call({ authorization: `Bearer ${ANON_JWT}` })).status).toBe(200);
  });

  it('refuses other keys, a new key as the bearer token, and no key (401)', async () => {
    const refused: Record<string, string>[] = [
      { apikey: 'sb_publishable_other' },
      { apikey: 'sb_publishable_other', authorization: `Bearer ${ANON_JWT}` },
      { authorization: `Bearer ${PUBLISHABLE}` },
    ];
    for (const headers of refused) {
      const response = await call(headers);
      expect(response.status).toBe(401);
      expect((await response.json()).error.code).toBe('invalid_api_key');
    }
    const none = await call({});
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('missing_api_key');
    expect(none.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('lets CORS preflights through without a key', async () => {
    expect((await call({}, 'OPTIONS')).status).toBe(200);
  });
});
