import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { repoRoot } from '../config/env.ts';
import { packageDir } from './packages.ts';

const run = promisify(execFile);

/** The Supabase CLI's entry point, run with this Node (its package's `bin`). */
export function supabaseCli(): string[] {
  const manifestPath = path.join(packageDir('supabase'), 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    bin: Record<string, string>;
  };
  const entry = path.join(path.dirname(manifestPath), manifest.bin.supabase ?? 'dist/supabase.js');
  return entry.endsWith('.js') ? [process.execPath, entry] : [entry];
}

/** Creates what Supabase's Postgres image ships with (roles, auth helpers). */
export async function bootstrapDatabase(dbUrl: string): Promise<void> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(readFileSync(path.join(repoRoot, 'stack', 'bootstrap.sql'), 'utf8'));
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Applies pending migrations from supabase/migrations with the Supabase CLI, as `supabase db push` would. */
export async function migrate(dbUrl: string): Promise<string> {
  try {
    const [command, ...prefix] = supabaseCli() as [string, ...string[]];
    const { stdout, stderr } = await run(
      command,
      [...prefix, 'migration', 'up', '--db-url', `${dbUrl}?sslmode=disable`, '--yes'],
      {
        cwd: repoRoot,
        env: { ...process.env, DO_NOT_TRACK: '1', SUPABASE_TELEMETRY_DISABLED: '1' },
      },
    );
    return `${stdout}${stderr}`.trim();
  } catch (error) {
    const { stderr, stdout, message } = error as {
      stderr?: string;
      stdout?: string;
      message: string;
    };
    throw new Error(`migrations failed: ${(stderr || stdout || message).trim()}`);
  }
}
