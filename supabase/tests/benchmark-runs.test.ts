import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { adminSql } from '../../tests/support/stack-clients.ts';

const sql = adminSql();
afterAll(() => sql.end({ timeout: 1 }));

const turns = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    speaker: i % 2 ? 'simulated_user' : 'interviewer',
    content: `turn ${i}`,
    timestamp: '2026-11-20T10:00:00Z',
  }));

interface Row {
  run_id?: string;
  mode?: unknown;
  conversation_history?: unknown;
  event_log?: unknown;
  end_reason?: unknown;
  interviewer_prompt?: unknown;
}

/** Inserts one row as `role` in a transaction that is always rolled back unless it is service_role. */
async function insertAs(role: string, row: Row = {}) {
  const values = {
    run_id: row.run_id ?? randomUUID(),
    mode: row.mode ?? 'benchmark',
    conversation_history: row.conversation_history ?? turns(3),
    event_log: row.event_log ?? [],
    interviewer_prompt: 'interviewer_prompt' in row ? row.interviewer_prompt : 'interviewer',
    end_reason: row.end_reason ?? 'user_ended',
  };
  return sql.begin(async (tx) => {
    await tx.unsafe(`set local role ${role}`);
    const [inserted] = await tx`
      insert into public.benchmark_runs
        (run_id, mode, conversation_history, event_log, interviewer_prompt, simulated_user_prompt, end_reason)
      values (${values.run_id}, ${values.mode as string},
              ${sql.json(values.conversation_history as never)}, ${sql.json(values.event_log as never)},
              ${values.interviewer_prompt as string}, 'persona', ${values.end_reason as string})
      returning run_id, num_turns, created_at`;
    return inserted as { run_id: string; num_turns: number; created_at: Date };
  });
}

async function asRole<T>(role: string, statement: (tx: postgres.TransactionSql) => Promise<T>) {
  return sql.begin(async (tx) => {
    await tx.unsafe(`set local role ${role}`);
    return statement(tx);
  });
}

