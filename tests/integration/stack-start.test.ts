import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../../config/env.ts';
import { startPostgres } from '../../stack/postgres.ts';
import { freePort } from '../../stack/processes.ts';
import { adminSql } from '../support/stack-clients.ts';

const sql = adminSql();
afterAll(() => sql.end({ timeout: 1 }));

describe('a new database', () => {
  it('records every migration with the Supabase CLI and logs no missing history table', async () => {
    const migrations = readdirSync(path.join(repoRoot, 'supabase', 'migrations')).filter((file) =>
      file.endsWith('.sql'),
    );
    const applied = await sql<{ name: string }[]>`
      select name from supabase_migrations.schema_migrations order by version`;
    expect(applied.map((row) => `${row.name}`)).toEqual(
      migrations.map((file) => file.replace(/^\d+_/, '').replace(/\.sql$/, '')),
    );
    const log = readFileSync(path.join(inject('logsDir'), 'postgres.log'), 'utf8');
    expect(log).not.toMatch(/schema_migrations" does not exist/);
  });
});

describe('a data folder of another Postgres major version', () => {
  it('is refused before anything starts, saying which versions and what to do', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'realtime-bench-major-'));
    try {
      mkdirSync(path.join(dataDir, 'postgres'));
      writeFileSync(path.join(dataDir, 'postgres', 'PG_VERSION'), '18\n');
      const start = startPostgres({ dataDir, logsDir: dataDir, port: await freePort() });
      await expect(start).rejects.toThrow(
        /holds a Postgres 18 database, but the stack runs Postgres 17 .*Start with an empty data folder/,
      );
      expect(readdirSync(path.join(dataDir, 'postgres'))).toEqual(['PG_VERSION']);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
