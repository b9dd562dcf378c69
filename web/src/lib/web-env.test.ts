import { describe, expect, it } from 'vitest';
import { parseWebEnv } from './web-env.ts';

const KEY = 'eyJhbGciOiJIUzI1NiJ9.e30.signature';

describe('parseWebEnv', () => {
  it('accepts an http(s) URL and a key', () => {
    expect(
      parseWebEnv({ VITE_SUPABASE_URL: 'https://abc.supabase.co', VITE_SUPABASE_ANON_KEY: KEY }),
    ).toEqual({ VITE_SUPABASE_URL: 'https://abc.supabase.co', VITE_SUPABASE_ANON_KEY: KEY });
  });

  it.each<[string | undefined, string]>([
    [undefined, 'missing'],
    ['', 'empty'],
    ['abc.supabase.co', 'not a URL'],
    ['ftp://abc.supabase.co', 'not http(s)'],
  ])('names VITE_SUPABASE_URL when it is %j (%s)', (url) => {
    expect(() => parseWebEnv({ VITE_SUPABASE_URL: url, VITE_SUPABASE_ANON_KEY: KEY })).toThrow(
      'The console is misconfigured: VITE_SUPABASE_URL must be the http(s) URL of the Supabase API',
    );
  });

  it('names VITE_SUPABASE_ANON_KEY when it is missing or blank', () => {
    for (const key of [undefined, '', '  ']) {
      expect(() =>
        parseWebEnv({ VITE_SUPABASE_URL: 'http://127.0.0.1:54321', VITE_SUPABASE_ANON_KEY: key }),
      ).toThrow('The console is misconfigured: VITE_SUPABASE_ANON_KEY is required');
    }
  });

  it('lists every problem at once', () => {
    expect(() => parseWebEnv({})).toThrow(
      'VITE_SUPABASE_URL must be the http(s) URL of the Supabase API; VITE_SUPABASE_ANON_KEY is required',
    );
  });
});
