import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../config/env.ts';

/**
 * The edge functions whose `verify_jwt` is false in supabase/config.toml: the
 * platform lets their requests through without a JWT and the function checks
 * the caller's key itself. Only `[functions.<name>]` tables and their
 * `verify_jwt = true|false` lines are read; anything else there is left to
 * the Supabase CLI.
 */
export function functionsWithoutJwtCheck(
  configToml = readFileSync(path.join(repoRoot, 'supabase', 'config.toml'), 'utf8'),
): Set<string> {
  const names = new Set<string>();
  let current: string | undefined;
  for (const raw of configToml.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const table = /^\[(.+)\]$/.exec(line);
    if (table) {
      const fn = /^functions\.("?)([A-Za-z0-9_-]+)\1$/.exec((table[1] as string).trim());
      current = fn?.[2];
      continue;
    }
    const setting = /^verify_jwt\s*=\s*(true|false)$/.exec(line);
    if (current && setting) {
      if (setting[1] === 'false') names.add(current);
      else names.delete(current);
    }
  }
  return names;
}
