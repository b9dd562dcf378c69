import type { BenchmarkRun } from '@core/benchmark-run.ts';
import { makeRun } from '@engine/testing/benchmark-runs.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { adminSql, saveRun } from '../support/stack-clients.ts';

const sql = adminSql();
afterAll(() => sql.end({ timeout: 1 }));

const DAY_MS = 24 * 60 * 60 * 1000;

/** The run with every turn and event time moved by `ms`. */
function shifted(run: BenchmarkRun, ms: number): BenchmarkRun {
  const move = (iso: string) => new Date(Date.parse(iso) + ms).toISOString();
  return {
    ...run,
    conversation_history: run.conversation_history.map((t) => ({
      ...t,
      timestamp: move(t.timestamp),
    })),
    event_log: run.event_log.map((e) => ({ ...e, timestamp: move(e.timestamp) })),
  };
}

async function errorOf(response: Response) {
  return (
    (await response.json()) as {
      error: { code: string; message: string; issues?: Array<{ path: string }> };
    }
  ).error;
}

describe('save-benchmark-run: created_at within [2020-01-01, server clock + 1 day]', () => {
  it.each([
    ['9999-12-31T00:00:00Z', 'ahead of the server clock'],
    ['1970-01-01T00:00:00Z', 'before 2020-01-01'],
  ])('refuses created_at %s with a 400 naming the field', async (createdAt, reason) => {
    const run = makeRun({ created_at: createdAt });
    const response = await saveRun(run);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_run');
    expect(error.message).toContain('created_at');
    expect(error.message).toContain(reason);
    expect(error.issues?.map((issue) => issue.path)).toEqual(['created_at']);
    const [row] =
      await sql`select count(*)::int as n from public.benchmark_runs where run_id = ${run.run_id}`;
    expect(row?.n).toBe(0);
  });

  it('refuses a run two days ahead of the clock and stores one an hour ahead', async () => {
    const now = Date.now();
    const ahead = (ms: number) => new Date(now + ms).toISOString();
    expect((await saveRun(makeRun({ created_at: ahead(2 * DAY_MS) }))).status).toBe(400);
    expect((await saveRun(makeRun({ created_at: ahead(60 * 60 * 1000) }))).status).toBe(201);
  });

  it('has the database refuse the same times from any other writer', async () => {
    for (const createdAt of [
      sql`now() + interval '2 days'`,
      sql`'2019-12-31T23:59:59Z'::timestamptz`,
    ]) {
      const insert = sql`
        insert into public.benchmark_runs
          (run_id, created_at, mode, conversation_history, event_log, interviewer_prompt, simulated_user_prompt, end_reason)
        values (gen_random_uuid(), ${createdAt}, 'benchmark', '[]', '[]', 'i', 'p', 'user_ended')`;
      await expect(insert).rejects.toMatchObject({
        code: '22008',
        message: expect.stringContaining('created_at'),
      });
    }
  });
});

describe('save-benchmark-run: runs that used to be unsaveable', () => {
  it('stores a run whose events come 30 days after created_at, with its duration', async () => {
    const run = shifted(makeRun({ created_at: '2026-11-20T10:00:00.000Z' }), 30 * DAY_MS);
    const response = await saveRun(run);
    expect(response.status).toBe(201);
    const [row] =
      await sql`select duration_ms from public.benchmark_runs where run_id = ${run.run_id}`;
    const last = Math.max(
      ...[...run.event_log, ...run.conversation_history].map((e) => Date.parse(e.timestamp)),
    );
    expect(Number(row?.duration_ms)).toBe(last - Date.parse('2026-11-20T10:00:00.000Z'));
  });

  it('answers 409 to a retry of a stored run_id with another created_at, never 400', async () => {
    const run = makeRun({ created_at: '2026-11-20T10:00:00.000Z' });
    expect((await saveRun(run)).status).toBe(201);
    // 30 days earlier: its events would be 30 days after this created_at (an overflow before).
    const retry = { ...run, created_at: '2026-10-21T10:00:00.000Z' };
    const response = await saveRun(retry);
    expect(response.status).toBe(409);
    expect((await errorOf(response)).code).toBe('conflict');
  });

  it('answers 409 to a retry whose rows the insert triggers would refuse', async () => {
    const run = makeRun();
    expect((await saveRun(run)).status).toBe(201);
    // Year 0 passes the schema but not Postgres: the duration trigger would fail on it.
    const retry = {
      ...run,
      event_log: [...run.event_log, { ...run.event_log[0], timestamp: '0000-01-01T00:00:00Z' }],
    };
    expect((await saveRun(retry)).status).toBe(409);
  });

  it('stores a transcript larger than a tsvector can hold and finds it by its first words', async () => {
    // ~1.6 MB of distinct words: their tsvector would be over Postgres's 1 MB limit.
    const words = Array.from({ length: 200_000 }, (_, i) => `w${i.toString(36)}x`).join(' ');
    const base = makeRun();
    const run = {
      ...base,
      conversation_history: [
        { ...base.conversation_history[0], content: `zyzzogeton ${words}` },
        ...base.conversation_history.slice(1),
      ],
    } as BenchmarkRun;
    const response = await saveRun(run);
    expect(response.status).toBe(201);
    const found = await sql`
      select run_id from public.benchmark_runs
      where transcript_tsv @@ websearch_to_tsquery('english', 'zyzzogeton') and run_id = ${run.run_id}`;
    expect(found).toHaveLength(1);
    const [stored] = await sql`
      select length(conversation_history -> 0 ->> 'content') as n from public.benchmark_runs where run_id = ${run.run_id}`;
    expect(stored?.n).toBe(run.conversation_history[0]?.content.length);
  });
});
