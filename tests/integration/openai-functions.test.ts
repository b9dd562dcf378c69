import { randomUUID } from 'node:crypto';
import { getAgentStatus } from '@engine/agent-status.ts';
import { fetchClientSecret } from '@engine/realtime/client-secret.ts';
import { EdgeSimulatedUser } from '@engine/simulated-user.ts';
import { makeScenarioInput, makeScenarioRun } from '@engine/testing/benchmark-runs.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { FAKE_OPENAI_KEY, TEST_CALLER_HEADER } from '../support/fake-openai.ts';
import {
  adminSql,
  anonClient,
  apiUrl,
  LOCAL_ANON_KEY,
  LOCAL_SERVICE_ROLE_KEY,
  saveRun,
} from '../support/stack-clients.ts';

const endpoint = () => ({ functionsUrl: `${apiUrl()}/functions/v1`, anonKey: LOCAL_ANON_KEY });

describe('OpenAI edge functions under Deno, through the gateway (OpenAI faked on loopback)', () => {
  it('realtime-session reports the key as configured and mints an ephemeral secret', async () => {
    const status = await fetch(`${endpoint().functionsUrl}/realtime-session`, {
      headers: { authorization: `Bearer ${LOCAL_ANON_KEY}` },
    });
    expect(await status.json()).toMatchObject({
      openai_configured: true,
      defaults: { model: 'gpt-realtime-2.1' },
      // GET /v1/models through the function: the accepted models the key can use, with their shutdowns.
      openai_models: {
        available: ['gpt-realtime-2.1', 'gpt-realtime', 'gpt-4.1-mini'],
        shutdown_dates: {
          'gpt-realtime-2.1': null,
          'gpt-realtime': '2027-01-20',
          'gpt-4.1-mini': '2027-01-14',
        },
      },
    });
    // What the console reads of it.
    expect((await getAgentStatus(endpoint())).shutdownDates).toEqual({
      'gpt-realtime-2.1': null,
      'gpt-realtime': '2027-01-20',
      'gpt-4.1-mini': '2027-01-14',
    });

    const secret = await fetchClientSecret(endpoint(), {
      model: 'gpt-realtime',
      voice: 'cedar',
      instructions: 'Interview the user.',
    });
    expect(secret.value).toBe('ek_fake_gpt-realtime_cedar');
    expect(secret.expires_at).toBeGreaterThan(Date.now() / 1000);
  });

  it('simulated-user answers through the text model with the persona', async () => {
    const user = new EdgeSimulatedUser(endpoint(), 'gpt-4.1-mini');
    const reply = await user.reply({
      persona: 'You are Sam.',
      history: [
        {
          speaker: 'interviewer',
          content: 'How do you plan?',
          timestamp: new Date().toISOString(),
        },
      ],
      signal: new AbortController().signal,
    });
    // The reply carries the model and its usage, which the run's log keeps for cost.
    expect(reply).toEqual({
      utterance: '(You are Sam.) You asked: How do you plan?',
      model: 'gpt-4.1-mini',
      usage: expect.objectContaining({ input_tokens: 10, output_tokens: 5 }),
    });
  });

  it('both refuse to run without a JWT', async () => {
    for (const fn of ['realtime-session', 'simulated-user']) {
      const response = await fetch(`${endpoint().functionsUrl}/${fn}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(401);
    }
  });
});

describe('secrets stay on the server', () => {
  it('no response, success or error, carries the service key, the OpenAI key or the database URL', async () => {
    const { functionsUrl } = endpoint();
    const auth = { authorization: `Bearer ${LOCAL_ANON_KEY}`, 'content-type': 'application/json' };
    const responses = await Promise.all([
      fetch(`${functionsUrl}/realtime-session`, { headers: auth }),
      fetch(`${functionsUrl}/realtime-session`, {
        method: 'POST',
        headers: auth,
        body: '{"instructions":"x"}',
      }),
      fetch(`${functionsUrl}/realtime-session`, {
        method: 'POST',
        headers: auth,
        body: '{"instructions":7}',
      }),
      fetch(`${functionsUrl}/simulated-user`, {
        method: 'POST',
        headers: auth,
        body: '{"persona":"p","history":[]}',
      }),
      fetch(`${functionsUrl}/simulated-user`, { method: 'POST', headers: auth, body: 'nope' }),
      fetch(`${functionsUrl}/save-benchmark-run`, { method: 'POST', headers: auth, body: '{}' }),
      fetch(`${functionsUrl}/save-benchmark-run`, { method: 'PUT', headers: auth }),
      fetch(`${apiUrl()}/rest/v1/benchmark_runs?select=run_id&limit=1`, {
        headers: { apikey: LOCAL_ANON_KEY },
      }),
      fetch(`${apiUrl()}/rest/v1/benchmark_runs?select=nope`, {
        headers: { apikey: LOCAL_ANON_KEY },
      }),
    ]);
    for (const response of responses) {
      const text = `${JSON.stringify([...response.headers])}${await response.text()}`;
      for (const secret of [LOCAL_SERVICE_ROLE_KEY, FAKE_OPENAI_KEY, 'postgres:postgres@']) {
        expect(text.includes(secret), `${response.url} leaks ${secret.slice(0, 10)}…`).toBe(false);
      }
    }
  });
});

describe('judge-run under Deno, through the gateway (OpenAI faked on loopback)', () => {
  const rubric = {
    criteria: [
      { name: 'Asks one thing at a time', description: 'One question per turn.', weight: 2 },
      { name: 'Closes politely', description: 'Thanks the caller and ends.' },
    ],
  };
  const judge = (runId: string) =>
    fetch(`${apiUrl()}/functions/v1/judge-run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LOCAL_ANON_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ run_id: runId }),
    });

  it('scores a saved run against its rubric and keeps every judgement', async () => {
    const run = makeScenarioRun(makeScenarioInput({ name: `Judged ${randomUUID()}`, rubric }));
    expect((await saveRun(run)).status).toBe(201);

    const first = await judge(run.run_id);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({
      status: 'ok',
      overall_score: 1,
      judge_model: 'gpt-4.1',
      scores: [
        { criterion: 'Asks one thing at a time', score: 5 },
        { criterion: 'Closes politely', score: 5 },
      ],
    });
    expect((await judge(run.run_id)).status).toBe(201);
    const { data } = await anonClient()
      .from('run_judgements')
      .select('status, overall_score')
      .eq('run_id', run.run_id);
    expect(data).toEqual([
      { status: 'ok', overall_score: 1 },
      { status: 'ok', overall_score: 1 },
    ]);
    // The comparison counts each run's latest judgement once.
    const { data: comparison } = await anonClient()
      .from('benchmark_comparison')
      .select('runs, judged_runs, mean_judge_score')
      .eq('scenario_hash', (await saveRun(run).then((r) => r.json())).scenario_hash);
    expect(comparison).toEqual([{ runs: 1, judged_runs: 1, mean_judge_score: 1 }]);
  });

  it('refuses a run whose scenario has no rubric, and an unknown run', async () => {
    const run = makeScenarioRun(makeScenarioInput({ name: `Unjudged ${randomUUID()}` }));
    expect((await saveRun(run)).status).toBe(201);
    expect((await judge(run.run_id)).status).toBe(409);
    expect((await judge(randomUUID())).status).toBe(404);
  });
});

