import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './env.ts';

export const functionsDir = path.join(repoRoot, 'supabase', 'functions');
export const migrationsDir = path.join(repoRoot, 'supabase', 'migrations');

/** The edge functions of the checkout: every folder of supabase/functions with an index.ts, but shared code (`_shared`). */
export function checkoutFunctions(): string[] {
  return readdirSync(functionsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
    .filter((entry) => existsSync(path.join(functionsDir, entry.name, 'index.ts')))
    .map((entry) => entry.name)
    .sort();
}

/** The versions (timestamp prefixes) of supabase/migrations, oldest first. */
export function checkoutMigrations(): string[] {
  return readdirSync(migrationsDir)
    .map((file) => /^(\d+)_.*\.sql$/.exec(file)?.[1])
    .filter((version): version is string => version !== undefined)
    .sort();
}
