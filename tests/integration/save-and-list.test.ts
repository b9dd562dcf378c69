import { randomUUID } from 'node:crypto';
import { getRuns } from '@data/get-runs.ts';
import { makeLargeRun, makeRun } from '@engine/testing/benchmark-runs.ts';
import { afterAll, describe, expect, it } from 'vitest';
import {
  adminSql,
  anonClient,
  apiUrl,
  authenticatedToken,
  LOCAL_ANON_KEY,
  LOCAL_PUBLISHABLE_KEY,
  saveRun,
  saveRunUrl,
} from '../support/stack-clients.ts';

const sql = adminSql();
afterAll(() => sql.end({ timeout: 1 }));

async function storedCount(runId: string): Promise<number> {
  const [row] =
    await sql`select count(*)::int as n from public.benchmark_runs where run_id = ${runId}`;
  return row?.n ?? 0;
}

describe('save-benchmark-run through the gateway, read back through PostgREST', () => {
  it('stores a run that anon then lists with its turn count, and keeps the raw events whole', async () => {
    const run = makeRun();
    // Raw payload details the schema does not know about must survive: extra keys, big integers, unicode.
    const body = JSON.stringify(run).replace(
      '"type":"response.done"',
      '"type":"response.done","rate":12345678901234567890,"note":"café 🎙️ \\u2028"',
    );
    const response = await saveRun(body);
    expect(response.status).toBe(201);
    const saved = await response.json();
    expect(saved).toMatchObject({ run_id: run.run_id, num_turns: 3 });

    const page = await getRuns(anonClient(), { cursor: null, pageSize: 1000 });
    const listed = page.runs.find((r) => r.run_id === run.run_id);
    expect(listed).toEqual({
      run_id: run.run_id,
      created_at: expect.any(String),
      num_turns: 3,
      end_reason: 'termination_cue',
      duration_ms: expect.any(Number),
      scenario_hash: null,
      scenario: null,
      metrics: {
        interviewer_model: null,
        first_audio_p50_ms: null,
        cost_usd: 0,
        checks_passed: 0,
        checks_total: 0,
        // A text run has no voice figures.
        voice_to_voice_p50_ms: null,
        wer: null,
        false_end_of_turns: null,
      },
    });
    expect(Date.parse(listed?.created_at ?? '')).toBe(Date.parse(saved.created_at));

    const [stored] =
      await sql`select event_log::text as events from public.benchmark_runs where run_id = ${run.run_id}`;
    expect(stored?.events).toContain('"rate": 12345678901234567890');
    expect(stored?.events).toContain('café 🎙️');
  });

  it('keeps every value but not its spelling: what jsonb does to a saved event (README)', async () => {
    const run = makeRun();
    const body = JSON.stringify(run).replace(
      '"type":"response.done"',
      '"type":"response.done","zz":1,"a":2,"n":1E2,"m":1.50,"k":-0.0010e1,"dup":1,"dup":2,"esc":"\\u00e9\\n"',
    );
    expect((await saveRun(body)).status).toBe(201);
    const [stored] =
      await sql`select event_log::text as text from public.benchmark_runs where run_id = ${run.run_id}`;
    const text = String(stored?.text);
    const event = /\{[^{}]*"type": "response\.done"[^{}]*"response": \{/.exec(text)?.[0] ?? text;
    // Numbers come back as exact decimals in plain notation (1E2 → 100; 1.50 keeps its zero) …
    expect(event).toContain('"n": 100,');
    expect(event).toContain('"m": 1.50,');
    expect(event).toContain('"k": -0.010,');
    // … keys shortest first, the last of a duplicated key, escapes as the characters.
    expect(event.indexOf('"a": 2')).toBeLessThan(event.indexOf('"zz": 1'));
    expect(event).toContain('"dup": 2');
    expect(event).not.toContain('"dup": 1');
    expect(event).toContain('"esc": "é\\n"');
  });

  it('refuses a number that would read back as megabytes, naming its path', async () => {
    const run = makeRun();
    const body = JSON.stringify(run).replace('"output_index":0', '"output_index":1e131071');
    const response = await saveRun(body);
    expect(response.status).toBe(400);
    expect((await response.json()).error.issues).toEqual([
      {
        path: 'event_log.1.event.output_index',
        message: 'number 1e131071 has 131,072 digits written out in full; at most 40 are accepted',
      },
    ]);
    expect(await storedCount(run.run_id)).toBe(0);
  });

  it('is idempotent per run_id: identical again → 200, different → 409, one row and nothing overwritten', async () => {
    const run = makeRun({ created_at: '2026-11-21T09:30:00.000Z' });
    expect((await saveRun(run)).status).toBe(201);
    const again = await saveRun(run);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({
      run_id: run.run_id,
      created_at: '2026-11-21T09:30:00.000Z',
      num_turns: 3,
      scenario_hash: null,
    });

    const changed = await saveRun({ ...run, conversation_history: [] });
    expect(changed.status).toBe(409);
    expect((await changed.json()).error.code).toBe('conflict');
    expect(await storedCount(run.run_id)).toBe(1);
    const [row] =
      await sql`select num_turns from public.benchmark_runs where run_id = ${run.run_id}`;
    expect(row?.num_turns).toBe(3);
  });

  it('stores concurrent duplicate deliveries once', async () => {
    const run = makeRun();
    const statuses = await Promise.all(
      Array.from({ length: 8 }, () => saveRun(run).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(7);
    expect(await storedCount(run.run_id)).toBe(1);
  });

  it('lists newest first and pages by keyset without gaps or repeats', async () => {
    // A day no other test saves runs on (runs may not be dated ahead of the clock).
    const base = Date.parse('2020-06-15T00:00:00Z');
    const sameInstant = new Date(base).toISOString();
    const runs = [
      makeRun({ created_at: sameInstant }),
      makeRun({ created_at: sameInstant }),
      makeRun({ created_at: new Date(base + 1000).toISOString() }),
    ];
    for (const run of runs) expect((await saveRun(run)).status).toBe(201);

    const client = anonClient();
    const filters = { from: '2020-06-15', to: '2020-06-15' };
    const first = await getRuns(client, { cursor: null, filters, pageSize: 2 });
    const second = await getRuns(client, { cursor: first.next, filters, pageSize: 2 });
    const ids = [...first.runs, ...second.runs].map((r) => r.run_id);
    const tied = runs
      .slice(0, 2)
      .map((r) => r.run_id)
      .sort()
      .reverse();
    expect(ids.slice(0, 3)).toEqual([runs[2]?.run_id, ...tied]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('takes a signed-in user JWT beside the publishable key, as supabase-js sends them', async () => {
    const response = await saveRun(makeRun(), {
      token: await authenticatedToken(),
      headers: { apikey: LOCAL_PUBLISHABLE_KEY },
    });
    expect(response.status).toBe(201);
  });

  it.each([
    ['anon', () => Promise.resolve(LOCAL_ANON_KEY)],
    ['authenticated', authenticatedToken],
  ])('refuses direct writes to the table by %s', async (_, token) => {
    const existing = makeRun();
    await saveRun(existing);
    const headers = {
      apikey: LOCAL_ANON_KEY,
      authorization: `Bearer ${await token()}`,
      'content-type': 'application/json',
    };
    const table = `${apiUrl()}/rest/v1/benchmark_runs`;
    const insertRun = makeRun();
    const { num_turns: _omit, ...row } = { ...insertRun, num_turns: undefined };
    const insert = await fetch(table, { method: 'POST', headers, body: JSON.stringify(row) });
    const update = await fetch(`${table}?run_id=eq.${existing.run_id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ interviewer_prompt: 'edited' }),
    });
    const remove = await fetch(`${table}?run_id=eq.${existing.run_id}`, {
      method: 'DELETE',
      headers,
    });
    for (const response of [insert, update, remove]) {
      expect([401, 403]).toContain(response.status);
      expect((await response.json()).code).toBe('42501');
    }
    expect(await storedCount(insertRun.run_id)).toBe(0);
    const [kept] =
      await sql`select interviewer_prompt from public.benchmark_runs where run_id = ${existing.run_id}`;
    expect(kept?.interviewer_prompt).toBe(existing.interviewer_prompt);
  });

  it('answers 401 without a project key, 405 for GET, 415 for non-JSON', async () => {
    const run = makeRun();
    const noAuth = await fetch(saveRunUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(run),
    });
    expect(noAuth.status).toBe(401);
    const badAuth = await saveRun(run, { token: 'eyJhbGciOiJIUzI1NiJ9.e30.forged' });
    expect(badAuth.status).toBe(401);

    const get = await fetch(saveRunUrl(), {
      headers: { authorization: `Bearer ${LOCAL_ANON_KEY}` },
    });
    expect(get.status).toBe(405);
    expect(get.headers.get('access-control-allow-origin')).toBe('*');

    const text = await saveRun(JSON.stringify(run), { headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(await storedCount(run.run_id)).toBe(0);
  });

  it('answers 413 for a body over the limit and stores nothing', async () => {
    const run = makeRun({ interviewer_prompt: 'x'.repeat(9 * 1024 * 1024) });
    const response = await saveRun(run);
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('payload_too_large');
    expect(await storedCount(run.run_id)).toBe(0);
  });

  it('stores a ~2 MB run', async () => {
    const run = makeLargeRun(4000);
    expect(JSON.stringify(run).length).toBeGreaterThan(2_000_000);
    expect((await saveRun(run)).status).toBe(201);
    const [row] =
      await sql`select jsonb_array_length(event_log) as n from public.benchmark_runs where run_id = ${run.run_id}`;
    expect(row?.n).toBe(4000);
  });

  it('answers 400 naming the field for U+0000 and bad shapes, and stores nothing', async () => {
    const run = makeRun();
    const nul = await saveRun({ ...run, simulated_user_prompt: 'nul\u0000here' });
    expect(nul.status).toBe(400);
    const nulError = (await nul.json()).error;
    expect(nulError.issues[0].path).toBe('simulated_user_prompt');

    const shape = await saveRun({
      ...run,
      conversation_history: [{ speaker: 'bot', content: 'x', timestamp: 'now' }],
    });
    expect(shape.status).toBe(400);
    const paths = (await shape.json()).error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(['conversation_history.0.speaker', 'conversation_history.0.timestamp']);
    expect(await storedCount(run.run_id)).toBe(0);
  });

  it('refuses a run_id that is not a v4 uuid', async () => {
    const response = await saveRun(makeRun({ run_id: randomUUID().replace(/^(.{14})4/, '$11') }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.issues[0].path).toBe('run_id');
  });
});
