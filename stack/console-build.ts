import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { build, loadEnv, type Plugin } from 'vite';
import { repoRoot, withCurrentKeyNames } from '../config/env.ts';
import { browserKeyProblem } from '../core/api-keys.ts';

/** What a build was made from, kept beside it to tell whether it is stale. */
interface BuildInputs {
  /** sha256 of everything baked in that is not a source file: the VITE_ env, the recipe. */
  settings: string;
  /** Every file the build read, relative to the repo, with its sha256. */
  files: Record<string, string>;
}

export interface ConsoleBuildOptions {
  /** Where the built console lives; replaced whole when rebuilt. */
  outDir: string;
  /** VITE_* variables to bake in, over those of the process and the .env files. */
  env: Record<string, string>;
  /**
   * Keep what the build was made from in `outDir` and rebuild only when that
   * changed (default). false: build every time and leave only the console
   * there, as for a static host.
   */
  incremental?: boolean;
}

export interface ConsoleBuildResult {
  outDir: string;
  /** Why it was (re)built, or undefined when the stored build was up to date. */
  rebuilt?: string;
  ms: number;
}

const INPUTS_FILE = '.build-inputs.json';
const configFile = path.join(repoRoot, 'vite.config.ts');
/** Files outside the module graph that change what a build produces. */
const FIXED_INPUTS = [
  'vite.config.ts',
  'web/index.html',
  'package-lock.json',
  path.relative(repoRoot, fileURLToPath(import.meta.url)),
];
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt)$/;

/**
 * The production console, built only when what it is made of changed: the
 * sources it imports, the Vite config, the lockfile or the env baked into it
 * (say, another Supabase URL). Built beside `outDir` and swapped in, so an
 * interrupted build never leaves a half-written console behind.
 */
export async function ensureConsoleBuild(
  options: ConsoleBuildOptions,
): Promise<ConsoleBuildResult> {
  const started = performance.now();
  const restoreEnv = withEnv({ ...options.env, NODE_ENV: 'production' });
  try {
    checkBrowserEnv(loadEnv('production', repoRoot, 'VITE_'));
    const incremental = options.incremental ?? true;
    const settings = settingsHash();
    const stale = incremental ? staleness(options.outDir, settings) : 'asked for';
    if (!stale) return { outDir: options.outDir, ms: performance.now() - started };

    const staging = `${options.outDir}.building-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    try {
      const read = new Set<string>();
      await build({
        configFile,
        mode: 'production',
        logLevel: 'warn',
        build: { outDir: staging, emptyOutDir: true },
        plugins: [recordInputs(read)],
      });
      await precompress(staging);
      if (incremental) {
        const files: Record<string, string> = {};
        for (const file of [...FIXED_INPUTS, ...read]) files[file] = fileHash(file) ?? '';
        const inputs: BuildInputs = { settings, files };
        writeFileSync(path.join(staging, INPUTS_FILE), JSON.stringify(inputs));
      }
      rmSync(options.outDir, { recursive: true, force: true });
      renameSync(staging, options.outDir);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    return { outDir: options.outDir, rebuilt: stale, ms: performance.now() - started };
  } finally {
    restoreEnv();
  }
}

/**
 * Stops a build that would bake a secret or service_role key into the console:
 * every VITE_ variable ships to every browser that loads it. Notes a legacy
 * key name on stderr.
 */
export function checkBrowserEnv(
  viteEnv: Record<string, string>,
  note: (line: string) => void = (line) => console.error(line),
): void {
  withCurrentKeyNames(viteEnv, note);
  for (const [name, value] of Object.entries(viteEnv)) {
    const problem = browserKeyProblem(value.trim());
    if (problem) throw new Error(`refusing to build the console: ${name} ${problem}`);
  }
}

/** Why the build in `outDir` would be rebuilt for these options, or undefined when it is up to date. */
export function consoleBuildStaleness(options: ConsoleBuildOptions): string | undefined {
  const restoreEnv = withEnv(options.env);
  try {
    return staleness(options.outDir, settingsHash());
  } finally {
    restoreEnv();
  }
}

function staleness(outDir: string, settings: string): string | undefined {
  let inputs: BuildInputs;
  try {
    inputs = JSON.parse(readFileSync(path.join(outDir, INPUTS_FILE), 'utf8')) as BuildInputs;
  } catch {
    return 'no build yet';
  }
  if (!existsSync(path.join(outDir, 'index.html'))) return 'no build yet';
  if (inputs.settings !== settings) return 'its settings changed';
  for (const [file, hash] of Object.entries(inputs.files)) {
    if ((fileHash(file) ?? '') !== hash) return `${file} changed`;
  }
  return undefined;
}

/** The VITE_ variables Vite will bake in (process env over .env files), and the mode. */
function settingsHash(): string {
  const env = loadEnv('production', repoRoot, 'VITE_');
  const sorted = Object.fromEntries(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)));
  return sha256(JSON.stringify({ mode: 'production', env: sorted }));
}

/** Collects every file the build loaded (sources and packages), relative to the repo. */
function recordInputs(read: Set<string>): Plugin {
  return {
    name: 'realtime-bench:record-inputs',
    apply: 'build',
    buildEnd() {
      for (const id of this.getModuleIds()) {
        const file = id.split('?')[0] as string;
        if (!path.isAbsolute(file) || !existsSync(file)) continue;
        read.add(path.relative(repoRoot, file));
      }
    },
  };
}

/** gzip and brotli copies next to each text asset, served to browsers that accept them. */
async function precompress(dir: string): Promise<void> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && COMPRESSIBLE.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
  await Promise.all(
    files.map(async (file) => {
      const body = readFileSync(file);
      const [gz, br] = await Promise.all([
        promisify(gzip)(body, { level: 9 }),
        promisify(brotliCompress)(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 11,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        }),
      ]);
      writeFileSync(`${file}.gz`, gz);
      writeFileSync(`${file}.br`, br);
    }),
  );
}

function fileHash(relative: string): string | undefined {
  try {
    return sha256(readFileSync(path.join(repoRoot, relative)));
  } catch {
    return undefined;
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Sets env variables for the build and returns how to put the old values back. */
function withEnv(values: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
