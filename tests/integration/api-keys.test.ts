import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scenarioSchema } from '@core/scenario.ts';
import { scenarioToYaml } from '@core/scenario-yaml.ts';
import { createAppSupabaseClient } from '@data/client.ts';
import { getRuns } from '@data/get-runs.ts';
import { callFunction } from '@engine/functions-client.ts';
import { makeRun, makeScenarioInput } from '@engine/testing/benchmark-runs.ts';
import { importJWK, SignJWT } from 'jose';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  LOCAL_ANON_KEY,
  LOCAL_JWT_SECRET,
  LOCAL_PUBLISHABLE_KEY,
  LOCAL_SECRET_KEY,
  LOCAL_SERVICE_ROLE_KEY,
} from '../../config/env.ts';
import { benchCli } from '../support/bench-cli.ts';
import { adminSql, apiUrl } from '../support/stack-clients.ts';

const sql = adminSql();
const workDir = mkdtempSync(path.join(tmpdir(), 'bench-api-keys-'));
afterAll(async () => {
  await sql.end({ timeout: 1 });
  rmSync(workDir, { recursive: true, force: true });
});

const functions = (key: string) => ({ functionsUrl: `${apiUrl()}/functions/v1`, anonKey: key });
const restGet = (headers: Record<string, string>) =>
  fetch(`${apiUrl()}/rest/v1/benchmark_runs?select=run_id&limit=1`, { headers });

/** Every way the project's clients use the key, configured with one key and no other. */
describe.each([
  {
    kind: 'only the new keys',
    key: LOCAL_PUBLISHABLE_KEY,
    // Blank names count as unset, over any .env.
    env: { SUPABASE_PUBLISHABLE_KEY: LOCAL_PUBLISHABLE_KEY, SUPABASE_ANON_KEY: '' },
    note: null,
  },
  {
    kind: 'only the legacy keys',
    key: LOCAL_ANON_KEY,
    env: { SUPABASE_PUBLISHABLE_KEY: '', SUPABASE_ANON_KEY: LOCAL_ANON_KEY },
    note: 'SUPABASE_ANON_KEY is deprecated: name it SUPABASE_PUBLISHABLE_KEY',
  },
])('runs saved and listed with $kind', ({ kind, key, env, note }) => {
  it('the console: its functions client saves a run and its data client lists it', async () => {
    const run = makeRun();
    const saved = await callFunction<{ run_id: string }>(
      functions(key),
      'save-benchmark-run',
      JSON.stringify(run),
    );
    expect(saved.error).toBeNull();
    expect(saved.data?.run_id).toBe(run.run_id);
    const page = await getRuns(createAppSupabaseClient(apiUrl(), key), {
      cursor: null,
      pageSize: 1000,
    });
    expect(page.runs.map((r) => r.run_id)).toContain(run.run_id);
  });

  it('the runner: syncs a scenario, runs it, saves the run and reads it back', async () => {
    const name = `api keys ${kind} ${crypto.randomUUID()}`;
    const file = path.join(workDir, `${crypto.randomUUID()}.yaml`);
    const scenario = scenarioSchema.parse(
      makeScenarioInput({ name, termination: { max_turns: 20 } }),
    );
    writeFileSync(file, scenarioToYaml(scenario));
    const result = await benchCli(
      ['run', file, '--agents', 'offline', '--turn-ms', '1', '--offline-questions', '1'],
      { ...env, BENCH_OUTBOX_DIR: path.join(workDir, `outbox-${crypto.randomUUID()}`) },
    );
    expect(result.code, result.stderr).toBe(0);
    if (note) expect(result.stderr).toContain(note);
    else expect(result.stderr).not.toMatch(/deprecated/);
    // Listed where the console and the runner read runs: through PostgREST, with the same key.
    const page = await getRuns(createAppSupabaseClient(apiUrl(), key), {
      cursor: null,
      pageSize: 1000,
    });
    expect(page.runs.filter((r) => r.scenario?.name === name)).toHaveLength(1);
  });
});

it('the runner uses the publishable key it is given: a key of another project is refused', async () => {
  const file = path.join(workDir, 'refused.yaml');
  writeFileSync(
    file,
    scenarioToYaml(
      scenarioSchema.parse(makeScenarioInput({ name: `refused ${crypto.randomUUID()}` })),
    ),
  );
  const result = await benchCli(
    ['run', file, '--agents', 'offline', '--turn-ms', '1', '--save-timeout', '0'],
    {
      SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_not_this_projects_key_00',
      SUPABASE_ANON_KEY: '',
      BENCH_OUTBOX_DIR: path.join(workDir, 'outbox-refused'),
    },
  );
  expect(result.code).not.toBe(0);
  expect(`${result.stdout}${result.stderr}`).toMatch(/401|api key/i);
});

describe('the stack accepts the kinds of keys Supabase hands out, and only its own', () => {
  it('reads as anon with the publishable key and as service_role with the secret key', async () => {
    for (const apikey of [LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY, LOCAL_SERVICE_ROLE_KEY]) {
      expect((await restGet({ apikey })).status, apikey).toBe(200);
    }
    // service_role may call what anon may not (an RPC granted to service_role only would do;
    // here: anon cannot insert, the secret key's role passes the grant check and fails on the row).
    const insert = (apikey: string) =>
      fetch(`${apiUrl()}/rest/v1/benchmark_runs`, {
        method: 'POST',
        headers: { apikey, 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await insert(LOCAL_PUBLISHABLE_KEY)).status).toBe(401);
    expect((await insert(LOCAL_SECRET_KEY)).status).not.toBe(401);
  });

  it('refuses keys of the new form it was not given, at the gateway and at each function', async () => {
    const stranger = 'sb_publishable_not_this_projects_key_00';
    const rest = await restGet({ apikey: stranger });
    expect(rest.status).toBe(401);
    expect(await rest.json()).toEqual({ message: 'Invalid API key' });
    const answer = await callFunction(
      functions(stranger),
      'save-benchmark-run',
      JSON.stringify(makeRun()),
    );
    expect(answer.status).toBe(401);
    expect(answer.error?.code).toBe('invalid_api_key');
    // A new key is no bearer token: the function must not take it from Authorization.
    const asBearer = await fetch(`${apiUrl()}/functions/v1/save-benchmark-run`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${LOCAL_PUBLISHABLE_KEY}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(makeRun()),
    });
    expect(asBearer.status).toBe(401);
  });

  it('accepts a user JWT signed with its asymmetric key (ES256) as PostgREST does, and refuses a forged HS256 one', async () => {
    const jwk = inject('signingJwk');
    const userJwt = await new SignJWT({ role: 'authenticated', sub: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid as string, typ: 'JWT' })
      .setExpirationTime('1h')
      .sign(await importJWK(jwk, 'ES256'));
    const signedIn = await restGet({
      apikey: LOCAL_PUBLISHABLE_KEY,
      authorization: `Bearer ${userJwt}`,
    });
    expect(signedIn.status, await signedIn.clone().text()).toBe(200);

    const forged = await new SignJWT({ role: 'service_role' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(`${LOCAL_JWT_SECRET}-not`));
    expect(
      (await restGet({ apikey: LOCAL_PUBLISHABLE_KEY, authorization: `Bearer ${forged}` })).status,
    ).toBe(401);
  });
});
