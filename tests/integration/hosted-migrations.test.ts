// The migrations on a database laid out like a hosted Supabase project's: applied
// by a project owner who is no superuser, next to Supabase's own roles and
// schemas, under its default privileges (every new public table, sequence and
// function granted to anon). What this proves and what it does not: docs/deploy.md.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutMigrations } from '../../config/checkout.ts';
import { repoRoot } from '../../config/env.ts';
import { migrate } from '../../stack/migrate.ts';
import { type PostgresHandle, startPostgres } from '../../stack/postgres.ts';
import { freePort } from '../../stack/processes.ts';

const support = path.join(repoRoot, 'tests', 'support');
let db: PostgresHandle;
let dataDir: string;
let sql: postgres.Sql;
let migrated: string;

/** `url` with another user and database. */
class Rollback extends Error {}

function asUser(url: string, user: string, database: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = 'postgres';
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'realtime-bench-hosted-'));
  db = await startPostgres({ dataDir, logsDir: dataDir, port: await freePort() });
  const cluster = postgres(db.url, { max: 1, onnotice: () => {} });
  await cluster.unsafe(readFileSync(path.join(support, 'hosted-roles.sql'), 'utf8'));
  await cluster.unsafe('create database hosted owner project_owner');
  await cluster.end();
  sql = postgres(asUser(db.url, 'postgres', 'hosted'), { max: 1, onnotice: () => {} });
  await sql.unsafe(readFileSync(path.join(support, 'hosted-schemas.sql'), 'utf8'));
  migrated = await migrate(asUser(db.url, 'project_owner', 'hosted'));
}, 180_000);

afterAll(async () => {
  await sql?.end({ timeout: 1 });
  await db?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the migrations on a hosted-like database', () => {
  it('apply, as the project owner who is no superuser, and are all recorded', async () => {
    expect(migrated).toMatch(/Applying migration/);
    const rows = await sql<{ version: string }[]>`
      select version from supabase_migrations.schema_migrations order by version`;
    expect(rows.map((row) => row.version)).toEqual(checkoutMigrations());
    const [owner] = await sql<{ owner: string; superuser: boolean }[]>`
      select c.relowner::regrole::text as owner, r.rolsuper as superuser
      from pg_class c join pg_roles r on r.oid = c.relowner
      where c.oid = 'public.benchmark_runs'::regclass`;
    expect(owner).toEqual({ owner: 'project_owner', superuser: false });
  });

  it("leave Supabase's own schemas alone", async () => {
    const rows = await sql<{ nspname: string; owner: string }[]>`
      select nspname, nspowner::regrole::text as owner from pg_namespace
      where nspname in ('auth', 'storage', 'extensions', 'graphql_public', 'realtime')
      order by nspname`;
    expect(rows).toEqual([
      { nspname: 'auth', owner: 'supabase_auth_admin' },
      { nspname: 'extensions', owner: 'postgres' },
      { nspname: 'graphql_public', owner: 'postgres' },
      { nspname: 'realtime', owner: 'supabase_realtime_admin' },
      { nspname: 'storage', owner: 'supabase_storage_admin' },
    ]);
    const [objects] = await sql<{ count: number }[]>`
      select count(*)::int as count from pg_class
      where relnamespace in ('auth'::regnamespace, 'storage'::regnamespace)
        and relowner = 'project_owner'::regrole`;
    expect(objects?.count).toBe(0);
  });

  it("grant anon everything new in public by default, as a hosted project does (the fixture's premise)", async () => {
    const owner = postgres(asUser(db.url, 'project_owner', 'hosted'), {
      max: 1,
      onnotice: () => {},
    });
    try {
      await owner.begin(async (tx) => {
        await tx`create table public.fixture_probe (id int)`;
        const [row] = await tx<{ insert: boolean }[]>`
          select has_table_privilege('anon', 'public.fixture_probe', 'INSERT') as insert`;
        expect(row?.insert).toBe(true);
        throw new Rollback();
      });
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    } finally {
      await owner.end();
    }
  });

  it('give anon no write on any public table or view, despite the default privileges', async () => {
    const writable = await sql<{ relation: string; privilege: string }[]>`
      select c.relname as relation, p.privilege
      from pg_class c
      cross join unnest(array['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) as p(privilege)
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'v', 'm', 'p')
        and (has_table_privilege('anon', c.oid, p.privilege)
          or has_table_privilege('authenticated', c.oid, p.privilege))
      order by 1, 2`;
    expect(writable).toEqual([]);
  });

  it('turn row level security on for every public table', async () => {
    const open = await sql<{ relname: string }[]>`
      select relname from pg_class
      where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') and not relrowsecurity`;
    expect(open).toEqual([]);
  });

  it('let anon execute only the public functions the console calls', async () => {
    const callable = await sql<{ name: string }[]>`
      select p.proname as name from pg_proc p
      where p.pronamespace = 'public'::regnamespace
        and has_function_privilege('anon', p.oid, 'execute')
      order by 1`;
    expect(callable.map((row) => row.name)).toEqual([
      'run_audio',
      'run_event_log',
      'schema_versions',
    ]);
  });
});