describe('benchmark_runs: grants and row-level security', () => {
  it('has RLS enabled', async () => {
    const [table] =
      await sql`select relrowsecurity from pg_class where oid = 'public.benchmark_runs'::regclass`;
    expect(table?.relrowsecurity).toBe(true);
  });

  it('lets service_role insert and read back', async () => {
    const row = await insertAs('service_role');
    const [found] = await asRole(
      'service_role',
      (tx) => tx`select num_turns from public.benchmark_runs where run_id = ${row.run_id}`,
    );
    expect(found?.num_turns).toBe(3);
  });

  it.each(['anon', 'authenticated'])('lets %s select every run', async (role) => {
    const row = await insertAs('service_role');
    const rows = await asRole(
      role,
      (tx) => tx`select run_id from public.benchmark_runs where run_id = ${row.run_id}`,
    );
    expect(rows).toHaveLength(1);
  });

  it.each(['anon', 'authenticated'])('refuses inserts by %s', async (role) => {
    await expect(insertAs(role)).rejects.toMatchObject({ code: '42501' });
  });

  it.each(['anon', 'authenticated', 'service_role'])(
    'refuses updates and deletes by %s',
    async (role) => {
      const row = await insertAs('service_role');
      await expect(
        asRole(
          role,
          (tx) =>
            tx`update public.benchmark_runs set interviewer_prompt = 'edited' where run_id = ${row.run_id}`,
        ),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(
        asRole(role, (tx) => tx`delete from public.benchmark_runs where run_id = ${row.run_id}`),
      ).rejects.toMatchObject({ code: '42501' });
      const [kept] =
        await sql`select interviewer_prompt from public.benchmark_runs where run_id = ${row.run_id}`;
      expect(kept?.interviewer_prompt).toBe('interviewer');
    },
  );

  it.each(['anon', 'authenticated'])('refuses truncate by %s', async (role) => {
    await expect(asRole(role, (tx) => tx`truncate public.benchmark_runs`)).rejects.toMatchObject({
      code: '42501',
    });
  });
});

describe('benchmark_runs: constraints', () => {
  it('derives num_turns from the transcript and refuses writes to it', async () => {
    expect((await insertAs('service_role', { conversation_history: turns(7) })).num_turns).toBe(7);
    expect((await insertAs('service_role', { conversation_history: [] })).num_turns).toBe(0);
    await expect(
      sql`insert into public.benchmark_runs (run_id, mode, conversation_history, event_log, interviewer_prompt, simulated_user_prompt, end_reason, num_turns)
          values (${randomUUID()}, 'benchmark', '[]', '[]', 'p', 'u', 'error', 5)`,
    ).rejects.toMatchObject({ code: '428C9' });
  });

  it('defaults created_at to now', async () => {
    const before = Date.now();
    const row = await insertAs('service_role');
    expect(row.created_at.getTime()).toBeGreaterThanOrEqual(before - 5000);
  });

  it.each([
    ['mode other than benchmark', { mode: 'practice' }, '23514'],
    ['an unknown end_reason', { end_reason: 'bored' }, '23514'],
    // The generated num_turns refuses it first: jsonb_array_length of a non-array.
    ['a transcript that is not an array', { conversation_history: { turns: [] } }, '22023'],
    // The duration trigger refuses it before the check constraint does.
    ['an event log that is not an array', { event_log: 'none' }, '22023'],
    ['a null prompt', { interviewer_prompt: null }, '23502'],
  ])('refuses %s', async (_, row, code) => {
    await expect(insertAs('service_role', row as Row)).rejects.toMatchObject({ code });
  });

  it('refuses a second row with the same run_id', async () => {
    const row = await insertAs('service_role');
    await expect(insertAs('service_role', { run_id: row.run_id })).rejects.toMatchObject({
      code: '23505',
    });
  });

  it('indexes newest-first listing by (created_at desc, run_id desc)', async () => {
    const [index] =
      await sql`select indexdef from pg_indexes where indexname = 'benchmark_runs_created_at_run_id_idx'`;
    expect(index?.indexdef).toContain('(created_at DESC, run_id DESC)');
  });
});

describe('benchmark_runs: search and duration', () => {
  it('sets duration_ms from created_at to the last event or turn', async () => {
    const runId = randomUUID();
    await sql.begin(async (tx) => {
      await tx`set local role service_role`;
      await tx`
        insert into public.benchmark_runs
          (run_id, created_at, mode, conversation_history, event_log, interviewer_prompt, simulated_user_prompt, end_reason)
        values (${runId}, '2026-11-20T10:00:00Z', 'benchmark',
          ${sql.json([{ speaker: 'interviewer', content: 'hi', timestamp: '2026-11-20T10:00:02.500Z' }])},
          ${sql.json([
            {
              direction: 'system',
              timestamp: '2026-11-20T10:00:00Z',
              event: { type: 'run.started' },
            },
            {
              direction: 'system',
              timestamp: '2026-11-20T10:01:05.250Z',
              event: { type: 'run.ended' },
            },
          ])},
          'p', 'u', 'user_ended')`;
    });
    const [row] = await sql`select duration_ms from public.benchmark_runs where run_id = ${runId}`;
    // A bigint: postgres.js reads it as a string (PostgREST as a JSON number).
    expect(Number(row?.duration_ms)).toBe(65_250);
  });

  it('indexes what was said for full-text search, not speakers or timestamps', async () => {
    const row = await insertAs('service_role', {
      conversation_history: [
        {
          speaker: 'interviewer',
          content: 'Do you plan with a notebook?',
          timestamp: '2026-11-20T10:00:00Z',
        },
        {
          speaker: 'simulated_user',
          content: 'Mostly spreadsheets, honestly.',
          timestamp: '2026-11-20T10:00:01Z',
        },
      ],
    });
    const find = (query: string) =>
      sql`select run_id from public.benchmark_runs
          where run_id = ${row.run_id} and transcript_tsv @@ websearch_to_tsquery('english', ${query})`;
    expect(await find('notebooks')).toHaveLength(1);
    expect(await find('"mostly spreadsheets"')).toHaveLength(1);
    expect(await find('interviewer')).toHaveLength(0);
    expect(await find('2026')).toHaveLength(0);
  });

  it.each(['anon', 'authenticated'])(
    'keeps the duration helpers out of reach of %s',
    async (role) => {
      await expect(
        asRole(role, (tx) => tx`select private.benchmark_run_duration_ms(now(), '[]', '[]')`),
      ).rejects.toMatchObject({ code: '42501' });
    },
  );
});
