import { describe, expect, it } from 'vitest';
import { parseWebEnv } from './web-env.ts';

const KEY = 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH';
const LOCAL_SECRET_KEY = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';
/** Unsigned JWT-shaped keys: only their role claim matters here. */
const jwtOfRole = (role: string) => `eyJhbGciOiJIUzI1NiJ9.${btoa(JSON.stringify({ role }))}.sig`;
const LOCAL_ANON_KEY = jwtOfRole('anon');
const LOCAL_SERVICE_ROLE_KEY = jwtOfRole('service_role');

describe('parseWebEnv', () => {
  it('accepts an http(s) URL and a publishable key', () => {
    expect(
      parseWebEnv({
        VITE_SUPABASE_URL: 'https://abc.supabase.co',
        VITE_SUPABASE_PUBLISHABLE_KEY: KEY,
      }),
    ).toEqual({ VITE_SUPABASE_URL: 'https://abc.supabase.co', VITE_SUPABASE_PUBLISHABLE_KEY: KEY });
  });

  it('reads the legacy VITE_SUPABASE_ANON_KEY when the current name is not set', () => {
    const url = 'http://127.0.0.1:54321';
    expect(
      parseWebEnv({ VITE_SUPABASE_URL: url, VITE_SUPABASE_ANON_KEY: LOCAL_ANON_KEY })
        .VITE_SUPABASE_PUBLISHABLE_KEY,
    ).toBe(LOCAL_ANON_KEY);
    expect(
      parseWebEnv({
        VITE_SUPABASE_URL: url,
        VITE_SUPABASE_PUBLISHABLE_KEY: KEY,
        VITE_SUPABASE_ANON_KEY: LOCAL_ANON_KEY,
      }).VITE_SUPABASE_PUBLISHABLE_KEY,
    ).toBe(KEY);
  });

  it('refuses a secret or service_role key, which would ship to every browser', () => {
    for (const key of [LOCAL_SECRET_KEY, LOCAL_SERVICE_ROLE_KEY]) {
      expect(() =>
        parseWebEnv({
          VITE_SUPABASE_URL: 'http://127.0.0.1:54321',
          VITE_SUPABASE_PUBLISHABLE_KEY: key,
        }),
      ).toThrow(/VITE_SUPABASE_PUBLISHABLE_KEY is a .* key, which bypasses row level security/);
    }
  });

  it.each<[string | undefined, string]>([
    [undefined, 'missing'],
    ['', 'empty'],
    ['abc.supabase.co', 'not a URL'],
    ['ftp://abc.supabase.co', 'not http(s)'],
  ])('names VITE_SUPABASE_URL when it is %j (%s)', (url) => {
    expect(() =>
      parseWebEnv({ VITE_SUPABASE_URL: url, VITE_SUPABASE_PUBLISHABLE_KEY: KEY }),
    ).toThrow(
      'The console is misconfigured: VITE_SUPABASE_URL must be the http(s) URL of the Supabase API',
    );
  });

  it('names VITE_SUPABASE_PUBLISHABLE_KEY when it is missing or blank', () => {
    for (const key of [undefined, '', '  ']) {
      expect(() =>
        parseWebEnv({
          VITE_SUPABASE_URL: 'http://127.0.0.1:54321',
          VITE_SUPABASE_PUBLISHABLE_KEY: key,
        }),
      ).toThrow('The console is misconfigured: VITE_SUPABASE_PUBLISHABLE_KEY is required');
    }
  });

  it('lists every problem at once', () => {
    expect(() => parseWebEnv({})).toThrow(
      'VITE_SUPABASE_URL must be the http(s) URL of the Supabase API; VITE_SUPABASE_PUBLISHABLE_KEY is required',
    );
  });
});
