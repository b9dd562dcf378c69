// `npm run bench -- doctor`: checks a Supabase project (the embedded stack or a
// hosted one) the way the console and runner will use it, and says what is
// wrong in plain words with the command that fixes it. Every request is a read
// or a write that cannot change anything (see `writeProbes`).
import { type ApiKeyKind, apiKeyKind, isSecretKind, ROLE_OF_KEY } from '@core/api-keys.ts';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  message: string;
  /** What to do about it; empty when nothing is to be done. */
  fix: string;
}

export interface DoctorTarget {
  /** The project's API URL (SUPABASE_URL). */
  url: string;
  /** The key the console and runner send: publishable (or legacy anon). */
  browserKey: string;
  /** Where browserKey came from, for the messages (default SUPABASE_PUBLISHABLE_KEY). */
  browserKeyName?: string;
  /** The console's build keys that are set (VITE_SUPABASE_PUBLISHABLE_KEY…), by name. */
  consoleKeys?: Record<string, string>;
  /** The secret (or legacy service_role) key, when the caller has it. */
  secretKey?: string;
  /** A personal access token for the Management API (advisors). */
  accessToken?: string;
  /** The project ref; by default the subdomain of a `*.supabase.co` URL. */
  projectRef?: string;
  /** The Management API (default https://api.supabase.com). */
  managementApiUrl?: string;
  /** The edge functions the project should have (the folders of supabase/functions). */
  functions: string[];
  /** The migration versions of the checkout (the prefixes of supabase/migrations). */
  migrations: string[];
  timeoutMs?: number;
}

const ok = (name: string, message: string): CheckResult => ({
  name,
  status: 'ok',
  message,
  fix: '',
});
const result = (name: string, status: CheckStatus, message: string, fix = ''): CheckResult => ({
  name,
  status,
  message,
  fix,
});

/** True for a project on supabase.co (hosted), false for the embedded stack or a self-hosted one. */
export function projectRefOf(target: Pick<DoctorTarget, 'url' | 'projectRef'>): string | null {
  if (target.projectRef) return target.projectRef;
  const match = /^([a-z0-9]{20})\.supabase\.(co|in)$/.exec(new URL(target.url).hostname);
  return match?.[1] ?? null;
}

const isHosted = (target: DoctorTarget) => projectRefOf(target) !== null;

/** The headers Supabase clients send with `key`: new keys as `apikey` only, legacy JWTs also as a bearer token. */
export function keyHeaders(key: string): Record<string, string> {
  const kind = apiKeyKind(key);
  const legacy = kind === 'legacy-anon' || kind === 'legacy-service-role';
  return legacy ? { apikey: key, authorization: `Bearer ${key}` } : { apikey: key };
}

interface Answer {
  status: number;
  body: string;
  json: unknown;
}

async function request(
  target: DoctorTarget,
  path: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await fetch(new URL(path, withSlash(target.url)), {
    ...init,
    signal: AbortSignal.timeout(target.timeoutMs ?? 10_000),
  });
  const body = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(body);
  } catch {}
  return { status: response.status, body, json };
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

const snippet = (answer: Answer) => answer.body.replace(/\s+/g, ' ').trim().slice(0, 160);

const describeError = (error: unknown) => {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
};

// ---- the checks ----------------------------------------------------------

export async function checkReachable(target: DoctorTarget): Promise<CheckResult> {
  const name = 'URL reachable';
  try {
    const answer = await request(target, 'rest/v1/', { headers: keyHeaders(target.browserKey) });
    return ok(name, `${target.url} answers (HTTP ${answer.status})`);
  } catch (error) {
    return result(
      name,
      'fail',
      `${target.url} does not answer: ${describeError(error)}`,
      isHosted(target)
        ? 'check SUPABASE_URL: it is https://<project-ref>.supabase.co (Dashboard → Project Settings → Data API), and that the project is not paused'
        : 'start the local stack with `npm start`, or set SUPABASE_URL to the project to check',
    );
  }
}

const KIND_LABEL: Record<ApiKeyKind, string> = {
  publishable: 'a publishable key',
  secret: 'a secret key',
  'legacy-anon': 'a legacy anon key',
  'legacy-service-role': 'a legacy service_role key',
};

/**
 * The browser's keys must be publishable (or legacy anon): the runner's, and
 * the console's (VITE_…), which ships in its bundle for anyone to read.
 */
