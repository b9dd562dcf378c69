import { randomUUID } from 'node:crypto';
import { makeRun } from '@engine/testing/benchmark-runs.ts';
import { afterAll, describe, expect, it } from 'vitest';
import {
  adminSql,
  apiUrl,
  authenticatedToken,
  LOCAL_ANON_KEY,
  saveRun,
} from '../../tests/support/stack-clients.ts';

const sql = adminSql();
afterAll(() => sql.end({ timeout: 1 }));

const get = (path: string, token = LOCAL_ANON_KEY) =>
  fetch(`${apiUrl()}/rest/v1/${path}`, {
    headers: { apikey: LOCAL_ANON_KEY, authorization: `Bearer ${token}` },
  });

describe('what one read through PostgREST may cost', () => {
  it('cancels an anon statement after 3 s and a signed-in one after 8 s (role settings, as hosted Supabase)', async () => {
    const settings = await sql<{ role: string; timeout: string }[]>`
      select r.rolname as role, s.setting as timeout
      from pg_db_role_setting d join pg_roles r on r.oid = d.setrole,
           unnest(d.setconfig) as s(setting)
      where r.rolname in ('anon', 'authenticated', 'authenticator') and s.setting like 'statement_timeout=%'
      order by 1`;
    expect(settings).toEqual([
      { role: 'anon', timeout: 'statement_timeout=3s' },
      { role: 'authenticated', timeout: 'statement_timeout=8s' },
      { role: 'authenticator', timeout: 'statement_timeout=8s' },
    ]);

    // A lock held for 12 s makes a read wait: only a statement timeout ends it sooner.
    const signedIn = await authenticatedToken();
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = sql.begin(async (tx) => {
      await tx`lock table public.run_judgements in access exclusive mode`;
      locked();
      await Promise.race([released, new Promise((resolve) => setTimeout(resolve, 12_000))]);
    });
    await lockTaken;
    const timed = async (token: string) => {
      const started = performance.now();
      const response = await get('run_judgements?select=judgement_id&limit=1', token);
      return {
        status: response.status,
        body: await response.json(),
        ms: performance.now() - started,
      };
    };
    try {
      const [anon, authenticated] = await Promise.all([timed(LOCAL_ANON_KEY), timed(signedIn)]);
      expect(anon.body).toMatchObject({ code: '57014' });
      expect(anon.status).toBe(500);
      expect(anon.ms).toBeGreaterThanOrEqual(2_900);
      expect(authenticated.body).toMatchObject({ code: '57014' });
      expect(authenticated.ms).toBeGreaterThanOrEqual(7_900);
    } finally {
      release();
      await holder;
    }
  }, 30_000);

  it('keeps event logs out of selects: one run at a time through run_event_log', async () => {
    const run = makeRun();
    expect((await saveRun(run)).status).toBe(201);

    for (const select of ['event_log', '*', 'run_id,event_log']) {
      const response = await get(`benchmark_runs?select=${select}&run_id=eq.${run.run_id}`);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(await response.json()).toMatchObject({ code: '42501' });
    }

    const listed = await get(
      `benchmark_runs?select=run_id,conversation_history,duration_ms&run_id=eq.${run.run_id}`,
    );
    expect(listed.status).toBe(200);

    const events = await get(`rpc/run_event_log?run_id=${run.run_id}`);
    expect(events.status).toBe(200);
    expect(await events.json()).toEqual(run.event_log);
    const unknown = await get(`rpc/run_event_log?run_id=${randomUUID()}`);
    expect(await unknown.json()).toBeNull();
  });
});
