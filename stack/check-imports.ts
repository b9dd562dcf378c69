/**
 * The layer rules of the repository, checked on every import after resolving it,
 * so `@engine/x.ts` and `../../engine/x.ts` are the same import. Biome's
 * noRestrictedImports (biome.json) flags the alias and package forms in the
 * editor; this check adds what Biome cannot express: relative paths into another
 * layer, one console feature importing another, and production code importing
 * test code. The rules bind the code that ships; test files may import anything.
 * `npm run lint` runs it; it exits 1 listing every violation, as
 * `file:line: import 'specifier': rule`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  /** The repository path or package the import leads to. */
  target: string;
  rule: string;
}

interface Import {
  specifier: string;
  line: number;
  typeOnly: boolean;
}

/** Where an import leads: a repository path (posix, from the root) or an npm package. */
type Target = { kind: 'file'; path: string } | { kind: 'package'; name: string; builtin: boolean };

interface LayerRule {
  name: string;
  files: (file: string) => boolean;
  /** Repository folders (prefixes) the layer may import; anything else is refused. */
  mayImport?: (file: string) => string[];
  /** Repository folders (prefixes) the layer must never import. */
  never?: string[];
  /** Why a package import breaks the rule (builtins come as `node:x`), or undefined. */
  packages?: (name: string, typeOnly: boolean) => string | undefined;
}

const SOURCE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
const SCANNED = [
  'core',
  'engine',
  'data',
  'web/src',
  'supabase',
  'runner',
  'stack',
  'scripts',
  'tests',
  'config',
];

export function isTestFile(file: string): boolean {
  return (
    /\.test\.[^/]+$/.test(file) ||
    ['tests/', 'supabase/tests/', 'web/src/test/', 'engine/testing/'].some((dir) =>
      file.startsWith(dir),
    )
  );
}

const under = (dirs: string[]) => (file: string) => dirs.some((dir) => file.startsWith(dir));
const featureOf = (file: string) => /^web\/src\/features\/([^/]+)\//.exec(file)?.[1];
const functionOf = (file: string) => /^supabase\/functions\/([^/]+)\//.exec(file)?.[1];

function denyPackages(denied: (string | RegExp)[], alsoNode: boolean) {
  return (name: string) => {
    if (alsoNode && (name.startsWith('node:') || isBuiltin(name))) return 'no Node builtins';
    const hit = denied.find((d) => (typeof d === 'string' ? d === name : d.test(name)));
    return hit === undefined ? undefined : `not ${name}`;
  };
}

const CORE_PACKAGES = new Set(['zod', 'yaml', 'canonicalize']);

export const RULES: LayerRule[] = [
  {
    name: 'core/ is the pure domain: it imports only core/, zod, yaml, canonicalize and openai types',
    files: under(['core/']),
    mayImport: () => ['core/'],
    packages: (name, typeOnly) =>
      CORE_PACKAGES.has(name) || (name === 'openai' && typeOnly)
        ? undefined
        : name === 'openai'
          ? 'openai only as `import type`'
          : `not ${name}`,
  },
  {
    name: 'engine/ is React-free and DB-free: it imports only core/ and engine/',
    files: under(['engine/']),
    mayImport: () => ['core/', 'engine/'],
    packages: denyPackages(
      ['react', 'react-dom', 'postgres', /^@tanstack\//, /^@supabase\//],
      true,
    ),
  },
  {
    name: 'data/ is React-free reads: it imports only core/ and data/',
    files: under(['data/']),
    mayImport: () => ['core/', 'data/'],
    // The console imports data/, so it takes no Node builtins either.
    packages: denyPackages(['react', 'react-dom', 'postgres', /^@tanstack\//], true),
  },
  {
    name: 'web/src/ imports only core/, engine/, data/ and web/src/, and no Node builtins',
    files: under(['web/src/']),
    mayImport: () => ['core/', 'engine/', 'data/', 'web/src/'],
    packages: denyPackages([], true),
  },
  {
    name: 'a console feature never imports another feature (shared parts live in web/src/data, web/src/lib, web/src/components or data/; pages are put together in web/src/app)',
    files: (file) => featureOf(file) !== undefined,
    mayImport: (file) => [
      'core/',
      'engine/',
      'data/',
      `web/src/features/${featureOf(file)}/`,
      'web/src/data/',
      'web/src/lib/',
      'web/src/components/',
    ],
  },
  {
    name: 'an edge function imports only core/, supabase/functions/_shared/ and its own folder',
    files: under(['supabase/functions/']),
    mayImport: (file) => [
      'core/',
      'supabase/functions/_shared/',
      `supabase/functions/${functionOf(file)}/`,
    ],
  },
  {
    name: 'runner/ imports only core/, engine/, data/, config/, runner/ (and the run_metrics writer)',
    files: under(['runner/']),
    // backfill-metrics writes run_metrics with the save function's own statement.
    mayImport: () => [
      'core/',
      'engine/',
      'data/',
      'config/',
      'runner/',
      'supabase/functions/_shared/run-metrics-store.ts',
    ],
  },
  {
    name: 'stack/ never imports runner/ or a console feature',
    files: under(['stack/']),
    never: ['runner/', 'web/src/features/'],
  },
  {
    name: 'scripts/ never import a console feature',
    files: under(['scripts/']),
    never: ['web/src/features/'],
  },
];

/**
 * Imports that break a rule today, each to be removed by moving the shared code
 * to where the rules allow (and then deleted here: a listed import that no longer
 * occurs fails the check). Keyed `importing file -> imported path`.
 */
export const EXCEPTIONS: string[] = [];

/** The `@x/*` aliases of tsconfig.base.json, as prefixes: `@core/` -> `core/`. */
export function readAliases(root: string): Map<string, string> {
  const { config, error } = ts.readConfigFile(
    path.join(root, 'tsconfig.base.json'),
    ts.sys.readFile,
  );
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const paths: Record<string, string[]> = config?.compilerOptions?.paths ?? {};
  const aliases = new Map<string, string>();
  for (const [key, [target]] of Object.entries(paths)) {
    if (key.endsWith('/*') && target?.endsWith('/*')) {
      aliases.set(key.slice(0, -1), path.posix.normalize(target.slice(0, -1)));
    }
  }
  return aliases;
}

export function listSources(root: string): string[] {
  const files: string[] = [];
  for (const dir of SCANNED) {
    let entries: string[];
    try {
      entries = readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' });
    } catch {
      continue; // a layer not (yet) in this tree
    }
    for (const entry of entries) {
      const file = path.posix.join(dir, entry.split(path.sep).join('/'));
      if (SOURCE.test(file) && !/(^|\/)(node_modules|\.[^/]+)\//.test(file)) files.push(file);
    }
  }
  return files.sort();
}

/** Every static, dynamic and type import and re-export of a file. */
export function importsOf(fileName: string, text: string): Import[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (node: ts.Node, literal: ts.Node | undefined, typeOnly: boolean) => {
    if (literal && ts.isStringLiteralLike(literal)) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push({ specifier: literal.text, line, typeOnly });
    }
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.importClause?.isTypeOnly ?? false);
    } else if (ts.isExportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.isTypeOnly);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference)
    ) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, true);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      add(node, node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

export function resolveImport(
  from: string,
  specifier: string,
  aliases: Map<string, string>,
): Target {
  if (specifier.startsWith('.')) {
    return {
      kind: 'file',
      path: path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)),
    };
  }
  for (const [alias, dir] of aliases) {
    if (specifier.startsWith(alias))
      return { kind: 'file', path: dir + specifier.slice(alias.length) };
  }
  // Deno's `npm:zod@4.6.7/sub` and `jsr:@std/x@1` name the package before the version.
  const bare = specifier.replace(/^(npm|jsr):/, '');
  const [first = '', second = ''] = bare.split('/');
  const name = (first.startsWith('@') ? `${first}/${second}` : first).replace(/(.)@.*$/, '$1');
  return { kind: 'package', name, builtin: specifier.startsWith('node:') || isBuiltin(specifier) };
}

