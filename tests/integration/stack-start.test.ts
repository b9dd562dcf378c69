import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../../stack/config.ts';
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
