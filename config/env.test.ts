import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  LOCAL_ANON_KEY,
  LOCAL_API_KEYS,
  LOCAL_JWT_SECRET,
  LOCAL_PUBLISHABLE_KEY,
  LOCAL_SECRET_KEY,
  LOCAL_SERVICE_ROLE_KEY,
  openAIFunctionEnv,
  repoRoot,
  stackApiKeys,
  withCurrentKeyNames,
} from './env.ts';

describe('openAIFunctionEnv', () => {
  it('passes every OPENAI_* variable to the functions, and nothing else', () => {
    expect(
      openAIFunctionEnv({
        OPENAI_API_KEY: 'sk-x',
        OPENAI_BUDGET_USD_PER_DAY: '3',
        OPENAI_MODELS_JUDGE_RUN: 'gpt-4.1-mini',
        OPENAI_BASE_URL: '',
        SUPABASE_SERVICE_ROLE_KEY: 'secret',
        PATH: '/usr/bin',
      }),
    ).toEqual({
      OPENAI_API_KEY: 'sk-x',
      OPENAI_BUDGET_USD_PER_DAY: '3',
      OPENAI_MODELS_JUDGE_RUN: 'gpt-4.1-mini',
    });
  });

  it('stops the start on a bad limit or an unpriced model, naming the variable', () => {
    expect(() => openAIFunctionEnv({ OPENAI_CALLER_REQUESTS_PER_HOUR: 'lots' })).toThrow(
      /OPENAI_CALLER_REQUESTS_PER_HOUR/,
    );
    expect(() =>
      openAIFunctionEnv({ OPENAI_MODELS_SIMULATED_USER: 'gpt-4.1-mini, o1-pro' }),
    ).toThrow(/OPENAI_MODELS_SIMULATED_USER.*o1-pro is not in the pricing table/);
  });
});

describe('withCurrentKeyNames', () => {
  it('reads a legacy key name under the current one, with a one-line note', () => {
    const notes: string[] = [];
    expect(
      withCurrentKeyNames(
        { SUPABASE_ANON_KEY: LOCAL_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY: LOCAL_SERVICE_ROLE_KEY },
        (line) => notes.push(line),
      ),
    ).toMatchObject({
      SUPABASE_PUBLISHABLE_KEY: LOCAL_ANON_KEY,
      SUPABASE_SECRET_KEY: LOCAL_SERVICE_ROLE_KEY,
    });
    expect(notes).toEqual([
      "SUPABASE_ANON_KEY is deprecated: name it SUPABASE_PUBLISHABLE_KEY (Supabase's current name for this key)",
      "SUPABASE_SERVICE_ROLE_KEY is deprecated: name it SUPABASE_SECRET_KEY (Supabase's current name for this key)",
    ]);
  });

  it('lets the current name win, and says the legacy one is ignored', () => {
    const notes: string[] = [];
    const env = withCurrentKeyNames(
      { SUPABASE_PUBLISHABLE_KEY: LOCAL_PUBLISHABLE_KEY, SUPABASE_ANON_KEY: LOCAL_ANON_KEY },
      (line) => notes.push(line),
    );
    expect(env.SUPABASE_PUBLISHABLE_KEY).toBe(LOCAL_PUBLISHABLE_KEY);
    expect(notes).toEqual(['SUPABASE_ANON_KEY is ignored: SUPABASE_PUBLISHABLE_KEY is set']);
  });

  it('says nothing when only the current names are used', () => {
    const notes: string[] = [];
    withCurrentKeyNames({ SUPABASE_PUBLISHABLE_KEY: LOCAL_PUBLISHABLE_KEY }, (line) =>
      notes.push(line),
    );
    expect(notes).toEqual([]);
  });
});

describe('stackApiKeys', () => {
  it('takes configured new keys, and the fixed local legacy JWTs beside them', () => {
    const keys = stackApiKeys({
      SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_mine',
      SUPABASE_SECRET_KEY: 'sb_secret_mine',
      JWT_SECRET: LOCAL_JWT_SECRET,
    });
    expect(keys).toEqual({
      ...LOCAL_API_KEYS,
      publishable: 'sb_publishable_mine',
      secret: 'sb_secret_mine',
    });
  });

  it('keeps the local new keys when legacy keys are configured in their place', () => {
    expect(
      stackApiKeys({
        SUPABASE_PUBLISHABLE_KEY: LOCAL_ANON_KEY,
        SUPABASE_SECRET_KEY: LOCAL_SERVICE_ROLE_KEY,
        JWT_SECRET: LOCAL_JWT_SECRET,
      }),
    ).toEqual({
      publishable: LOCAL_PUBLISHABLE_KEY,
      secret: LOCAL_SECRET_KEY,
      anon: LOCAL_ANON_KEY,
      serviceRole: LOCAL_SERVICE_ROLE_KEY,
    });
  });
});

describe('.env.example', () => {
  it('holds the fixed local keys of supabase start under the current names', () => {
    const example = parseEnv(readFileSync(path.join(repoRoot, '.env.example'), 'utf8'));
    expect(example).toMatchObject({
      SUPABASE_PUBLISHABLE_KEY: LOCAL_PUBLISHABLE_KEY,
      SUPABASE_SECRET_KEY: LOCAL_SECRET_KEY,
      JWT_SECRET: LOCAL_JWT_SECRET,
    });
    expect(example).not.toHaveProperty('SUPABASE_ANON_KEY');
  });

  it('never falls back on a public local key once JWT_SECRET is the operator’s own', () => {
    const own = 'an-operators-own-jwt-secret-of-at-least-32-characters';
    // Own legacy keys: the public sb_secret_… of supabase start must not become service_role.
    const jwtOf = (role: string) =>
      [
        'eyJhbGciOiJIUzI1NiJ9',
        Buffer.from(JSON.stringify({ role })).toString('base64url'),
        'x',
      ].join('.');
    expect(
      stackApiKeys({
        SUPABASE_PUBLISHABLE_KEY: jwtOf('anon'),
        SUPABASE_SECRET_KEY: jwtOf('service_role'),
        JWT_SECRET: own,
      }),
    ).toEqual({
      publishable: undefined,
      secret: undefined,
      anon: jwtOf('anon'),
      serviceRole: jwtOf('service_role'),
    });
    // Own new keys: the public demo JWTs are not handed to the functions.
    expect(
      stackApiKeys({
        SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_mine',
        SUPABASE_SECRET_KEY: 'sb_secret_mine',
        JWT_SECRET: own,
      }),
    ).toEqual({
      publishable: 'sb_publishable_mine',
      secret: 'sb_secret_mine',
      anon: undefined,
      serviceRole: undefined,
    });
  });
});