function breaks(
  rule: LayerRule,
  file: string,
  target: Target,
  typeOnly: boolean,
): string | undefined {
  if (target.kind === 'package') {
    if (!rule.packages) return undefined;
    const why = rule.packages(
      target.builtin ? `node:${target.name.replace(/^node:/, '')}` : target.name,
      typeOnly,
    );
    return why && `${rule.name} (${why})`;
  }
  const allowed = rule.mayImport?.(file);
  if (allowed && !allowed.some((dir) => target.path.startsWith(dir))) return rule.name;
  if (rule.never?.some((dir) => target.path.startsWith(dir))) return rule.name;
  return undefined;
}

function testCodeRule(file: string, target: Target): string | undefined {
  if (target.kind !== 'file' || isTestFile(file) || !isTestFile(target.path)) return undefined;
  if (file.startsWith('scripts/') && target.path.startsWith('engine/testing/')) return undefined;
  return 'code that ships never imports test code (*.test.*, tests/, supabase/tests/, web/src/test/, engine/testing/; scripts/ may use engine/testing/)';
}

export function checkImports(root: string, exceptionList = EXCEPTIONS): Violation[] {
  const aliases = readAliases(root);
  const exceptions = new Set(exceptionList);
  const used = new Set<string>();
  const violations: Violation[] = [];
  for (const file of listSources(root)) {
    // Tests put the real parts of several layers together (the policy is to run
    // them, not mock them), so the layer rules are for the code that ships.
    const rules = isTestFile(file) ? [] : RULES.filter((rule) => rule.files(file));
    for (const { specifier, line, typeOnly } of importsOf(
      file,
      readFileSync(path.join(root, file), 'utf8'),
    )) {
      const target = resolveImport(file, specifier, aliases);
      const broken = [
        ...rules.map((rule) => breaks(rule, file, target, typeOnly)),
        testCodeRule(file, target),
      ];
      const to = target.kind === 'file' ? target.path : target.name;
      const key = `${file} -> ${to}`;
      for (const rule of broken) {
        if (rule === undefined) continue;
        if (exceptions.has(key)) used.add(key);
        else violations.push({ file, line, specifier, target: to, rule });
      }
    }
  }
  for (const stale of [...exceptions].filter((key) => !used.has(key))) {
    violations.push({
      file: 'stack/check-imports.ts',
      line: 0,
      specifier: stale,
      target: stale,
      rule: 'listed exception no longer occurs: delete it from EXCEPTIONS',
    });
  }
  return violations;
}

export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line}: import '${v.specifier}': ${v.rule}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  // The repository this file is in, or another tree given as the argument.
  const root = path.resolve(
    process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'),
  );
  const violations = checkImports(root);
  for (const v of violations) console.error(formatViolation(v));
  if (violations.length > 0) {
    console.error(`${violations.length} import(s) break the layer rules (stack/check-imports.ts).`);
    process.exit(1);
  }
  console.log('imports: every layer rule holds');
}
