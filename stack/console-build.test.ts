import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SECRET_KEY, LOCAL_SERVICE_ROLE_KEY } from '../config/env.ts';
import { checkBrowserEnv, consoleBuildStaleness, ensureConsoleBuild } from './console-build.ts';

const env = {
  VITE_SUPABASE_URL: 'http://127.0.0.1:59999',
  VITE_SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_key_a',
};

describe('ensureConsoleBuild', () => {
  let outDir: string;
  let first: Awaited<ReturnType<typeof ensureConsoleBuild>>;

  beforeAll(async () => {
    outDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'console-build-test-')), 'console');
    first = await ensureConsoleBuild({ outDir, env });
  }, 120_000);
  afterAll(() => rmSync(path.dirname(outDir), { recursive: true, force: true }));

  it('builds the production console with the Supabase URL baked in', () => {
    expect(first.rebuilt).toBe('no build yet');
    const index = readFileSync(path.join(outDir, 'index.html'), 'utf8');
    // The browser opens the API connection while the scripts load.
    expect(index).toContain(`<link rel="preconnect" href="${env.VITE_SUPABASE_URL}" crossorigin`);
    const entry = index.match(/src="\/assets\/(index-[\w-]+\.js)"/)?.[1];
    expect(entry).toBeDefined();
    const assets = readdirSync(path.join(outDir, 'assets'));
    const code = assets
      .filter((name) => name.endsWith('.js'))
      .map((name) => readFileSync(path.join(outDir, 'assets', name), 'utf8'))
      .join('\n');
    expect(code).toContain(env.VITE_SUPABASE_URL);
    // React's production build, whatever NODE_ENV the caller runs with.
    expect(code).not.toContain('cannot be a child of'); // a development-only warning
    // Each text asset has its gzip and brotli copy.
    expect(assets).toContain(`${entry}.gz`);
    expect(assets).toContain(`${entry}.br`);
  });

  it('keeps a build whose inputs did not change', async () => {
    expect(consoleBuildStaleness({ outDir, env })).toBeUndefined();
    const again = await ensureConsoleBuild({ outDir, env });
    expect(again.rebuilt).toBeUndefined();
  });

  it('is stale when the env it bakes in changes', () => {
    expect(
      consoleBuildStaleness({
        outDir,
        env: { ...env, VITE_SUPABASE_URL: 'https://x.supabase.co' },
      }),
    ).toBe('its settings changed');
    expect(
      consoleBuildStaleness({
        outDir,
        env: { ...env, VITE_SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_key_b' },
      }),
    ).toBe('its settings changed');
  });

  it('is stale when a file it was built from changed', () => {
    const inputsFile = path.join(outDir, '.build-inputs.json');
    const stored = readFileSync(inputsFile, 'utf8');
    const inputs = JSON.parse(stored) as { files: Record<string, string> };
    // The module graph: sources outside web/ and packages are inputs too.
    expect(Object.keys(inputs.files)).toEqual(
      expect.arrayContaining([
        'web/src/main.tsx',
        'web/src/features/results/pages/results-page.tsx',
        'core/run-constants.ts',
        'vite.config.ts',
        'package-lock.json',
      ]),
    );
    expect(
      Object.keys(inputs.files).some((file) => file.startsWith('node_modules/react-dom/')),
    ).toBe(true);
    try {
      // As if web/src/main.tsx had been edited since the build.
      inputs.files['web/src/main.tsx'] = 'an older hash';
      writeFileSync(inputsFile, JSON.stringify(inputs));
      expect(consoleBuildStaleness({ outDir, env })).toBe('web/src/main.tsx changed');
    } finally {
      writeFileSync(inputsFile, stored);
    }
  });

  it('is stale when the build is missing or incomplete', () => {
    const index = readFileSync(path.join(outDir, 'index.html'));
    try {
      rmSync(path.join(outDir, 'index.html'));
      expect(consoleBuildStaleness({ outDir, env })).toBe('no build yet');
    } finally {
      writeFileSync(path.join(outDir, 'index.html'), index);
    }
    expect(consoleBuildStaleness({ outDir: `${outDir}-elsewhere`, env })).toBe('no build yet');
  });

  it('refuses to bake a secret or service_role key into the console, and keeps the build it had', async () => {
    const before = readFileSync(path.join(outDir, 'index.html'), 'utf8');
    for (const key of [LOCAL_SECRET_KEY, LOCAL_SERVICE_ROLE_KEY]) {
      await expect(
        ensureConsoleBuild({ outDir, env: { ...env, VITE_SUPABASE_PUBLISHABLE_KEY: key } }),
      ).rejects.toThrow(
        /refusing to build the console: VITE_SUPABASE_PUBLISHABLE_KEY is a .* key, which bypasses row level security/,
      );
    }
    expect(readFileSync(path.join(outDir, 'index.html'), 'utf8')).toBe(before);
  });
});

describe('checkBrowserEnv', () => {
  it('names any VITE_ variable holding a secret key', () => {
    expect(() =>
      checkBrowserEnv({
        VITE_SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_x',
        VITE_EXTRA: ` ${LOCAL_SECRET_KEY}`,
      }),
    ).toThrow(/VITE_EXTRA is a secret \(sb_secret_…\) key/);
  });

  it('notes the legacy VITE_SUPABASE_ANON_KEY name', () => {
    const notes: string[] = [];
    checkBrowserEnv({ VITE_SUPABASE_ANON_KEY: 'sb_publishable_x' }, (line) => notes.push(line));
    expect(notes).toEqual([
      "VITE_SUPABASE_ANON_KEY is deprecated: name it VITE_SUPABASE_PUBLISHABLE_KEY (Supabase's current name for this key)",
    ]);
  });
});
