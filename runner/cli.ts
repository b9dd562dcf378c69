import { parseArgs } from 'node:util';
import { END_REASON_LABELS, formatDuration } from '@core/format.ts';
import { describeRegressionCheck } from '@core/regressions.ts';
import { METRICS_VERSION } from '@core/run-metrics.ts';
import { type AppSupabaseClient, createAppSupabaseClient } from '@data/client.ts';
import { modelsLabel } from '@data/get-daily.ts';
import { getRegressions, scenarioVerdict } from '@data/get-regressions.ts';
import type { FunctionsEndpoint } from '@engine/functions-client.ts';
import { createSavingOutbox } from '@engine/save-run-client.ts';
import postgres from 'postgres';
import { readStackEnv } from '../config/env.ts';
import { formatSyncResult, syncScenarios } from '../config/scenario-files.ts';
import { backfillMetrics } from './backfill-metrics.ts';
import { doctorFailed, formatDoctor, runDoctor } from './doctor.ts';
import { doctorTargetFromEnv } from './doctor-target.ts';
import { createFileOutboxStore } from './file-outbox-store.ts';
import { formatSummary, reportJson } from './report.ts';
import {
  failedChecks,
  isFailure,
  loadScenarioFile,
  type RunnerEvent,
  runScenarios,
  ScenarioFileError,
} from './run-scenarios.ts';

const USAGE = `Usage: npm run bench -- <command> [options]

Commands:
  run <scenario.yaml…>   run each scenario, saving every run like the console does
      --runs N              runs per scenario (default 1)
      --concurrency N       runs at once (default 1)
      --agents openai|offline
                            OpenAI's models through the edge functions (default), or the
                            offline demo agents (no key, no network but the API)
      --offline-questions N questions the offline interviewer asks before its closing line
                            (default: the scenario's offline.questions); the runs then
                            belong to the scenario version with that many questions
      --turn-ms N           how long the offline interviewer takes to say a line, in ms
                            (default 1000)
      --first-audio-ms A-B  the offline interviewer's time to first audio, in ms, drawn
                            per turn between A and B (default 300-900)
      --seed N              seed of the offline timings and of a voice scenario's noise:
                            run n of this command gets N + n (default: random; each run
                            records its seed)
      --save-timeout S      seconds to keep retrying saves at the end (default 30)
      --json                print the report as JSON on stdout (progress goes to stderr)
      --judge               have judge-run score each stored run against its scenario's rubric
      --fail-on-checks      exit 1 when a run fails one of its scenario's checks
      --fail-on-regression  exit 1 when, after these runs, a scenario's newest runs are worse
                            than the ones before them (pass rate, first audio, cost)
  sync [dir]             upsert every scenario file of dir (default: scenarios/)
  flush                  deliver the runs waiting in the outbox
      --save-timeout S      seconds to keep retrying (default 30)
  backfill-metrics       compute run metrics and checks for runs saved without them
      --all                 recompute every run (after a pricing or checks change)
                            (connects to SUPABASE_DB_URL; default: the local stack's database)
  doctor                 check the Supabase project (local or hosted) the runner and console
                         use: URL, keys, migrations, functions, grants, OpenAI, advisors;
                         exit 1 when a check fails (warnings do not fail)
      --json                print the checks as JSON

The API is the local stack unless SUPABASE_URL (and SUPABASE_PUBLISHABLE_KEY) say otherwise,
from the environment or .env. Runs wait in BENCH_OUTBOX_DIR (default .bench-outbox/)
until the API has stored them.`;

/** Usage errors: exit code 2, like a bad scenario file. */
class UsageError extends Error {}

function positiveInt(value: string | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) {
    throw new UsageError(`--${name} must be a whole number of at least ${min}, not "${value}"`);
  }
  return number;
}

