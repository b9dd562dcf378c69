import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImports, formatViolation, type Violation } from './check-imports.ts';

const repo = path.resolve(import.meta.dirname, '..');

/** A tree of the repository's shape, with the real tsconfig.base.json (its aliases). */
function makeTree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'check-imports-'));
  copyFileSync(path.join(repo, 'tsconfig.base.json'), path.join(root, 'tsconfig.base.json'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const brief = (v: Violation) => `${v.file}:${v.line} ${v.specifier} | ${v.rule.split(':')[0]}`;

describe('check-imports', () => {
  it('passes on the repository as it is (with its listed exceptions)', () => {
    expect(checkImports(repo).map(formatViolation)).toEqual([]);
  });

  describe('on a tree with violations', () => {
    let root: string;
    beforeAll(() => {
      root = makeTree({
        'engine/relative.ts': "import { formatCost } from '../web/src/lib/format.ts';\n",
        'engine/alias.ts': "export { formatCost } from '@web/lib/format.ts';\n",
        'engine/dynamic.ts': "export const load = () => import('../data/runs.ts');\n",
        'engine/react.ts':
          "import { useState } from 'react';\nimport { randomUUID } from 'node:crypto';\n",
        'engine/fine.ts':
          "import { z } from 'zod';\nimport { x } from '@core/a.ts';\nimport { y } from './relative.ts';\n",
        'core/io.ts':
          "import { readFileSync } from 'fs';\nimport OpenAI from 'openai';\nimport type { ChatModel } from 'openai/resources';\nimport { parse } from 'yaml';\n",
        'web/src/features/a/page.tsx':
          "import { b } from '../b/b.ts';\nimport { c } from '@web/features/b/c.ts';\nimport { own } from './own.ts';\nimport { lib } from '../../lib/format.ts';\n",
        'web/src/app/routes.tsx':
          "import { a } from '../features/a/page.tsx';\nimport { b } from '@web/features/b/b.ts';\n",
        'web/src/lib/format.ts':
          "import { run } from '../../../tests/fixtures/run.ts';\nimport type { Row } from '../test/render.tsx';\n",
        'web/src/lib/format.test.ts':
          "import { handler } from '../../../supabase/functions/f/handler.ts';\nimport { readFileSync } from 'node:fs';\n",
        'scripts/perf.ts':
          "import { user } from '../engine/testing/user.ts';\nimport { getRuns } from '../web/src/features/results/api.ts';\n",
        'supabase/functions/f/index.ts':
          "import { z } from 'npm:zod@4.6.7';\nimport { a } from '@core/a.ts';\nimport { s } from '../_shared/s.ts';\nimport { g } from '../g/handler.ts';\n",
        'runner/cli.ts':
          "import { readStackEnv } from '../stack/config.ts';\nimport { e } from '@engine/agents.ts';\nimport { c } from '../config/env.ts';\n",
        'stack/start.ts':
          "import { cli } from '../runner/cli.ts';\nimport { format } from '../web/src/lib/format.ts';\n",
      });
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('names each import that breaks a rule, whether by alias or relative path', () => {
      expect(checkImports(root, []).map(brief)).toEqual([
        'core/io.ts:1 fs | core/ is the pure domain',
        'core/io.ts:2 openai | core/ is the pure domain',
        'engine/alias.ts:1 @web/lib/format.ts | engine/ is React-free and DB-free',
        'engine/dynamic.ts:1 ../data/runs.ts | engine/ is React-free and DB-free',
        'engine/react.ts:1 react | engine/ is React-free and DB-free',
        'engine/react.ts:2 node:crypto | engine/ is React-free and DB-free',
        'engine/relative.ts:1 ../web/src/lib/format.ts | engine/ is React-free and DB-free',
        'runner/cli.ts:1 ../stack/config.ts | runner/ imports only core/, engine/, data/, config/, runner/ (and the run_metrics writer)',
        'scripts/perf.ts:2 ../web/src/features/results/api.ts | scripts/ never import a console feature',
        'stack/start.ts:1 ../runner/cli.ts | stack/ never imports runner/ or a console feature',
        'supabase/functions/f/index.ts:4 ../g/handler.ts | an edge function imports only core/, supabase/functions/_shared/ and its own folder',
        'web/src/features/a/page.tsx:1 ../b/b.ts | a console feature never imports another feature (shared parts live in web/src/data, web/src/lib, web/src/components or data/; pages are put together in web/src/app)',
        'web/src/features/a/page.tsx:2 @web/features/b/c.ts | a console feature never imports another feature (shared parts live in web/src/data, web/src/lib, web/src/components or data/; pages are put together in web/src/app)',
        'web/src/lib/format.ts:1 ../../../tests/fixtures/run.ts | web/src/ imports only core/, engine/, data/ and web/src/, and no Node builtins',
        'web/src/lib/format.ts:1 ../../../tests/fixtures/run.ts | code that ships never imports test code (*.test.*, tests/, supabase/tests/, web/src/test/, engine/testing/; scripts/ may use engine/testing/)',
        'web/src/lib/format.ts:2 ../test/render.tsx | code that ships never imports test code (*.test.*, tests/, supabase/tests/, web/src/test/, engine/testing/; scripts/ may use engine/testing/)',
      ]);
    });

    it('explains the package rules it applies', () => {
      const messages = checkImports(root, []).map(formatViolation);
      expect(messages).toContain(
        "core/io.ts:2: import 'openai': core/ is the pure domain: it imports only core/, zod, yaml, canonicalize and openai types (openai only as `import type`)",
      );
      expect(messages).toContain(
        "engine/react.ts:2: import 'node:crypto': engine/ is React-free and DB-free: it imports only core/ and engine/ (no Node builtins)",
      );
    });

    it('lets a listed exception pass, and fails once the listed import is gone', () => {
      const listed = ['stack/start.ts -> runner/cli.ts', 'runner/cli.ts -> web/src/lib/gone.ts'];
      const found = checkImports(root, listed).map(formatViolation);
      expect(found.filter((m) => m.startsWith('stack/start.ts'))).toEqual([]);
      expect(found).toContain(
        "stack/check-imports.ts:0: import 'runner/cli.ts -> web/src/lib/gone.ts': listed exception no longer occurs: delete it from EXCEPTIONS",
      );
    });

    it('exits 1 from the command line, naming file, line, import and rule', () => {
      const result = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'stack/check-imports.ts', root],
        {
          cwd: repo,
          encoding: 'utf8',
        },
      );
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        "engine/relative.ts:1: import '../web/src/lib/format.ts': engine/ is React-free and DB-free: it imports only core/ and engine/",
      );
    });
  });
});
