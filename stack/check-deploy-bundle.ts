import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkoutFunctions, functionsDir } from '../config/checkout.ts';
import { repoRoot } from '../config/env.ts';
import { denoBinary } from './functions.ts';
import { supabaseCli } from './migrate.ts';

/**
 * Checks that `supabase functions deploy --use-api` uploads each edge function's whole module
 * graph, `core/` included although it lies outside supabase/functions. The CLI deploys to a fake
 * Management API on 127.0.0.1 (a profile file points it there), which records the multipart
 * uploads; each upload is then compared with the graph `deno info` finds in the repository, and
 * rebuilt in a scratch folder to show that its own import map resolves every import inside it.
 *
 * The CLI only warns (and still exits 0) when an import lies outside the folder it uploads from,
 * so its warnings count as failures here.
 */

const PROJECT_REF = 'fakeprojectrefaaaaaa';
/** Shaped like a personal access token; the fake API accepts any. */
const FAKE_TOKEN = `sbp_${'0'.repeat(40)}`;

interface Upload {
  metadata: { entrypoint_path?: string; import_map_path?: string };
  files: Map<string, Buffer>;
}

interface FakeApi {
  url: string;
  uploads: Map<string, Upload>;
  unexpected: string[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseUpload(req: IncomingMessage, body: Buffer): Promise<Upload> {
  const form = await new Request('http://fake-api.invalid/', {
    method: 'POST',
    headers: { 'content-type': req.headers['content-type'] ?? '' },
    body: new Uint8Array(body),
  }).formData();
  const files = new Map<string, Buffer>();
  for (const value of form.getAll('file')) {
    if (typeof value === 'string') throw new Error('a `file` part without a file name');
    files.set(value.name, Buffer.from(await value.arrayBuffer()));
  }
  const metadata = form.get('metadata');
  if (typeof metadata !== 'string') throw new Error('the upload has no `metadata` part');
  return { metadata: JSON.parse(metadata) as Upload['metadata'], files };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function functionJson(slug: string) {
  return { id: slug, slug, name: slug, status: 'ACTIVE', version: 1, verify_jwt: true };
}

/** Answers the few Management API calls a deploy makes; anything else is recorded as unexpected. */
async function startFakeApi(): Promise<FakeApi> {
  const uploads = new Map<string, Upload>();
  const unexpected: string[] = [];
  const project = `/v1/projects/${PROJECT_REF}`;
  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://fake-api.invalid');
      const slug = url.searchParams.get('slug');
      if (req.method === 'POST' && url.pathname === `${project}/functions/deploy` && slug) {
        uploads.set(slug, await parseUpload(req, body));
        return sendJson(res, 201, functionJson(slug));
      }
      if (req.method === 'PUT' && url.pathname === `${project}/functions`) {
        return sendJson(res, 200, []);
      }
      if (req.method === 'GET' && url.pathname === `${project}/functions`) {
        return sendJson(res, 200, []);
      }
      if (req.method === 'GET' && url.pathname === project) {
        return sendJson(res, 200, { id: PROJECT_REF, ref: PROJECT_REF, name: 'fake' });
      }
      unexpected.push(`${req.method} ${url.pathname}`);
      return sendJson(res, 404, { message: 'not faked' });
    } catch (error) {
      unexpected.push(`${req.method} ${req.url}: ${(error as Error).message}`);
      return sendJson(res, 400, { message: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    uploads,
    unexpected,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Deploys the functions with the CLI against the fake API, with no credentials of this machine. */
async function deployWithCli(apiUrl: string, home: string, names: string[]) {
  const profile = path.join(home, 'fake-profile.json');
  writeFileSync(
    profile,
    JSON.stringify({
      name: 'fake',
      api_url: apiUrl,
      dashboard_url: apiUrl,
      project_host: 'fake.localhost',
    }),
  );
  const [command, ...prefix] = supabaseCli() as [string, ...string[]];
  return runCommand(
    command,
    [
      ...prefix,
      'functions',
      'deploy',
      ...names,
      '--use-api',
      `--remote=${PROJECT_REF}`,
      `--profile=${profile}`,
      '--yes',
    ],
    {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        SUPABASE_HOME: home,
        SUPABASE_ACCESS_TOKEN: FAKE_TOKEN,
        SUPABASE_NO_KEYRING: '1',
        SUPABASE_NO_UPDATE_NOTIFIER: '1',
        SUPABASE_TELEMETRY_DISABLED: '1',
        DO_NOT_TRACK: '1',
      },
    },
  );
}

/**
 * The local files of a function's module graph, relative to `root`, as Deno resolves it. The
 * function's lock file in the repository pins its npm packages (read-only), so Deno resolves them
 * from its cache and never asks the registry.
 */
async function localGraph(root: string, name: string, configPath: string, entryPath: string) {
  const lock = path.join(functionsDir, name, 'deno.lock');
  const { code, stdout, stderr } = await runCommand(
    denoBinary(),
    ['info', '--json', `--lock=${lock}`, '--frozen-lockfile', `--config=${configPath}`, entryPath],
    { cwd: root, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' } },
  );
  if (code !== 0) return { files: [], errors: [`deno info failed: ${stderr.trim()}`] };
  const info = JSON.parse(stdout) as { modules: { specifier: string; error?: string }[] };
  const files: string[] = [];
  const errors: string[] = [];
  for (const module of info.modules) {
    if (module.error) errors.push(module.error);
    else if (module.specifier.startsWith('file:')) {
      files.push(path.relative(root, fileURLToPath(module.specifier)).split(path.sep).join('/'));
    }
  }
  return { files: files.sort(), errors };
}

/** Writes an upload out at the paths it was sent with, as the server-side bundler receives it. */
function materialize(upload: Upload, dir: string): void {
  for (const [name, bytes] of upload.files) {
    const target = path.resolve(dir, name);
    if (!target.startsWith(`${dir}${path.sep}`)) throw new Error(`upload path escapes: ${name}`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
}

async function checkFunction(name: string, upload: Upload | undefined, scratch: string) {
  const problems: string[] = [];
  if (!upload) return { problems: [`${name}: nothing was uploaded`], extra: 0 };
  const relative = (file: string) => path.relative(repoRoot, file).split(path.sep).join('/');
  const dir = path.join(functionsDir, name);
  const entry = relative(path.join(dir, 'index.ts'));
  const importMap = relative(path.join(dir, 'deno.json'));
  if (upload.metadata.entrypoint_path !== entry) {
    problems.push(`${name}: entrypoint_path is ${upload.metadata.entrypoint_path}, not ${entry}`);
  }
  if (upload.metadata.import_map_path !== importMap) {
    problems.push(
      `${name}: import_map_path is ${upload.metadata.import_map_path}, not ${importMap}`,
    );
  }

  const graph = await localGraph(repoRoot, name, importMap, entry);
  problems.push(...graph.errors.map((error) => `${name}: in the repository, ${error}`));
  for (const file of [importMap, ...graph.files]) {
    const sent = upload.files.get(file);
    if (!sent) problems.push(`${name}: ${file} was not uploaded`);
    else if (!sent.equals(readFileSync(path.join(repoRoot, file)))) {
      problems.push(`${name}: ${file} was uploaded with other contents`);
    }
  }

  const rebuilt = path.join(scratch, name);
  materialize(upload, rebuilt);
  const uploadedGraph = await localGraph(rebuilt, name, importMap, entry);
  problems.push(...uploadedGraph.errors.map((error) => `${name}: in the upload, ${error}`));
  const missing = graph.files.filter((file) => !uploadedGraph.files.includes(file));
  const added = uploadedGraph.files.filter((file) => !graph.files.includes(file));
  if (missing.length > 0 || added.length > 0) {
    problems.push(
      `${name}: the upload's graph lacks [${missing.join(', ')}] and adds [${added.join(', ')}]`,
    );
  }
  const extra = [...upload.files.keys()].filter(
    (file) => file !== importMap && !graph.files.includes(file),
  );
  return { problems, extra: extra.length };
}

export async function checkDeployBundle(log: (line: string) => void = console.log) {
  const started = performance.now();
  const names = checkoutFunctions();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'check-deploy-bundle-'));
  const api = await startFakeApi();
  const problems: string[] = [];
  try {
    const deploy = await deployWithCli(api.url, scratch, names);
    if (deploy.code !== 0) problems.push(`supabase functions deploy exited with ${deploy.code}`);
    const output = `${deploy.stdout}${deploy.stderr}`;
    for (const line of output.split('\n')) {
      if (/^(WARN|error|failed)\b/i.test(line.trim())) problems.push(`CLI: ${line.trim()}`);
    }
    problems.push(...api.unexpected.map((call) => `unexpected API call: ${call}`));
    for (const name of names) {
      const upload = api.uploads.get(name);
      const result = await checkFunction(name, upload, path.join(scratch, 'uploads'));
      problems.push(...result.problems);
      if (upload) {
        log(
          `${name}: ${upload.files.size} files uploaded (${result.extra} beyond its module graph)`,
        );
      }
    }
    if (deploy.code !== 0) log(output.trim());
  } finally {
    await api.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  log(`checked ${names.length} functions in ${Math.round(performance.now() - started)} ms`);
  return problems;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = await checkDeployBundle();
  for (const problem of problems) console.error(problem);
  process.exit(problems.length > 0 ? 1 : 0);
}
