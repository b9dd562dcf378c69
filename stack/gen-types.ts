import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../config/env.ts';
import { bootstrapDatabase, migrate, supabaseCli } from './migrate.ts';
import { startPostgres } from './postgres.ts';
import { freePort } from './processes.ts';

const run = promisify(execFile);
export const typesFile = path.join(repoRoot, 'data', 'database.types.ts');

/** The TypeScript types of the public schema as `supabase gen types` writes them, formatted by Biome. */
export async function generateTypes(dbUrl: string): Promise<string> {
  const [command, ...prefix] = supabaseCli() as [string, ...string[]];
  const { stdout } = await run(
    command,
    [
      ...prefix,
      'gen',
      'types',
      'typescript',
      `--remote=${dbUrl}?sslmode=disable`,
      '--schema',
      'public',
    ],
    { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
  );
  const biome = path.join(repoRoot, 'node_modules', '.bin', 'biome');
  const formatted = await new Promise<string>((resolve, reject) => {
    const child = execFile(
      biome,
      ['format', '--stdin-file-path=database.types.ts'],
      { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
      (error, out) => (error ? reject(error) : resolve(out)),
    );
    child.stdin?.end(stdout);
  });
  return formatted;
}

/** `npm run db:types`: a throwaway Postgres with every migration, then the types from it. */
async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'realtime-bench-types-'));
  const logsDir = dataDir;
  const db = await startPostgres({ dataDir, logsDir, port: await freePort() });
  try {
    await bootstrapDatabase(db.url);
    await migrate(db.url);
    writeFileSync(typesFile, await generateTypes(db.url));
    console.log(`wrote ${path.relative(repoRoot, typesFile)}`);
  } finally {
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await main();
}
