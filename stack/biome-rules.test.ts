import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..');
const biome = path.join(repo, 'node_modules', '.bin', 'biome');

/** A file whose one import is used, so it breaks nothing but the layer rules. */
const using = (specifier: string) => `import { x } from '${specifier}';\n\nexport const y = x;\n`;

const probes: Record<string, string> = {
  'core/node.ts': using('node:fs'),
  'core/postgres.ts': using('postgres'),
  'core/fine.ts': `${using('zod')}import type { OpenAI } from 'openai';\n\nexport type Z = OpenAI;\n`,
  'core/cycle-a.ts': "import { b } from './cycle-b.ts';\n\nexport const a = () => b;\n",
  'core/cycle-b.ts': "import { a } from './cycle-a.ts';\n\nexport const b = () => a;\n",
  'engine/react.ts': using('react'),
  'engine/web.ts': using('@web/lib/format.ts'),
  'engine/postgres.ts': using('postgres'),
  'engine/fine.ts': using('@core/scenario.ts'),
  'engine/node.test.ts': using('node:crypto'),
  'data/query.ts': using('@tanstack/react-query'),
  'web/src/lib/node.ts': using('node:path'),
  'web/src/lib/fine.ts': using('@data/runs.ts'),
  'supabase/functions/f/engine.ts': using('@engine/agents.ts'),
  'runner/web.ts': using('@web/lib/format.ts'),
  'stack/feature.ts': using('@web/features/results/api/get-runs.ts'),
  'scripts/feature.ts': using('@web/features/trends/api/get-daily.ts'),
};

interface Diagnostic {
  category: string;
  message: string;
  location: { path: string; start: { line: number } };
}

describe('biome.json layer rules', () => {
  let root: string;
  let diagnostics: string[];
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'biome-rules-'));
    copyFileSync(path.join(repo, 'biome.json'), path.join(root, 'biome.json'));
    for (const [file, text] of Object.entries(probes)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    const result = spawnSync(biome, ['lint', '--vcs-enabled=false', '--reporter=json', '.'], {
      cwd: root,
      encoding: 'utf8',
    });
    const report = JSON.parse(result.stdout) as { diagnostics: Diagnostic[] };
    diagnostics = report.diagnostics
      .map((d) => `${d.location.path}:${d.location.start.line} ${d.category}: ${d.message}`)
      .sort();
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('flags each forbidden import with the rule of its layer, and nothing else', () => {
    const restricted = 'lint/style/noRestrictedImports';
    const core =
      'core/ is the pure domain: it imports only core/, zod, yaml, canonicalize and openai types (as `import type`).';
    expect(diagnostics).toEqual([
      'core/cycle-a.ts:1 lint/suspicious/noImportCycles: This import is part of a cycle.',
      'core/cycle-b.ts:1 lint/suspicious/noImportCycles: This import is part of a cycle.',
      `core/node.ts:1 ${restricted}: ${core}`,
      `core/postgres.ts:1 ${restricted}: ${core}`,
      `data/query.ts:1 ${restricted}: data/ is React-free: the console wraps its reads in queries in web/src.`,
      `engine/postgres.ts:1 ${restricted}: engine/ is DB-free: reads go through data/, saves through the functions.`,
      `engine/react.ts:1 ${restricted}: engine/ is React-free: the console puts React around it in web/src.`,
      `engine/web.ts:1 ${restricted}: engine/ imports only core/ and engine/.`,
      `runner/web.ts:1 ${restricted}: runner/ imports only core/, engine/, data/ and config/: what it shares with the console lives there.`,
      `scripts/feature.ts:1 ${restricted}: stack/ and scripts/ never import a console feature: shared queries live in data/.`,
      `stack/feature.ts:1 ${restricted}: stack/ and scripts/ never import a console feature: shared queries live in data/.`,
      `supabase/functions/f/engine.ts:1 ${restricted}: an edge function imports only core/, supabase/functions/_shared/ and its own folder.`,
      `web/src/lib/node.ts:1 ${restricted}: web/src runs in the browser: no Node builtins.`,
    ]);
  });
});
