import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_ANON_KEY, LOCAL_SECRET_KEY, repoRoot } from '../config/env.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'build-console-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `npm run build -- --out-dir …` with these settings (blank = unset, over any .env). */
function build(env: Record<string, string>, outDir = path.join(tmp, 'dist')) {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', 'stack/build-console.ts', '--out-dir', outDir],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      env: {
        ...process.env,
        SUPABASE_URL: '',
        SUPABASE_PUBLISHABLE_KEY: '',
        SUPABASE_ANON_KEY: '',
        VITE_SUPABASE_PUBLISHABLE_KEY: '',
        VITE_SUPABASE_ANON_KEY: '',
        NODE_ENV: 'test',
        ...env,
      },
      timeout: 120_000,
    },
  );
}

describe('npm run build', () => {
  it('asks for SUPABASE_URL when it is not set', () => {
    const result = build({});
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('npm run build failed: set SUPABASE_URL');
  });

  it('refuses the local demo key (the default) for a hosted project', () => {
    const result = build({ SUPABASE_URL: 'https://abcd.supabase.co' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "SUPABASE_PUBLISHABLE_KEY is the local demo key, which https://abcd.supabase.co will refuse: set it to the project's publishable key (sb_publishable_…)",
    );
  });

  it('still reads the legacy SUPABASE_ANON_KEY, with a note that the name is deprecated', () => {
    const result = build({
      SUPABASE_URL: 'https://abcd.supabase.co',
      SUPABASE_ANON_KEY: LOCAL_ANON_KEY,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'SUPABASE_ANON_KEY is deprecated: name it SUPABASE_PUBLISHABLE_KEY',
    );
    expect(result.stderr).toContain('SUPABASE_PUBLISHABLE_KEY is the local demo key');
  });

  it('refuses a secret key, which would ship to every browser', () => {
    const result = build({
      SUPABASE_URL: 'https://abcd.supabase.co',
      SUPABASE_PUBLISHABLE_KEY: LOCAL_SECRET_KEY,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SUPABASE_PUBLISHABLE_KEY: is a secret key');
    expect(existsSync(path.join(tmp, 'dist'))).toBe(false);
  });

  it('names a malformed SUPABASE_URL', () => {
    const result = build({ SUPABASE_URL: 'abcd.supabase.co', SUPABASE_PUBLISHABLE_KEY: 'key' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SUPABASE_URL');
  });

  it('builds the console for that project, and only the console', () => {
    const outDir = path.join(tmp, 'site');
    const result = build(
      {
        SUPABASE_URL: 'https://abcd.supabase.co',
        SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_theProjectKey_123',
      },
      outDir,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/the console for https:\/\/abcd\.supabase\.co, built in/);
    expect(existsSync(path.join(outDir, 'index.html'))).toBe(true);
    // Nothing a static host should not publish: no record of the build's inputs.
    expect(readdirSync(outDir).sort()).toEqual([
      'assets',
      'index.html',
      'index.html.br',
      'index.html.gz',
    ]);
    const code = readdirSync(path.join(outDir, 'assets'))
      .filter((name) => name.endsWith('.js'))
      .map((name) => readFileSync(path.join(outDir, 'assets', name), 'utf8'))
      .join('\n');
    expect(code).toContain('https://abcd.supabase.co');
    expect(code).toContain('sb_publishable_theProjectKey_123');
  }, 120_000);
});
