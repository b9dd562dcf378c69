import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkoutFunctions, checkoutMigrations } from '../config/checkout.ts';
import {
  LOCAL_ANON_KEY,
  LOCAL_PUBLISHABLE_KEY,
  LOCAL_SECRET_KEY,
  LOCAL_SERVICE_ROLE_KEY,
} from '../config/env.ts';
import {
  type CheckResult,
  checkAdvisors,
  checkBrowserKeyKind,
  checkMigrations,
  type DoctorTarget,
  doctorFailed,
  formatDoctor,
  keyHeaders,
  probeFunction,
  projectRefOf,
  runDoctor,
} from './doctor.ts';
import { doctorTargetFromEnv } from './doctor-target.ts';

const REF = 'abcdefghijklmnopqrst';

function target(overrides: Partial<DoctorTarget> = {}): DoctorTarget {
  return {
    url: 'http://127.0.0.1:9',
    browserKey: LOCAL_PUBLISHABLE_KEY,
    functions: ['save-benchmark-run'],
    migrations: ['20261123000000'],
    timeoutMs: 5000,
    ...overrides,
  };
}

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

/** A loopback HTTP server standing in for a remote API; returns its URL and the requests it saw. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: Array<{ method?: string; url?: string; authorization?: string }> = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('browser key kind', () => {
  it('passes a publishable key and warns of a legacy anon one', () => {
    expect(checkBrowserKeyKind(target()).status).toBe('ok');
    const legacy = checkBrowserKeyKind(
      target({ browserKey: LOCAL_ANON_KEY, browserKeyName: 'SUPABASE_ANON_KEY' }),
    );
    expect(legacy).toMatchObject({ status: 'warn' });
    expect(legacy.message).toContain('SUPABASE_ANON_KEY holds a legacy anon JWT');
  });

  it.each([
    ['secret', LOCAL_SECRET_KEY],
    ['legacy service_role', LOCAL_SERVICE_ROLE_KEY],
  ])('fails a %s key where the browser key goes, and says to use the publishable key', (_, key) => {
    const check = checkBrowserKeyKind(target({ browserKey: key }));
    expect(check.status).toBe('fail');
    expect(check.message).toContain('whoever opens the console gets full access');
    expect(check.fix).toContain('publishable key');
  });

  it("fails a secret key in the console's build variables, naming the variable", () => {
    const check = checkBrowserKeyKind(
      target({ consoleKeys: { VITE_SUPABASE_PUBLISHABLE_KEY: LOCAL_SECRET_KEY } }),
    );
    expect(check.status).toBe('fail');
    expect(check.message).toMatch(/^VITE_SUPABASE_PUBLISHABLE_KEY is a secret key/);
  });

  it('fails what is no Supabase key at all', () => {
    const check = checkBrowserKeyKind(target({ browserKey: 'not-a-key' }));
    expect(check.status).toBe('fail');
    expect(check.message).toContain('is not a Supabase API key');
  });
});

describe('keyHeaders', () => {
  it('sends new keys as apikey only, legacy JWTs also as a bearer token', () => {
    expect(keyHeaders(LOCAL_PUBLISHABLE_KEY)).toEqual({ apikey: LOCAL_PUBLISHABLE_KEY });
    expect(keyHeaders(LOCAL_ANON_KEY)).toEqual({
      apikey: LOCAL_ANON_KEY,
      authorization: `Bearer ${LOCAL_ANON_KEY}`,
    });
  });
});

describe('projectRefOf', () => {
  it('reads the ref of a supabase.co URL, or takes the one given', () => {
    expect(projectRefOf({ url: `https://${REF}.supabase.co` })).toBe(REF);
    expect(projectRefOf({ url: 'http://127.0.0.1:54321' })).toBeNull();
    expect(projectRefOf({ url: 'http://127.0.0.1:54321', projectRef: REF })).toBe(REF);
  });
});

describe('an unreachable URL', () => {
  it('fails the first check, skips those that need the API, and says how to start the stack', async () => {
    const { url } = await serve(() => {});
    const closed = servers.pop() as Server;
    await new Promise((resolve) => closed.close(resolve));
    const results = await runDoctor(target({ url }));
    expect(results[0]).toMatchObject({ name: 'URL reachable', status: 'fail' });
    expect(results[0]?.fix).toContain('npm start');
    expect(results.find((r) => r.name === 'migrations')?.status).toBe('skip');
    expect(doctorFailed(results)).toBe(true);
  });
});

describe('a function that is down', () => {
  it('fails with the HTTP status and where to look, not as "not deployed"', async () => {
    const api = await serve((_, res) => json(res, 503, { msg: 'worker boot error' }));
    const probe = await probeFunction(
      target({ url: api.url, projectRef: REF }),
      'save-benchmark-run',
    );
    expect(probe.check.status).toBe('fail');
    expect(probe.check.message).toContain('does not answer as it should (HTTP 503');
    expect(probe.check.fix).toContain('Edge Functions → save-benchmark-run → Logs');
    expect(probe.check.fix).toContain('supabase functions deploy save-benchmark-run');
  });

  it('passes a function that refuses a bad body with 400 and the project error shape', async () => {
    const api = await serve((_, res) =>
      json(res, 400, { error: { code: 'invalid_json', message: 'x' } }),
    );
    const probe = await probeFunction(target({ url: api.url }), 'save-benchmark-run');
    expect(probe.check.status).toBe('ok');
    expect(api.seen[0]).toMatchObject({
      method: 'POST',
      url: '/functions/v1/save-benchmark-run',
    });
  });
});

describe('migrations', () => {
  it('a database without schema_versions(): the migrations since it are not applied', async () => {
    const api = await serve((_, res) =>
      json(res, 404, { code: 'PGRST202', message: 'Could not find the function' }),
    );
    const check = await checkMigrations(
      target({ url: api.url, migrations: ['20261123000000', '20261201030000'] }),
    );
    expect(check.status).toBe('fail');
    expect(check.message).toContain('lacks public.schema_versions() (migration 20261201030000)');
    expect(check.fix).toContain('npm start');
    expect(api.seen[0]).toMatchObject({ method: 'POST', url: '/rest/v1/rpc/schema_versions' });
  });
});

describe('security advisors', () => {
  const lint = (level: string, schema: string, name: string) => ({
    name: 'rls_disabled_in_public',
    title: 'RLS Disabled in Public',
    level,
    remediation: 'https://supabase.com/docs/guides/database/database-linter?lint=0013',
    metadata: { schema, name, type: 'table' },
  });

  it('is skipped on a local stack, and on a hosted one without an access token', async () => {
    expect((await checkAdvisors(target())).status).toBe('skip');
    const hosted = await checkAdvisors(target({ url: `https://${REF}.supabase.co` }));
    expect(hosted.status).toBe('skip');
    expect(hosted.message).toContain('SUPABASE_ACCESS_TOKEN');
  });

  it("fails an ERROR finding on the project's tables with its remediation, ignoring other schemas", async () => {
    const api = await serve((_, res) =>
      json(res, 200, {
        lints: [lint('ERROR', 'public', 'benchmark_runs'), lint('ERROR', 'auth', 'users')],
      }),
    );
    const check = await checkAdvisors(
      target({ projectRef: REF, accessToken: 'sbp_token', managementApiUrl: api.url }),
    );
    expect(check.status).toBe('fail');
    expect(check.message).toBe('RLS Disabled in Public: public.benchmark_runs');
    expect(check.fix).toContain('lint=0013');
    expect(api.seen[0]).toMatchObject({
      url: `/v1/projects/${REF}/advisors/security`,
      authorization: 'Bearer sbp_token',
    });
  });

  it('passes when the findings are outside the project, and fails a refused token', async () => {
    const clean = await serve((_, res) => json(res, 200, { lints: [lint('WARN', 'auth', 'x')] }));
    const passed = await checkAdvisors(
      target({ projectRef: REF, accessToken: 't', managementApiUrl: clean.url }),
    );
    expect(passed.status).toBe('ok');
    const refusing = await serve((_, res) => json(res, 401, { message: 'Unauthorized' }));
    const refused = await checkAdvisors(
      target({ projectRef: REF, accessToken: 't', managementApiUrl: refusing.url }),
    );
    expect(refused.status).toBe('fail');
    expect(refused.fix).toContain('personal access token');
  });
});

describe('formatDoctor', () => {
  it('prints each check, its fix, and a count', () => {
    const results: CheckResult[] = [
      { name: 'a', status: 'ok', message: 'fine', fix: '' },
      { name: 'b', status: 'fail', message: 'broken', fix: 'mend it' },
    ];
    expect(formatDoctor(results)).toBe(
      'ok    a: fine\nFAIL  b: broken\n      fix: mend it\n\n1 failed, 0 warnings, 1 passed, 0 skipped',
    );
  });
});

describe('doctorTargetFromEnv', () => {
  /** The stack env as readStackEnv gives it: a legacy key already under its current name. */
  const stackEnv = (publishable: string) =>
    ({ SUPABASE_PUBLISHABLE_KEY: publishable, BENCH_API_PORT: 54321 }) as Parameters<
      typeof doctorTargetFromEnv
    >[0];

  it('prefers the new key names and reads the checkout', () => {
    const t = doctorTargetFromEnv(stackEnv(LOCAL_PUBLISHABLE_KEY), {
      SUPABASE_PUBLISHABLE_KEY: LOCAL_PUBLISHABLE_KEY,
      SUPABASE_SECRET_KEY: LOCAL_SECRET_KEY,
      VITE_SUPABASE_ANON_KEY: LOCAL_ANON_KEY,
    });
    expect(t).toMatchObject({
      url: 'http://127.0.0.1:54321',
      browserKey: LOCAL_PUBLISHABLE_KEY,
      browserKeyName: 'SUPABASE_PUBLISHABLE_KEY',
      secretKey: LOCAL_SECRET_KEY,
      consoleKeys: { VITE_SUPABASE_ANON_KEY: LOCAL_ANON_KEY },
    });
    expect(t.functions).toEqual(checkoutFunctions());
    expect(t.functions).toContain('save-benchmark-run');
    expect(t.migrations).toEqual(checkoutMigrations());
    expect(t.migrations).toContain('20261201030000');
  });

  it('falls back on the legacy names', () => {
    const t = doctorTargetFromEnv(stackEnv(LOCAL_ANON_KEY), {
      SUPABASE_ANON_KEY: LOCAL_ANON_KEY,
      SUPABASE_SERVICE_ROLE_KEY: LOCAL_SERVICE_ROLE_KEY,
    });
    expect(t).toMatchObject({
      browserKey: LOCAL_ANON_KEY,
      browserKeyName: 'SUPABASE_ANON_KEY',
      secretKey: LOCAL_SERVICE_ROLE_KEY,
    });
  });
});