export function checkBrowserKeyKind(target: DoctorTarget): CheckResult {
  const name = 'browser key kind';
  const keys = [
    { variable: target.browserKeyName ?? 'SUPABASE_PUBLISHABLE_KEY', key: target.browserKey },
    ...Object.entries(target.consoleKeys ?? {}).map(([variable, key]) => ({ variable, key })),
  ];
  const warnings: string[] = [];
  for (const { variable, key } of keys) {
    const kind = apiKeyKind(key);
    if (kind === null) {
      return result(
        name,
        'fail',
        `${variable} is not a Supabase API key (neither sb_publishable_… nor a JWT with a role)`,
        'copy the publishable key from Dashboard → Project Settings → API Keys (local: the one `npm start` prints)',
      );
    }
    if (isSecretKind(kind)) {
      return result(
        name,
        'fail',
        `${variable} is ${KIND_LABEL[kind]}: whoever opens the console gets full access to the database, past row level security`,
        'put the publishable key (sb_publishable_…) there, keep secret keys out of the console and the runner, and roll the secret key (Dashboard → Project Settings → API Keys) if it was ever deployed',
      );
    }
    if (kind === 'legacy-anon') warnings.push(variable);
  }
  if (warnings.length > 0) {
    return result(
      name,
      'warn',
      `${warnings.join(' and ')} hold${warnings.length > 1 ? '' : 's'} a legacy anon JWT; Supabase retires these by the end of 2026`,
      'use the publishable key (sb_publishable_…) from Dashboard → Project Settings → API Keys',
    );
  }
  return ok(name, `${keys.map((k) => k.variable).join(' and ')}: publishable`);
}

/** The API accepts the browser key (a key of another project or a revoked one gets 401). */
export async function checkBrowserKeyAccepted(target: DoctorTarget): Promise<CheckResult> {
  const name = 'browser key accepted';
  const answer = await request(target, 'rest/v1/benchmark_runs?select=run_id&limit=1', {
    headers: keyHeaders(target.browserKey),
  });
  if (answer.status === 401) {
    return result(
      name,
      'fail',
      `the API refuses the browser key (HTTP 401: ${snippet(answer)})`,
      "the key belongs to another project or was revoked: copy the project's publishable key again (Dashboard → Project Settings → API Keys)",
    );
  }
  return ok(name, `the API accepts the browser key (HTTP ${answer.status})`);
}

/** The secret key, when given, is one and reaches what only service_role may read. */
export async function checkSecretKey(target: DoctorTarget): Promise<CheckResult> {
  const name = 'secret key';
  if (!target.secretKey) {
    return result(
      name,
      'skip',
      'no secret key given (SUPABASE_SECRET_KEY); the console and runner need none',
    );
  }
  const kind = apiKeyKind(target.secretKey);
  if (kind === null || !isSecretKind(kind)) {
    return result(
      name,
      'fail',
      `SUPABASE_SECRET_KEY is ${kind ? KIND_LABEL[kind] : 'not a Supabase API key'}, not a secret key`,
      'copy a secret key (sb_secret_…) from Dashboard → Project Settings → API Keys',
    );
  }
  const answer = await request(target, 'rest/v1/openai_usage?select=scope&limit=1', {
    headers: keyHeaders(target.secretKey),
  });
  if (answer.status === 200) return ok(name, `the secret key acts as service_role`);
  return result(
    name,
    'fail',
    `the API does not let the secret key read openai_usage (HTTP ${answer.status}: ${snippet(answer)})`,
    answer.status === 401
      ? "the key belongs to another project or was revoked: copy the project's secret key again"
      : 'apply the migrations (`supabase db push`), then run the doctor again',
  );
}

