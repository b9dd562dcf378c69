import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { adminSql } from '../../tests/support/stack-clients.ts';

const sql = adminSql();
afterAll(() => sql.end({ timeout: 1 }));

const newHash = () => randomBytes(32).toString('hex');

async function asRole<T>(role: string, statement: (tx: typeof sql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx.unsafe(`set local role ${role}`);
    return statement(tx as unknown as typeof sql);
  }) as Promise<T>;
}

const insertScenario = (tx: typeof sql, hash = newHash(), name = 'Scenario') =>
  tx`insert into public.benchmark_scenarios (scenario_hash, name, content)
     values (${hash}, ${name}, '{"name": "Scenario"}') returning scenario_hash`;

const insertRun = (tx: typeof sql, scenarioHash: string | null) =>
  tx`insert into public.benchmark_runs
       (run_id, mode, conversation_history, event_log, interviewer_prompt, simulated_user_prompt,
        end_reason, scenario_hash)
     values (${randomUUID()}, 'benchmark', '[]', '[]', 'i', 'p', 'user_ended', ${scenarioHash})
     returning run_id, created_at`;

describe('benchmark_scenarios: grants and row-level security', () => {
  it('has RLS enabled', async () => {
    const [table] =
      await sql`select relrowsecurity from pg_class where oid = 'public.benchmark_scenarios'::regclass`;
    expect(table?.relrowsecurity).toBe(true);
  });

  it('lets service_role insert and mark a version as from a file, nothing else', async () => {
    const hash = newHash();
    await asRole('service_role', (tx) => insertScenario(tx, hash));
    await asRole(
      'service_role',
      (tx) =>
        tx`update public.benchmark_scenarios set from_file = true where scenario_hash = ${hash}`,
    );
    await expect(
      asRole(
        'service_role',
        (tx) =>
          tx`update public.benchmark_scenarios set name = 'renamed' where scenario_hash = ${hash}`,
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      asRole(
        'service_role',
        (tx) => tx`delete from public.benchmark_scenarios where scenario_hash = ${hash}`,
      ),
    ).rejects.toThrow(/permission denied/);
  });

  it.each(['anon', 'authenticated'])('lets %s read but not write', async (role) => {
    const hash = newHash();
    await asRole('service_role', (tx) => insertScenario(tx, hash));
    const rows = await asRole(
      role,
      (tx) => tx`select name from public.benchmark_scenarios where scenario_hash = ${hash}`,
    );
    expect(rows).toHaveLength(1);
    await expect(asRole(role, (tx) => insertScenario(tx))).rejects.toThrow(/permission denied/);
    await expect(
      asRole(
        role,
        (tx) =>
          tx`update public.benchmark_scenarios set from_file = true where scenario_hash = ${hash}`,
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      asRole(
        role,
        (tx) => tx`delete from public.benchmark_scenarios where scenario_hash = ${hash}`,
      ),
    ).rejects.toThrow(/permission denied/);
  });

  it('refuses a hash that is not 64 hex digits', async () => {
    await expect(asRole('service_role', (tx) => insertScenario(tx, 'ABC'))).rejects.toThrow(
      /check constraint/,
    );
  });
});

describe('benchmark_runs.scenario_hash', () => {
  it('must name a stored version, and may be null', async () => {
    await expect(asRole('service_role', (tx) => insertRun(tx, newHash()))).rejects.toThrow(
      /foreign key/,
    );
    await expect(asRole('service_role', (tx) => insertRun(tx, null))).resolves.toHaveLength(1);
  });

  it('is indexed for newest-first listing within a version', async () => {
    const [index] = await sql`select indexdef from pg_indexes
      where indexname = 'benchmark_runs_scenario_hash_created_at_idx'`;
    expect(index?.indexdef).toMatch(/\(scenario_hash, created_at DESC, run_id DESC\)/);
  });

  it('gives each version its latest run time in benchmark_scenario_versions', async () => {
    const hash = newHash();
    await asRole('service_role', (tx) => insertScenario(tx, hash, 'Versions view'));
    const [before] = await asRole(
      'anon',
      (tx) =>
        tx`select last_run_at, from_file from public.benchmark_scenario_versions where scenario_hash = ${hash}`,
    );
    expect(before).toEqual({ last_run_at: null, from_file: false });
    await asRole('service_role', (tx) => insertRun(tx, hash));
    const [latest] = await asRole('service_role', (tx) => insertRun(tx, hash));
    const [after] = await asRole(
      'anon',
      (tx) =>
        tx`select last_run_at from public.benchmark_scenario_versions where scenario_hash = ${hash}`,
    );
    expect(after?.last_run_at).toEqual(latest?.created_at);
  });
});
