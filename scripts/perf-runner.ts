/**
 * `npm run perf:runner`: the headless runner with offline agents against a throwaway
 * local stack. Prints runs per minute at several concurrencies, at the console's pace
 * (1 s interviewer turns, 300-900 ms to first audio) and fast (50 ms turns, 15-45 ms to
 * first audio, where the stack and the runner itself are what limit it), and checks every
 * run is stored once and linked to its scenario version.
 * Options: --runs N per setting (default 24), --concurrency 1,4,16 (comma-separated).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { LOCAL_PUBLISHABLE_KEY, repoRoot } from '../config/env.ts';
import { loadScenarioFile, runScenarios } from '../runner/run-scenarios.ts';
import { startThrowawayStack } from '../stack/throwaway-stack.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '24' },
    concurrency: { type: 'string', default: '1,4,16' },
  },
});
const runs = Number(values.runs);
const levels = values.concurrency.split(',').map(Number);

const stack = await startThrowawayStack('bench-runner');
const outboxDir = mkdtempSync(path.join(tmpdir(), 'bench-runner-outbox-'));
const sql = postgres(stack.dbUrl, { max: 1, onnotice: () => {} });
try {
  const endpoint = { functionsUrl: `${stack.apiUrl}/functions/v1`, anonKey: LOCAL_PUBLISHABLE_KEY };
  const scenario = await loadScenarioFile(path.join(repoRoot, 'scenarios', 'support-intake.yaml'));
  console.log(`runner, offline agents, ${runs} runs per setting ("${scenario.scenario.name}")\n`);
  console.log('turn      concurrency  wall       runs/min  turns/run  stored once & linked');
  for (const turnMs of [1000, 50]) {
    for (const concurrency of levels) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const report = await runScenarios({
        scenarios: [{ ...scenario }],
        runs,
        concurrency,
        agents: 'offline',
        endpoint,
        outboxDir,
        offlineTurnMs: turnMs,
        offlineFirstAudioMs: { min: turnMs * 0.3, max: turnMs * 0.9 },
      });
      const wall = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const ids = report.results.map((r) => r.runId as string);
      const [stored] = await sql<{ n: number }[]>`
        select count(*)::int as n from public.benchmark_runs
        where run_id = any(${ids}::uuid[]) and scenario_hash = ${scenario.hash}`;
      const allSaved = report.results.every((r) => r.save === 'saved');
      const turns = report.results.reduce((sum, r) => sum + r.turns, 0) / report.results.length;
      console.log(
        [
          `${turnMs} ms`.padEnd(8),
          String(concurrency).padEnd(11),
          `${(wall / 1000).toFixed(1)} s`.padEnd(9),
          ((runs / wall) * 60_000).toFixed(1).padEnd(8),
          turns.toFixed(1).padEnd(9),
          `${stored?.n}/${runs}${allSaved && stored?.n === runs ? ' ok' : ' MISSING'}`,
          `(runner CPU ${(((used.user + used.system) / 1000 / wall) * 100).toFixed(0)}%)`,
        ].join('  '),
      );
    }
  }
} finally {
  await sql.end({ timeout: 1 });
  await stack.dispose();
  rmSync(outboxDir, { recursive: true, force: true });
}