/** The migration versions the database has applied, compared with the checkout's. */
export async function checkMigrations(target: DoctorTarget): Promise<CheckResult> {
  const name = 'migrations';
  const push = isHosted(target)
    ? 'run `supabase db push` from the checkout (after `supabase link --project-ref <ref>`)'
    : 'restart the stack (`npm start` applies pending migrations)';
  const answer = await request(target, 'rest/v1/rpc/schema_versions', {
    method: 'POST',
    headers: { ...keyHeaders(target.browserKey), 'content-type': 'application/json' },
    body: '{}',
  });
  if (answer.status === 404) {
    const newest = target.migrations.at(-1);
    return result(
      name,
      'fail',
      `the database lacks public.schema_versions() (migration 20261201030000): the migrations since then${newest ? `, up to ${newest},` : ''} are not applied`,
      push,
    );
  }
  if (answer.status !== 200 || !Array.isArray(answer.json)) {
    return result(
      name,
      'fail',
      `could not read the applied migrations (HTTP ${answer.status}: ${snippet(answer)})`,
      push,
    );
  }
  const applied = new Set(answer.json.map(String));
  const missing = target.migrations.filter((version) => !applied.has(version));
  const unknown = [...applied].filter((version) => !target.migrations.includes(version)).sort();
  if (missing.length > 0) {
    return result(
      name,
      'fail',
      `${missing.length} migration${missing.length > 1 ? 's are' : ' is'} not applied: ${missing.join(', ')}`,
      push,
    );
  }
  if (unknown.length > 0) {
    return result(
      name,
      'warn',
      `the database has migrations this checkout does not: ${unknown.join(', ')}`,
      'update the checkout (`git pull`) so the console and functions match the database',
    );
  }
  return ok(
    name,
    `all ${target.migrations.length} migrations applied (newest ${target.migrations.at(-1)})`,
  );
}

interface FunctionProbe {
  name: string;
  check: CheckResult;
  /** realtime-session's GET: whether OpenAI is configured. */
  openaiConfigured?: boolean;
}

/**
 * Each function answers: realtime-session's GET reports its configuration; the
 * others get a POST whose body is not JSON, which every function refuses with
 * 400 and `{ error: { code, message } }` before doing anything.
 */
