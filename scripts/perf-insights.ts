/**
 * `npm run perf:insights`: the comparison table, the trends and the regression
 * query at scale. Uses the perf:results database (seeding runs when missing),
 * spreads the runs over 20 scenarios and 2 interviewer models, gives each run
 * metrics and every tenth a judgement, then prints p50/p95 of each query as the
 * pages ask it (postgrest-js through the gateway) with its EXPLAIN plan.
 * Options: --runs N (default 1,000,000), --samples N, --data-dir DIR.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createAppSupabaseClient } from '@data/client.ts';
import { getComparison } from '@data/get-comparison.ts';
import { getDaily } from '@data/get-daily.ts';
import { getRegressions } from '@data/get-regressions.ts';
import postgres from 'postgres';
import { LOCAL_PUBLISHABLE_KEY, repoRoot } from '../config/env.ts';
import { startLocalStack } from '../stack/stack.ts';
import { throwawayStackOptions } from '../stack/throwaway-stack.ts';
import { percentile, sample } from './measure.ts';
import { seedRuns } from './seed-runs.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '50' },
    'data-dir': { type: 'string', default: path.join(repoRoot, '.bench-results-data') },
  },
});
const targetRuns = Number(values.runs);
const samples = Number(values.samples);
const SCENARIOS = 20;
const TARGET_MS = 200;

const options = await throwawayStackOptions('insights', { dataDir: values['data-dir'] as string });
const stack = await startLocalStack(options);
const sql = postgres(stack.dbUrl, { max: 1, onnotice: () => {} });
const timed = async (label: string, work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  console.log(`  ${label} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
};

try {
  const [{ n: existing }] =
    (await sql`select count(*)::int as n from public.benchmark_runs`) as unknown as [{ n: number }];
  if (existing < targetRuns) {
    await timed(`seeded ${(targetRuns - existing).toLocaleString('en')} runs`, async () => {
      for (let offset = existing; offset < targetRuns; offset += 50_000) {
        await seedRuns(sql, targetRuns - offset, 50_000, offset);
      }
    });
  }

  await sql.begin(async (tx) => {
    await tx`set local role service_role`;
    await tx`
      insert into public.benchmark_scenarios (scenario_hash, name, content)
      select encode(sha256(convert_to('bench scenario ' || i, 'UTF8')), 'hex'),
             'Bench scenario ' || i, jsonb_build_object('name', 'Bench scenario ' || i)
      from generate_series(1, ${SCENARIOS}) as i
      on conflict do nothing`;
  });
  const [{ n: unlinked }] = (await sql`
    select count(*)::int as n from public.benchmark_runs where scenario_hash is null`) as unknown as [
    { n: number },
  ];
  if (unlinked > 0) {
    await timed(
      `linked ${unlinked.toLocaleString('en')} runs to scenarios`,
      () =>
        sql`
        update public.benchmark_runs
        set scenario_hash = encode(sha256(convert_to(
              'bench scenario ' || (1 + abs(hashtext(run_id::text)) % ${SCENARIOS}), 'UTF8')), 'hex')
        where scenario_hash is null`,
    );
  }
  await timed('measured runs without metrics, judged every tenth', async () => {
    await sql`
      insert into public.run_metrics
        (run_id, scenario_hash, created_at, metrics_version, interviewer_model, simulated_user_model, interviewer_turns,
         first_text_p50_ms, first_text_p95_ms, first_audio_p50_ms, first_audio_p95_ms,
         responses_completed, tokens, total_tokens, cost_usd, pricing_version,
         checks, checks_passed, checks_total)
      select r.run_id, r.scenario_hash, r.created_at, 1,
             case when h % 2 = 0 then 'gpt-realtime' else 'gpt-realtime-mini' end, 'gpt-4.1-mini', 3,
             300 + h % 200, 500 + h % 300, 400 + h % 300, 700 + h % 500,
             3, '{}'::jsonb, 3000 + h % 1000, 0.02 + (h % 100) / 10000.0, '2025-09-01',
             '[]'::jsonb, case when h % 10 < 8 then 3 else 2 end, 3
      from public.benchmark_runs r
      cross join lateral (select abs(hashtext(r.run_id::text)) as h) hashed
      where not exists (select 1 from public.run_metrics m where m.run_id = r.run_id)`;
    await sql.begin(async (tx) => {
      await tx`set local role service_role`;
      await tx`
        insert into public.run_judgements (run_id, judge_model, rubric_hash, status, overall_score)
        select run_id, 'gpt-4.1', repeat('a', 64), 'ok', (abs(hashtext(run_id::text)) % 100) / 100.0
        from public.benchmark_runs r
        where abs(hashtext(run_id::text)) % 10 = 0
          and not exists (select 1 from public.run_judgements j where j.run_id = r.run_id)`;
      await tx`
        update public.run_metrics m set latest_judge_score = j.overall_score
        from public.run_judgements j
        where j.run_id = m.run_id and m.latest_judge_score is null`;
    });
    // What autovacuum does after a bulk load: statistics, and the visibility map index-only scans need.
    await sql`vacuum analyze public.benchmark_runs`;
    await sql`vacuum analyze public.run_metrics`;
    await sql`vacuum analyze public.run_judgements`;
  });

  const [{ n: total }] =
    (await sql`select count(*)::int as n from public.benchmark_runs`) as unknown as [{ n: number }];
  const [{ n: perScenario }] = (await sql`
    select count(*)::int as n from public.benchmark_runs r
    join public.benchmark_scenarios s using (scenario_hash) where s.name = 'Bench scenario 7'`) as unknown as [
    { n: number },
  ];
  console.log(
    `\nComparison, trends and regressions, ${total.toLocaleString('en')} runs, ${perScenario.toLocaleString('en')} in the scenario asked for\n`,
  );
  const client = createAppSupabaseClient(stack.apiUrl, LOCAL_PUBLISHABLE_KEY);
  const name = 'Bench scenario 7';
  const from = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
  const queries: Array<[string, () => Promise<unknown>, string]> = [
    [
      '/compare table (one scenario, all its runs)',
      () => getComparison(client, name),
      `select * from public.benchmark_comparison where scenario_name = '${name}'`,
    ],
    [
      '/trends days (one scenario, 90 days)',
      () => getDaily(client, name, from),
      `select * from public.benchmark_daily where scenario_name = '${name}' and day >= '${from}'`,
    ],
    ['regressions (newest 400 runs of one scenario)', () => getRegressions(client, name), ''],
  ];
  const rows: string[] = [];
  for (const [label, query, explain] of queries) {
    const timings = await sample(samples, query, 3);
    const [p50, p95] = [percentile(timings, 50), percentile(timings, 95)];
    const line = `${label}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target p50 < ${TARGET_MS} ms) ${p50 < TARGET_MS ? 'ok' : 'MISSED'}`;
    console.log(`  ${line}`);
    rows.push(line);
    if (explain) {
      const plan = await sql.unsafe(
        `explain (analyze, costs off, timing off, summary on) ${explain}`,
      );
      console.log(plan.map((row) => `    ${row['QUERY PLAN']}`).join('\n'));
    }
  }
} finally {
  await sql.end({ timeout: 1 });
  await stack.stop();
}