/** "300-900" → { min: 300, max: 900 }. */
function msRange(value: string | undefined, name: string) {
  if (value === undefined) return undefined;
  const match = /^(\d+)-(\d+)$/.exec(value);
  const [min, max] = match ? [Number(match[1]), Number(match[2])] : [Number.NaN, Number.NaN];
  if (!match || min > max) {
    throw new UsageError(
      `--${name} must be a range of whole milliseconds like 300-900, not "${value}"`,
    );
  }
  return { min, max };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      runs: { type: 'string' },
      concurrency: { type: 'string' },
      agents: { type: 'string' },
      'offline-questions': { type: 'string' },
      'turn-ms': { type: 'string' },
      'first-audio-ms': { type: 'string' },
      seed: { type: 'string' },
      'save-timeout': { type: 'string' },
      json: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      'fail-on-checks': { type: 'boolean', default: false },
      judge: { type: 'boolean', default: false },
      'fail-on-regression': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...args] = positionals;
  if (values.help || !command || command === 'help') {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }

  const env = readStackEnv();
  const apiUrl = env.SUPABASE_URL ?? `http://127.0.0.1:${env.BENCH_API_PORT}`;
  const endpoint: FunctionsEndpoint = {
    functionsUrl: `${apiUrl}/functions/v1`,
    anonKey: env.SUPABASE_PUBLISHABLE_KEY,
  };
  const saveTimeoutMs = positiveInt(values['save-timeout'], 'save-timeout', 30, 0) * 1000;

  switch (command) {
    case 'doctor': {
      const results = await runDoctor(doctorTargetFromEnv(env));
      const failed = doctorFailed(results);
      if (values.json) console.log(JSON.stringify({ ok: !failed, checks: results }, null, 2));
      else console.log(formatDoctor(results));
      return failed ? 1 : 0;
    }
    case 'sync': {
      const results = await syncScenarios(endpoint, args[0] ?? env.BENCH_SCENARIOS_DIR);
      for (const result of results) console.log(formatSyncResult(result));
      if (results.length === 0) console.log('no scenario files found');
      return results.every((r) => r.outcome === 'new' || r.outcome === 'unchanged') ? 0 : 1;
    }
    case 'flush':
      return flush(endpoint, env.BENCH_OUTBOX_DIR, saveTimeoutMs);
    case 'backfill-metrics': {
      const dbUrl =
        process.env.SUPABASE_DB_URL ||
        `postgresql://postgres:postgres@127.0.0.1:${env.BENCH_DB_PORT}/postgres`;
      const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
      try {
        const report = await backfillMetrics(sql, {
          all: values.all,
          onBatch: (done) => process.stderr.write(`\r${done} runs computed`),
        });
        console.log(`\n${report.computed} runs given metrics (version ${METRICS_VERSION})`);
        return 0;
      } finally {
        await sql.end({ timeout: 5 });
      }
    }
    case 'run': {
      if (args.length === 0) throw new UsageError('name at least one scenario file to run');
      const agents = values.agents ?? 'openai';
      if (agents !== 'openai' && agents !== 'offline') {
        throw new UsageError(`--agents must be openai or offline, not "${agents}"`);
      }
      const counts = {
        runs: positiveInt(values.runs, 'runs', 1),
        concurrency: positiveInt(values.concurrency, 'concurrency', 1),
        offlineQuestions:
          values['offline-questions'] === undefined
            ? undefined
            : positiveInt(values['offline-questions'], 'offline-questions', 0, 0),
        offlineTurnMs: positiveInt(values['turn-ms'], 'turn-ms', 1000),
        offlineFirstAudioMs: msRange(values['first-audio-ms'], 'first-audio-ms'),
        seed: values.seed === undefined ? undefined : positiveInt(values.seed, 'seed', 0, 0) >>> 0,
      };
      const scenarios = await Promise.all(args.map(loadScenarioFile));
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const report = await runScenarios({
        scenarios,
        ...counts,
        agents,
        endpoint,
        outboxDir: env.BENCH_OUTBOX_DIR,
        saveTimeoutMs,
        judge: values.judge,
        onEvent: progressPrinter(log),
      });
      if (values.json) console.log(JSON.stringify(reportJson(report), null, 2));
      else console.log(`\n${formatSummary(report)}`);
      const checksFailed = report.results.some((result) => failedChecks(result).length > 0);
      const regressed = await reportRegressions(
        createAppSupabaseClient(apiUrl, env.SUPABASE_PUBLISHABLE_KEY),
        [...new Set(scenarios.map((loaded) => loaded.scenario.name))],
      );
      const failed =
        report.results.some(isFailure) ||
        (values['fail-on-checks'] && checksFailed) ||
        (values['fail-on-regression'] && regressed);
      return failed ? 1 : 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** One line per start and end; on a terminal, also a status line of the runs under way. */
function progressPrinter(log: (line: string) => void) {
  const tty = process.stderr.isTTY;
  const clear = () => tty && process.stderr.write('\r\x1b[2K');
  return (event: RunnerEvent) => {
    switch (event.type) {
      case 'uploaded':
        log(`scenario ${formatSyncResult(event.result)}`);
        break;
      case 'started':
        clear();
        log(`▶ ${event.scenario} #${event.index}/${event.of} ${event.runId}`);
        break;
      case 'ended': {
        const r = event.result;
        clear();
        const reason = r.endReason ? (END_REASON_LABELS[r.endReason] ?? r.endReason) : 'no end';
        log(
          `■ ${r.scenario} #${r.index} ${r.runId}: ${reason}, ${r.turns} turns, ${formatDuration(r.durationMs)}${r.error ? ` (${r.error})` : ''}`,
        );
        break;
      }
      case 'progress':
        if (tty && event.active.length > 0) {
          const parts = event.active.map(
            (run) =>
              `${run.scenario} #${run.index}: ${run.turns} turns ${formatDuration(run.elapsedMs)}`,
          );
          process.stderr.write(`\r\x1b[2K… ${parts.join(' | ')}`.slice(0, process.stderr.columns));
        }
        break;
    }
  };
}

/**
 * Prints, per scenario and model pair, what regressed, or what was compared,
 * or why nothing could be (to stderr); true when anything regressed.
 */
async function reportRegressions(client: AppSupabaseClient, names: string[]): Promise<boolean> {
  let any = false;
  for (const name of names) {
    try {
      const result = await getRegressions(client, name);
      const verdict = scenarioVerdict(result);
      if (verdict) process.stderr.write(`regressions: ${name}: ${verdict}\n`);
      for (const group of result.groups) {
        const { check } = group;
        if (check.regressions.length > 0) any = true;
        const label = check.regressions.length > 0 ? 'regression' : 'regressions';
        process.stderr.write(
          `${label}: ${name} (${modelsLabel(group)}): ${describeRegressionCheck(check)}\n`,
        );
      }
    } catch (error) {
      process.stderr.write(`regressions of ${name} not checked: ${(error as Error).message}\n`);
    }
  }
  return any;
}

async function flush(endpoint: FunctionsEndpoint, outboxDir: string, timeoutMs: number) {
  const outbox = createSavingOutbox(endpoint, createFileOutboxStore(outboxDir));
  const delivered: string[] = [];
  outbox.onDelivered((run) => delivered.push(run.run_id));
  await outbox.init();
  const waiting = () => outbox.getSnapshot().filter((entry) => entry.state !== 'rejected');
  const deadline = Date.now() + timeoutMs;
  while (waiting().length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  outbox.stop();
  for (const runId of delivered) console.log(`saved ${runId}`);
  const left = outbox.getSnapshot();
  for (const entry of left) {
    const state = entry.state === 'rejected' ? 'refused' : 'still waiting';
    console.log(`${state} ${entry.run.run_id}: ${entry.lastError ?? 'not sent yet'}`);
  }
  console.log(`${delivered.length} saved, ${left.length} left in ${outboxDir}`);
  return left.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    const known = error instanceof UsageError || error instanceof ScenarioFileError;
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof UsageError) console.error('run `npm run bench -- help` for usage');
    process.exit(known ? 2 : 1);
  },
);