export async function probeFunction(target: DoctorTarget, fn: string): Promise<FunctionProbe> {
  const name = `function ${fn}`;
  const headers = keyHeaders(target.browserKey);
  const answer =
    fn === 'realtime-session'
      ? await request(target, `functions/v1/${fn}`, { headers })
      : await request(target, `functions/v1/${fn}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: '{',
        });
  const deploy = isHosted(target)
    ? `deploy it: \`supabase functions deploy ${fn} --use-api\``
    : `restart the stack (\`npm start\`); its log is .bench-data/logs/function-${fn}.log`;
  if (answer.status === 404) {
    return {
      name: fn,
      check: result(name, 'fail', `${fn} is not deployed (HTTP 404: ${snippet(answer)})`, deploy),
    };
  }
  if (answer.status === 401 || answer.status === 403) {
    return {
      name: fn,
      check: result(
        name,
        'fail',
        `${fn} refuses the browser key (HTTP ${answer.status}: ${snippet(answer)})`,
        'check the browser key (above), and that the function is deployed with the settings of supabase/config.toml',
      ),
    };
  }
  const error = (answer.json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (fn === 'realtime-session') {
    const configured = (answer.json as { openai_configured?: unknown } | null)?.openai_configured;
    if (answer.status === 200 && typeof configured === 'boolean') {
      return {
        name: fn,
        check: ok(name, `${fn} answers and reports its configuration`),
        openaiConfigured: configured,
      };
    }
  } else if (
    answer.status === 400 &&
    typeof error?.code === 'string' &&
    typeof error.message === 'string'
  ) {
    return { name: fn, check: ok(name, `${fn} answers (refuses a bad request with 400)`) };
  }
  return {
    name: fn,
    check: result(
      name,
      'fail',
      `${fn} does not answer as it should (HTTP ${answer.status}: ${snippet(answer) || 'empty body'})`,
      isHosted(target)
        ? `read its logs (Dashboard → Edge Functions → ${fn} → Logs), then ${deploy.replace('deploy it: ', 'deploy it again: ')}`
        : deploy,
    ),
  };
}

export function checkOpenAI(target: DoctorTarget, configured: boolean | undefined): CheckResult {
  const name = 'OpenAI';
  if (configured === undefined) {
    return result(name, 'skip', 'not checked: realtime-session did not answer');
  }
  if (configured) return ok(name, 'the functions have an OPENAI_API_KEY');
  return result(
    name,
    'warn',
    'the functions have no OPENAI_API_KEY: runs with OpenAI agents and the judge fail; offline agents work',
    isHosted(target)
      ? '`supabase secrets set OPENAI_API_KEY=sk-…` (a function secret only: never in the console)'
      : 'set OPENAI_API_KEY in .env and restart the stack (`npm start`)',
  );
}

/** What anon reads (the console's tables and views) and what it must not. */
const ANON_READS = [
  'benchmark_runs?select=run_id',
  'benchmark_scenarios?select=scenario_hash',
  'benchmark_scenario_versions?select=*',
  'run_metrics?select=run_id',
  'run_judgements?select=judgement_id',
  'benchmark_daily?select=*',
  'benchmark_comparison?select=*',
];
/** Tables anon must not write, each with its primary key. */
const ANON_WRITES: Array<[table: string, key: string]> = [
  ['benchmark_runs', 'run_id'],
  ['benchmark_scenarios', 'scenario_hash'],
  ['run_metrics', 'run_id'],
  ['run_judgements', 'judgement_id'],
  ['openai_usage', 'scope'],
];

/**
 * Writes that cannot change a row even where allowed: an insert of a null
 * primary key (a not-null violation) and an update or delete of the rows whose
 * primary key is null (none). Postgres checks privileges before any row, so
 * without the grant each answers 401/403; with it, 400 or 2xx, and nothing changed.
 */
export function writeProbes(table: string, key: string) {
  const headers = { 'content-type': 'application/json', prefer: 'return=minimal' };
  return [
    { verb: 'insert', path: `rest/v1/${table}`, method: 'POST', body: `{"${key}":null}`, headers },
    {
      verb: 'update',
      path: `rest/v1/${table}?${key}=is.null`,
      method: 'PATCH',
      body: `{"${key}":null}`,
      headers,
    },
    { verb: 'delete', path: `rest/v1/${table}?${key}=is.null`, method: 'DELETE', headers },
  ];
}

export async function checkGrants(target: DoctorTarget): Promise<CheckResult> {
  const name = 'grants and RLS';
  const kind = apiKeyKind(target.browserKey);
  if (kind === null || isSecretKind(kind)) {
    return result(name, 'skip', 'not checked: the browser key does not act as anon');
  }
  const problems = await grantProblems(target, target.browserKey);
  if (problems.length === 0) {
    return ok(
      name,
      `anon reads the ${ANON_READS.length} tables and views of the console, and cannot insert, update or delete`,
    );
  }
  return result(
    name,
    'fail',
    problems.join('; '),
    'the grants differ from supabase/migrations: re-apply them (`supabase db push`), and undo grants made by hand in the dashboard (see docs/sql.md)',
  );
}

/** What `key`'s role can do beyond what anon should: each a sentence; none when all is as expected. */
export async function grantProblems(target: DoctorTarget, key: string): Promise<string[]> {
  const kind = apiKeyKind(key);
  const role = kind ? ROLE_OF_KEY[kind] : 'the key';
  const headers = keyHeaders(key);
  const problems: string[] = [];
  for (const read of ANON_READS) {
    const answer = await request(target, `rest/v1/${read}&limit=1`, { headers });
    if (answer.status !== 200) {
      problems.push(`${role} cannot read ${read.split('?')[0]} (HTTP ${answer.status})`);
    }
  }
  const budget = await request(target, 'rest/v1/openai_usage?select=scope&limit=1', { headers });
  if (budget.status === 200) problems.push(`${role} can read openai_usage`);
  for (const [table, column] of ANON_WRITES) {
    for (const probe of writeProbes(table, column)) {
      const answer = await request(target, probe.path, {
        method: probe.method,
        body: probe.body,
        headers: { ...headers, ...probe.headers },
      });
      if (answer.status !== 401 && answer.status !== 403) {
        problems.push(`${role} may ${probe.verb} ${table} (HTTP ${answer.status})`);
      }
    }
  }
  return problems;
}

interface AdvisorLint {
  name?: string;
  title?: string;
  level?: string;
  detail?: string;
  remediation?: string;
  metadata?: { schema?: string; name?: string };
}

const PROJECT_SCHEMAS = new Set(['public', 'private']);

/** The security advisors' findings on the project's schemas (hosted only, with an access token). */
export async function checkAdvisors(target: DoctorTarget): Promise<CheckResult> {
  const name = 'security advisors';
  const ref = projectRefOf(target);
  if (!ref) {
    return result(name, 'skip', 'the advisors run on hosted projects only');
  }
  if (!target.accessToken) {
    return result(
      name,
      'skip',
      'not checked: give SUPABASE_ACCESS_TOKEN (a personal access token, Dashboard → Account → Access Tokens) to read the advisors',
    );
  }
  const api = target.managementApiUrl ?? 'https://api.supabase.com';
  let answer: Answer;
  try {
    answer = await request({ ...target, url: api }, `v1/projects/${ref}/advisors/security`, {
      headers: { authorization: `Bearer ${target.accessToken}` },
    });
  } catch (error) {
    return result(name, 'warn', `the Management API did not answer: ${describeError(error)}`);
  }
  if (answer.status === 401 || answer.status === 403) {
    return result(
      name,
      'fail',
      `the Management API refuses SUPABASE_ACCESS_TOKEN for project ${ref} (HTTP ${answer.status})`,
      'create a personal access token of an account that is a member of the project',
    );
  }
  const lints = (answer.json as { lints?: AdvisorLint[] } | null)?.lints;
  if (answer.status !== 200 || !Array.isArray(lints)) {
    return result(
      name,
      'warn',
      `the advisors did not answer as expected (HTTP ${answer.status}: ${snippet(answer)})`,
    );
  }
  const ours = lints.filter((lint) => PROJECT_SCHEMAS.has(lint.metadata?.schema ?? ''));
  const errors = ours.filter((lint) => lint.level === 'ERROR');
  const warnings = ours.filter((lint) => lint.level === 'WARN');
  const describe = (lint: AdvisorLint) =>
    `${lint.title ?? lint.name}: ${lint.metadata?.schema}.${lint.metadata?.name}`;
  const fixes = [...errors, ...warnings].map((lint) => lint.remediation).filter(Boolean);
  if (errors.length > 0) {
    return result(
      name,
      'fail',
      errors.map(describe).join('; '),
      `see ${[...new Set(fixes)].join(' ')}`,
    );
  }
  if (warnings.length > 0) {
    return result(
      name,
      'warn',
      warnings.map(describe).join('; '),
      `see ${[...new Set(fixes)].join(' ')}`,
    );
  }
  return ok(name, `no security findings on the project's tables (${lints.length} in all)`);
}

// ---- all of them ----------------------------------------------------------

/** Runs every check in order; those that need a reachable URL are skipped without one. */
export async function runDoctor(target: DoctorTarget): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const reachable = await checkReachable(target);
  results.push(reachable, checkBrowserKeyKind(target));
  const network = [
    'browser key accepted',
    'secret key',
    'migrations',
    ...target.functions.map((fn) => `function ${fn}`),
    'OpenAI',
    'grants and RLS',
  ];
  if (reachable.status === 'fail') {
    for (const name of network) {
      results.push(result(name, 'skip', 'not checked: the URL does not answer'));
    }
    results.push(await checkAdvisors(target));
    return results;
  }
  const safely = async (name: string, check: () => Promise<CheckResult>) => {
    try {
      return await check();
    } catch (error) {
      return result(name, 'fail', `the check failed: ${describeError(error)}`);
    }
  };
  results.push(
    await safely('browser key accepted', () => checkBrowserKeyAccepted(target)),
    await safely('secret key', () => checkSecretKey(target)),
    await safely('migrations', () => checkMigrations(target)),
  );
  let openaiConfigured: boolean | undefined;
  for (const fn of target.functions) {
    const probe = await probeFunction(target, fn).catch(
      (error): FunctionProbe => ({
        name: fn,
        check: result(`function ${fn}`, 'fail', `${fn} did not answer: ${describeError(error)}`),
      }),
    );
    if (probe.openaiConfigured !== undefined) openaiConfigured = probe.openaiConfigured;
    results.push(probe.check);
  }
  results.push(
    checkOpenAI(target, openaiConfigured),
    await safely('grants and RLS', () => checkGrants(target)),
    await safely('security advisors', () => checkAdvisors(target)),
  );
  return results;
}

export const doctorFailed = (results: CheckResult[]) => results.some((r) => r.status === 'fail');

const MARK: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

/** One line per check, its fix indented below it, and a summary line. */
export function formatDoctor(results: CheckResult[]): string {
  const lines = results.flatMap((r) => [
    `${MARK[r.status]}  ${r.name}: ${r.message}`,
    ...(r.fix ? [`      fix: ${r.fix}`] : []),
  ]);
  const count = (status: CheckStatus) => results.filter((r) => r.status === status).length;
  lines.push(
    '',
    `${count('fail')} failed, ${count('warn')} warnings, ${count('ok')} passed, ${count('skip')} skipped`,
  );
  return lines.join('\n');
}
