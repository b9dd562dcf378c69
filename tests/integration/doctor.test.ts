import { SignJWT } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { checkoutFunctions, checkoutMigrations } from '../../config/checkout.ts';
import { LOCAL_ANON_KEY, LOCAL_PUBLISHABLE_KEY, LOCAL_SERVICE_ROLE_KEY } from '../../config/env.ts';
import {
  checkBrowserKeyAccepted,
  checkMigrations,
  type DoctorTarget,
  doctorFailed,
  grantProblems,
  probeFunction,
  runDoctor,
} from '../../runner/doctor.ts';
import { benchCli } from '../support/bench-cli.ts';
import { adminSql } from '../support/stack-clients.ts';

function target(overrides: Partial<DoctorTarget> = {}): DoctorTarget {
  return {
    url: inject('apiUrl'),
    browserKey: LOCAL_ANON_KEY,
    browserKeyName: 'SUPABASE_ANON_KEY',
    secretKey: LOCAL_SERVICE_ROLE_KEY,
    functions: checkoutFunctions(),
    migrations: checkoutMigrations(),
    ...overrides,
  };
}

describe('doctor against the test stack', () => {
  it('passes every check (the legacy key is a warning, the advisors are hosted only)', async () => {
    const results = await runDoctor(target());
    const byStatus = (status: string) =>
      results.filter((r) => r.status === status).map((r) => r.name);
    expect(byStatus('fail')).toEqual([]);
    expect(byStatus('warn')).toEqual(['browser key kind']);
    expect(byStatus('skip')).toEqual(['security advisors']);
    expect(byStatus('ok')).toEqual([
      'URL reachable',
      'browser key accepted',
      'secret key',
      'migrations',
      ...checkoutFunctions().map((fn) => `function ${fn}`),
      'OpenAI',
      'grants and RLS',
    ]);
    expect(doctorFailed(results)).toBe(false);
  });

  it('`npm run bench -- doctor --json` exits 0 with the checks', async () => {
    const cli = await benchCli(['doctor', '--json'], {
      SUPABASE_PUBLISHABLE_KEY: LOCAL_PUBLISHABLE_KEY,
    });
    expect(cli.code).toBe(0);
    const report = JSON.parse(cli.stdout) as {
      ok: boolean;
      checks: Array<{ name: string; status: string }>;
    };
    expect(report.ok).toBe(true);
    expect(report.checks.length).toBeGreaterThan(8);
    // A publishable key is what the browser should hold: no warning about its kind.
    expect(report.checks.find((c) => c.name === 'browser key kind')?.status).toBe('ok');
  });

  it('a secret key as the browser key: exit 1, and the fix says to use the publishable key', async () => {
    // The runner's configuration refuses it before any check runs: nothing may send it to a browser.
    const cli = await benchCli(['doctor'], { SUPABASE_ANON_KEY: LOCAL_SERVICE_ROLE_KEY });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(
      'SUPABASE_PUBLISHABLE_KEY: is a secret key (sb_secret_… or service_role), which bypasses row level security: set the publishable key (sb_publishable_…) here',
    );
  });

  it('a key of another project (signed with another secret): refused, and the fix says to copy it again', async () => {
    const foreign = await new SignJWT({ role: 'anon', iss: 'supabase' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('another-projects-jwt-secret-of-at-least-32-chars'));
    const check = await checkBrowserKeyAccepted(target({ browserKey: foreign }));
    expect(check.status).toBe('fail');
    expect(check.message).toContain('the API refuses the browser key (HTTP 401');
    expect(check.fix).toContain('belongs to another project or was revoked');
  });

  it('a database missing a migration of the checkout: names it and says how to apply it', async () => {
    // The checkout one migration ahead of the database, as after a pull without a push.
    const ahead = [...checkoutMigrations(), '20991231000000'];
    const check = await checkMigrations(target({ migrations: ahead }));
    expect(check.status).toBe('fail');
    expect(check.message).toBe('1 migration is not applied: 20991231000000');
    expect(check.fix).toContain('npm start');
    const hosted = await checkMigrations(
      target({ migrations: ahead, projectRef: 'abcdefghijklmnopqrst' }),
    );
    expect(hosted.fix).toContain('supabase db push');
  });

  it('a database ahead of the checkout: a warning to update the checkout', async () => {
    const check = await checkMigrations(target({ migrations: checkoutMigrations().slice(0, -1) }));
    expect(check.status).toBe('warn');
    expect(check.message).toBe(
      `the database has migrations this checkout does not: ${checkoutMigrations().at(-1)}`,
    );
  });

  it('a function that is not deployed: fails with the command to deploy it', async () => {
    const check = await probeFunction(
      target({ projectRef: 'abcdefghijklmnopqrst' }),
      'retired-function',
    );
    expect(check.check.status).toBe('fail');
    expect(check.check.message).toContain('retired-function is not deployed (HTTP 404');
    expect(check.check.fix).toBe(
      'deploy it: `supabase functions deploy retired-function --use-api`',
    );
  });

  it('the write probes see a granted write and change nothing (with the service_role key, which may insert)', async () => {
    const sql = adminSql();
    const count = () => sql`select
      (select count(*) from public.benchmark_runs)::int as runs,
      (select count(*) from public.run_metrics)::int as metrics,
      (select count(*) from public.benchmark_scenarios)::int as scenarios`;
    try {
      const [before] = await count();
      const problems = await grantProblems(target(), LOCAL_SERVICE_ROLE_KEY);
      expect(problems).toContain('service_role can read openai_usage');
      expect(problems).toContain('service_role may insert benchmark_runs (HTTP 400)');
      expect(problems).toContain('service_role may update run_metrics (HTTP 204)');
      expect(await count()).toEqual([before]);
    } finally {
      await sql.end();
    }
  });

  it('anon, as the migrations grant it: no problems', async () => {
    expect(await grantProblems(target(), LOCAL_ANON_KEY)).toEqual([]);
  });
});
