import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { adminSql, apiUrl, LOCAL_ANON_KEY } from '../../tests/support/stack-clients.ts';
import type { BudgetLimits } from '../functions/_shared/openai-budget.ts';
import { createPostgresBudget } from '../functions/_shared/openai-budget-store.ts';

const sql = adminSql();
afterAll(() => sql.end({ timeout: 1 }));

const limits = (overrides: Partial<Record<string, number>> = {}): BudgetLimits => ({
  global: {
    hour: { requests: overrides.globalHourRequests ?? 1000, usd: overrides.globalHourUsd ?? 100 },
    day: { requests: overrides.globalDayRequests ?? 5000, usd: 500 },
  },
  caller: {
    hour: { requests: overrides.callerHourRequests ?? 1000, usd: 100 },
    day: { requests: 5000, usd: 500 },
  },
});

/**
 * Each test counts in its own pinned hour, in the past and days apart, so the
 * global rows of one test are not another's and no clock decides the outcome.
 */
let day = 0;
function pinnedHour(): (minute: number) => Date {
  day += 3;
  const start = Date.UTC(2021, 0, 1, 10) + day * 86_400_000;
  return (minute) => new Date(start + minute * 60_000);
}

describe('openai_admit: the OpenAI budget in Postgres', () => {
  it('admits up to the global hourly limit, then refuses until the hour ends, counting nothing refused', async () => {
    const at = pinnedHour();
    const budget = createPostgresBudget(sql, limits({ globalHourRequests: 3 }), () => at(15));
    const spend = (caller: string) => budget.admit({ caller, requests: 1, usd: 0.01 });
    expect(await spend('198.51.100.1')).toEqual({ ok: true });
    expect(await spend('198.51.100.2')).toEqual({ ok: true });
    expect(await spend('198.51.100.3')).toEqual({ ok: true });
    expect(await spend('198.51.100.4')).toEqual({
      ok: false,
      scope: 'global',
      window: 'hour',
      limit: 'requests',
      max: 3,
      retryAfterSeconds: 45 * 60,
    });
    const [global] = await sql<{ requests: number; usd: string }[]>`
      select requests, usd from public.openai_usage
      where scope = 'global' and window_kind = 'hour' and window_start = ${at(0)}`;
    expect(global).toEqual({ requests: 3, usd: '0.030000' });

    // The next hour starts afresh.
    const later = createPostgresBudget(sql, limits({ globalHourRequests: 3 }), () => at(61));
    expect(await later.admit({ caller: 'x', requests: 1, usd: 0 })).toEqual({ ok: true });
  });

  it('limits each caller apart, and keeps only a hash of who called', async () => {
    const at = pinnedHour();
    const budget = createPostgresBudget(sql, limits({ callerHourRequests: 2 }), () => at(59.5));
    const caller = `203.0.113.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
    expect(await budget.admit({ caller, requests: 1, usd: 0 })).toEqual({ ok: true });
    expect(await budget.admit({ caller, requests: 1, usd: 0 })).toEqual({ ok: true });
    expect(await budget.admit({ caller, requests: 1, usd: 0 })).toMatchObject({
      ok: false,
      scope: 'caller',
      window: 'hour',
      retryAfterSeconds: 30,
    });
    expect(await budget.admit({ caller: `${caller}-other`, requests: 1, usd: 0 })).toEqual({
      ok: true,
    });
    const stored =
      await sql`select scope from public.openai_usage where scope like ${`%${caller}%`}`;
    expect(stored).toEqual([]);
  });

  it('refuses a spend that would pass the estimated dollars, and says the longest wait', async () => {
    const at = pinnedHour();
    const tight = limits({ globalHourUsd: 1 });
    tight.global.day.usd = 1;
    const budget = createPostgresBudget(sql, tight, () => at(30));
    expect(await budget.admit({ caller: 'a', requests: 1, usd: 0.6 })).toEqual({ ok: true });
    // Both the hour and the day are over: the day ends later (13.5 h after 10:30).
    expect(await budget.admit({ caller: 'a', requests: 1, usd: 0.6 })).toEqual({
      ok: false,
      scope: 'global',
      window: 'day',
      limit: 'usd',
      max: 1,
      retryAfterSeconds: 13.5 * 3600,
    });
    expect(await budget.admit({ caller: 'a', requests: 1, usd: 0.4 })).toEqual({ ok: true });
  });

  it('holds under concurrency across connections: exactly the limit is admitted', async () => {
    const at = pinnedHour();
    const pools = Array.from({ length: 4 }, () => adminSql());
    try {
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          createPostgresBudget(pools[i % 4] as typeof sql, limits({ globalHourRequests: 25 }), () =>
            at(5),
          ).admit({ caller: `c${i % 7}`, requests: 1, usd: 0.001 }),
        ),
      );
      expect(answers.filter((a) => a.ok)).toHaveLength(25);
      const [global] = await sql<{ requests: number }[]>`
        select requests from public.openai_usage
        where scope = 'global' and window_kind = 'hour' and window_start = ${at(0)}`;
      expect(global?.requests).toBe(25);
    } finally {
      await Promise.all(pools.map((pool) => pool.end({ timeout: 1 })));
    }
  });

  it('forgets windows older than two days', async () => {
    const at = pinnedHour();
    await createPostgresBudget(sql, limits(), () => at(0)).admit({
      caller: 'old',
      requests: 1,
      usd: 0,
    });
    // The first spend of a new hour three days on clears what no limit needs.
    await createPostgresBudget(sql, limits(), () => at(3 * 24 * 60 + 1)).admit({
      caller: 'new',
      requests: 1,
      usd: 0,
    });
    const left = await sql`select 1 from public.openai_usage where window_start = ${at(0)}`;
    expect(left).toEqual([]);
  });

  it('is out of reach of clients: anon can neither read the usage nor spend through the RPC', async () => {
    const headers = {
      apikey: LOCAL_ANON_KEY,
      authorization: `Bearer ${LOCAL_ANON_KEY}`,
      'content-type': 'application/json',
    };
    const read = await fetch(`${apiUrl()}/rest/v1/openai_usage?select=*`, { headers });
    expect(read.status).toBeGreaterThanOrEqual(400);
    const rpc = await fetch(`${apiUrl()}/rest/v1/rpc/openai_admit`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ p_caller: 'x', p_requests: 0, p_usd: 0, p_limits: {} }),
    });
    expect(rpc.status).toBeGreaterThanOrEqual(400);
    for (const role of ['anon', 'authenticated']) {
      await expect(
        sql.begin(async (tx) => {
          await tx.unsafe(`set local role ${role}`);
          await tx`select * from public.openai_admit('x', 0, 0, '{}'::jsonb)`;
        }),
      ).rejects.toThrow(/permission denied/);
    }
  });
});
