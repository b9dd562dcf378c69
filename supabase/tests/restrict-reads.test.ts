import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../config/env.ts';
import { adminSql } from '../../tests/support/stack-clients.ts';

const sql = adminSql();
afterAll(() => sql.end({ timeout: 1 }));

/** Every table and view of `public` that anon may read today (all columns or some). */
async function anonReadable(): Promise<string[]> {
  const rows = await sql<{ relation: string }[]>`
    select c.relname as relation from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'v', 'm')
      and has_any_column_privilege('anon', c.oid, 'select')
    order by 1`;
  return rows.map((row) => row.relation);
}

/** The SQL of SECURITY.md's "Restricting reads to signed-in users", as written. */
function restrictReadsRecipe(): string {
  const security = readFileSync(path.join(repoRoot, 'SECURITY.md'), 'utf8');
  const section = security.slice(security.indexOf('## Restricting reads to signed-in users'));
  const block = /```sql\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('SECURITY.md has no SQL in "Restricting reads to signed-in users"');
  return block;
}

/** Which of the readable relations `role` may select from, after the recipe, in a rolled-back transaction. */
async function readableAfterRecipe(
  role: 'anon' | 'authenticated',
  relations: readonly string[],
): Promise<string[]> {
  const readable: string[] = [];
  await sql
    .begin(async (tx) => {
      await tx.unsafe(restrictReadsRecipe());
      for (const relation of relations) {
        await tx.unsafe(`savepoint probe; set local role ${role}`);
        try {
          await tx.unsafe(`select 1 from public.${relation} limit 1`);
          readable.push(relation);
        } catch {
          // permission denied: not readable
        }
        await tx.unsafe('rollback to savepoint probe; reset role');
      }
      throw new Error('rollback');
    })
    .catch((error: Error) => {
      if (error.message !== 'rollback') throw error;
    });
  return readable;
}

describe("SECURITY.md's recipe for restricting reads to signed-in users", () => {
  it('leaves anon nothing to read: no table, no view', async () => {
    const before = await anonReadable();
    expect(before).toEqual(
      expect.arrayContaining(['benchmark_runs', 'benchmark_run_audio', 'run_metrics']),
    );
    expect(await readableAfterRecipe('anon', before)).toEqual([]);
  });

  it.each([
    ['the event logs', 'run_event_log'],
    ["the runs' audio", 'run_audio'],
  ])("takes anon's way to %s too, and leaves it to signed-in users", async (_, fn) => {
    const callable = async (role: 'anon' | 'authenticated') => {
      let allowed = false;
      await sql
        .begin(async (tx) => {
          await tx.unsafe(restrictReadsRecipe());
          await tx.unsafe(`set local role ${role}`);
          allowed = (
            await tx`select has_function_privilege(${role}, ${`public.${fn}(uuid)`}, 'execute') as ok`
          )[0]?.ok;
          await tx.unsafe(`select public.${fn}(gen_random_uuid())`).catch(() => {
            allowed = false;
          });
          throw new Error('rollback');
        })
        .catch((error: Error) => {
          if (error.message !== 'rollback') throw error;
        });
      return allowed;
    };
    expect(await callable('anon')).toBe(false);
    expect(await callable('authenticated')).toBe(true);
  });

  it('lets signed-in users read every table and view anon could read', async () => {
    const before = await anonReadable();
    expect(await readableAfterRecipe('authenticated', before)).toEqual(before);
  });
});
