import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EXACT_COUNT_LIMIT } from '@data/get-runs.ts';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../config/env.ts';
import { EXPORT_PAGE_SIZE } from '../web/src/features/results/export-runs.ts';
import { POSTGREST_MAX_ROWS } from './postgrest.ts';

describe('PostgREST max rows', () => {
  it('is the max_rows of supabase/config.toml, which the console pages by', () => {
    const config = readFileSync(path.join(repoRoot, 'supabase', 'config.toml'), 'utf8');
    const api = config.slice(
      config.indexOf('[api]'),
      config.indexOf('\n[', config.indexOf('[api]') + 1),
    );
    expect(Number(/^max_rows\s*=\s*(\d+)/m.exec(api)?.[1])).toBe(POSTGREST_MAX_ROWS);
    expect(EXACT_COUNT_LIMIT).toBe(POSTGREST_MAX_ROWS);
    expect(EXPORT_PAGE_SIZE).toBe(POSTGREST_MAX_ROWS);
  });
});