describe('the OpenAI budget, in Postgres, across the function processes', () => {
  const sql = adminSql();
  afterAll(() => sql.end({ timeout: 1 }));

  const call = (fn: string, body: unknown, caller: string) =>
    fetch(`${apiUrl()}/functions/v1/${fn}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${LOCAL_ANON_KEY}`,
        'content-type': 'application/json',
        [TEST_CALLER_HEADER]: caller,
      },
      body: JSON.stringify(body),
    });
  const usage = (caller: string) =>
    sql<{ window_kind: string; requests: number; usd: string }[]>`
      select window_kind, requests, usd from public.openai_usage
      where scope = 'caller:' || encode(sha256(convert_to(${caller}, 'UTF8')), 'hex')
      order by window_kind`;
  const history = [{ speaker: 'interviewer', content: 'How do you plan?' }];

  it('counts calls to different functions in the same rows', async () => {
    const caller = `budget-${randomUUID()}`;
    expect(
      (await call('simulated-user', { persona: 'You are Sam.', history }, caller)).status,
    ).toBe(200);
    expect((await call('realtime-session', { instructions: 'Interview.' }, caller)).status).toBe(
      200,
    );
    const rows = await usage(caller);
    expect(rows.map((row) => [row.window_kind, row.requests])).toEqual([
      ['day', 2],
      ['hour', 2],
    ]);
    // gpt-4.1-mini's reply and gpt-realtime's session, estimated before the calls.
    expect(Number(rows[0]?.usd)).toBeGreaterThan(0.1);
  });

  it('answers 429 with Retry-After from every OpenAI function once a caller has used its hour, and spends nothing', async () => {
    const caller = `spent-${randomUUID()}`;
    const other = `fresh-${randomUUID()}`;
    // The caller's default hourly allowance (1,200 requests), used up in this hour and the next,
    // so the test does not depend on when in the hour it runs.
    await sql`
      insert into public.openai_usage (scope, window_kind, window_start, requests)
      select 'caller:' || encode(sha256(convert_to(${caller}, 'UTF8')), 'hex'), 'hour',
             date_trunc('hour', now(), 'UTC') + n * interval '1 hour', 1200
      from generate_series(0, 1) as n`;
    const run = makeScenarioRun(
      makeScenarioInput({
        name: `Budget ${randomUUID()}`,
        rubric: { criteria: [{ name: 'Polite', description: 'Is polite.' }] },
      }),
    );
    expect((await saveRun(run)).status).toBe(201);

    for (const [fn, body] of [
      ['simulated-user', { persona: 'You are Sam.', history }],
      ['realtime-session', { instructions: 'Interview.' }],
      ['judge-run', { run_id: run.run_id }],
    ] as const) {
      const response = await call(fn, body, caller);
      expect(response.status, fn).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
      const { error } = await response.json();
      expect(error.code).toBe('openai_budget_exceeded');
      expect(error.message).toMatch(
        /^OpenAI budget reached: this caller has used 1200 OpenAI requests allowed per hour \(OPENAI_CALLER_REQUESTS_PER_HOUR\); try again in /,
      );
    }
    const { data } = await anonClient()
      .from('run_judgements')
      .select('judgement_id')
      .eq('run_id', run.run_id);
    expect(data).toEqual([]);
    expect((await usage(caller)).find((row) => row.window_kind === 'day')?.requests ?? 0).toBe(0);
    // Another caller is not held back by this one.
    expect((await call('realtime-session', { instructions: 'Interview.' }, other)).status).toBe(
      200,
    );
  });

  it('refuses, through the gateway, a model outside the allowlist and a prompt over the cap', async () => {
    const caller = `caps-${randomUUID()}`;
    const model = await call('simulated-user', { persona: 'p', history, model: 'o1-pro' }, caller);
    expect(model.status).toBe(400);
    expect((await model.json()).error.issues[0].path).toBe('model');
    const huge = await call('realtime-session', { instructions: 'x'.repeat(60_000) }, caller);
    expect(huge.status).toBe(400);
    expect((await huge.json()).error.issues[0].path).toBe('instructions');
    const judge = await call('judge-run', { run_id: randomUUID(), model: 'gpt-4o' }, caller);
    expect(judge.status).toBe(400);
    expect((await judge.json()).error.issues[0].path).toBe('model');
    expect(await usage(caller)).toEqual([]);
  });
});
