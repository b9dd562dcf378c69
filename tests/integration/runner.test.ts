import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { EventLogEntry } from '@core/benchmark-run.ts';
import { scenarioHash, scenarioSchema } from '@core/scenario.ts';
import { scenarioToYaml } from '@core/scenario-yaml.ts';
import { type GroupFigures, groupFigures } from '@core/statistics.ts';
import { computeVoiceMetrics } from '@core/voice-metrics.ts';
import { getComparison } from '@data/get-comparison.ts';
import { makeScenarioInput, makeScenarioRun } from '@engine/testing/benchmark-runs.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../config/env.ts';
import { benchCli } from '../support/bench-cli.ts';
import { adminSql, anonClient, apiUrl, saveRun } from '../support/stack-clients.ts';

const run = promisify(execFile);
const sql = adminSql();
const workDir = mkdtempSync(path.join(tmpdir(), 'bench-runner-'));
afterAll(async () => {
  await sql.end({ timeout: 1 });
  rmSync(workDir, { recursive: true, force: true });
});

/** `npm run bench -- …` as CI runs it, against the test stack (or another URL). */
const bench = (args: string[], env: Record<string, string> = {}) =>
  benchCli(args, { BENCH_OUTBOX_DIR: path.join(workDir, 'outbox'), ...env });

function writeScenario(file: string, name: string, prompt?: string): string {
  const input = makeScenarioInput({
    name,
    ...(prompt ? { interviewer: { prompt } } : {}),
    termination: { max_turns: 20 },
  });
  const target = path.join(workDir, file);
  writeFileSync(target, scenarioToYaml(scenarioSchema.parse(input)));
  return target;
}

/** A scenario version's stored runs, with their audio's duration and segments (null without audio). */
async function runsOf(hash: string) {
  return sql<
    {
      run_id: string;
      end_reason: string;
      num_turns: number;
      duration_ms: number;
      audio_ms: number | null;
      segments: number | null;
    }[]
  >`
    select r.run_id, r.end_reason, r.num_turns, r.duration_ms,
           a.duration_ms as audio_ms, jsonb_array_length(a.segments) as segments
    from public.benchmark_runs r left join public.benchmark_run_audio a using (run_id)
    where r.scenario_hash = ${hash}`;
}

/** Each run has its recording: as long as the run (within 5 %), one segment per interviewer turn. */
function expectRecorded(runs: Awaited<ReturnType<typeof runsOf>>, interviewerTurns: number) {
  for (const stored of runs) {
    expect(stored.audio_ms).not.toBeNull();
    expect(Math.abs((stored.audio_ms ?? 0) - stored.duration_ms)).toBeLessThanOrEqual(
      stored.duration_ms * 0.05,
    );
    expect(stored.segments).toBe(interviewerTurns);
  }
}

const hashOf = async (name: string, prompt?: string) =>
  scenarioHash(
    scenarioSchema.parse(
      makeScenarioInput({
        name,
        ...(prompt ? { interviewer: { prompt } } : {}),
        termination: { max_turns: 20 },
      }),
    ),
  );

describe('npm run bench -- run (offline agents, real stack)', () => {
  it("runs the README's offline --json command as written, and report.json is JSON", async () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const command = readme
      .split('\n')
      .find((line) => line.includes('--agents offline --json > report.json'));
    expect(command).toBeDefined();
    const report = path.join(repoRoot, 'report.json');
    try {
      const { stderr } = await run('sh', ['-c', command as string], {
        cwd: repoRoot,
        env: {
          ...process.env,
          SUPABASE_URL: apiUrl(),
          BENCH_OUTBOX_DIR: path.join(workDir, 'outbox'),
        },
      });
      const parsed = JSON.parse(readFileSync(report, 'utf8')) as {
        ok: boolean;
        runs: unknown[];
        model_warnings: unknown[];
      };
      expect({ ok: parsed.ok, runs: parsed.runs.length }).toEqual({ ok: true, runs: 1 });
      // Offline agents call no model, so no model's shutdown is reported (as in the console).
      expect(parsed.model_warnings).toEqual([]);
      expect(stderr).toMatch(/support-intake\.yaml/);
    } finally {
      rmSync(report, { force: true });
    }
  });

  it('saves three runs linked to the scenario; an edited prompt groups under a new version', async () => {
    const name = `Runner ${path.basename(workDir)}`;
    const file = writeScenario('runner.yaml', name);
    const common = [
      '--agents',
      'offline',
      '--turn-ms',
      '60',
      '--first-audio-ms',
      '30-90',
      '--json',
    ];
    const result = await bench(['run', file, '--runs', '3', '--concurrency', '2', ...common]);
    expect(result.stderr).toMatch(/scenario runner\.yaml: new/);
    expect(result.code).toBe(0);

    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      runs: Array<{ run_id: string; end_reason: string; save: string; scenario_hash: string }>;
      summary: Array<{ runs: number; saved: number; failed: number; figures: GroupFigures }>;
    };
    const hash = await hashOf(name);
    expect(report.ok).toBe(true);
    expect(report.summary).toEqual([expect.objectContaining({ runs: 3, saved: 3, failed: 0 })]);
    // The figures the runner printed are the ones /compare shows for the runs it stored.
    const [row] = await getComparison(anonClient(), name);
    const figures = Object.fromEntries(
      Object.keys(groupFigures([])).map((key) => [key, (row as never)[key]]),
    );
    expect(figures).toEqual(report.summary[0]?.figures);
    expect(figures).toMatchObject({ runs: 3 });
    expect(report.runs.every((r) => r.scenario_hash === hash && r.save === 'saved')).toBe(true);
    const stored = await runsOf(hash);
    expect(stored.map((r) => r.run_id).sort()).toEqual(report.runs.map((r) => r.run_id).sort());
    expect(stored.every((r) => r.end_reason === 'termination_cue' && r.num_turns === 7)).toBe(true);
    expectRecorded(stored, 4);

    const prompt = 'You are a product researcher. Ask one short question at a time.';
    const edited = writeScenario('runner.yaml', name, prompt);
    const again = await bench(['run', edited, '--runs', '1', ...common]);
    expect(again.code).toBe(0);
    const editedHash = await hashOf(name, prompt);
    expect(editedHash).not.toBe(hash);
    expect(await runsOf(editedHash)).toHaveLength(1);
    expect(await runsOf(hash)).toHaveLength(3);

    // Fewer offline questions say something else: another version, not the file's.
    const shorter = await bench(['run', edited, '--offline-questions', '1', ...common]);
    expect(shorter.code).toBe(0);
    const [short] = (JSON.parse(shorter.stdout) as { runs: Array<{ scenario_hash: string }> }).runs;
    const withOne = await scenarioHash(
      scenarioSchema.parse({
        ...makeScenarioInput({ name, interviewer: { prompt }, termination: { max_turns: 20 } }),
        offline: { questions: 1 },
      }),
    );
    expect(short?.scenario_hash).toBe(withOne);
    expect(await runsOf(withOne)).toEqual([expect.objectContaining({ num_turns: 3 })]);
    expect(await runsOf(editedHash)).toHaveLength(1);
  });

  it('plays the three example scenarios offline: each passes its own checks, first audio 300-900 ms', async () => {
    const files = ['product-research', 'support-intake', 'reluctant-screening'].map((name) =>
      path.join(repoRoot, 'scenarios', `${name}.yaml`),
    );
    const result = await bench([
      'run',
      ...files,
      '--agents',
      'offline',
      '--runs',
      '2',
      '--concurrency',
      '3',
      '--turn-ms',
      '60',
      '--seed',
      '7',
      '--fail-on-checks',
      '--json',
    ]);
    expect(result.stderr).not.toMatch(/check failed/);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      runs: Array<{ run_id: string; checks: Array<{ passed: boolean }> }>;
    };
    expect(report.runs).toHaveLength(6);
    for (const run of report.runs) {
      expect(run.checks.length).toBeGreaterThanOrEqual(3);
      expect(run.checks.every((check) => check.passed)).toBe(true);
    }
    const stored = await sql<
      {
        interviewer_model: string;
        first_audio_p50_ms: number;
        first_audio_p95_ms: number;
        checks_passed: number;
        checks_total: number;
        seed: number;
      }[]
    >`select m.interviewer_model, m.first_audio_p50_ms, m.first_audio_p95_ms,
        m.checks_passed, m.checks_total, (r.event_log->0->'event'->>'offline_seed')::int as seed
      from public.run_metrics m join public.benchmark_runs r using (run_id)
      where run_id = any(${report.runs.map((run) => run.run_id)}::uuid[])`;
    expect(stored).toHaveLength(6);
    expect(stored.map((row) => row.seed).sort((a, b) => a - b)).toEqual([7, 8, 9, 10, 11, 12]);
    for (const row of stored) {
      expect(row.interviewer_model).toBe('offline');
      expect(row.checks_passed).toBe(row.checks_total);
      // Timers fire no earlier than asked, and a busy machine may add a little.
      expect(row.first_audio_p50_ms).toBeGreaterThanOrEqual(300);
      expect(row.first_audio_p95_ms).toBeLessThan(1200);
    }
    expect(new Set(stored.map((row) => row.first_audio_p50_ms)).size).toBeGreaterThan(1);
  });

  it('keeps the runs in its outbox when the API is down, exits 1, and flush stores them once', async () => {
    const name = `Runner outbox ${path.basename(workDir)}`;
    const file = writeScenario('outbox.yaml', name);
    const outbox = path.join(workDir, 'outbox');
    const down = await bench(
      [
        'run',
        file,
        '--runs',
        '2',
        '--agents',
        'offline',
        '--turn-ms',
        '60',
        '--first-audio-ms',
        '30-90',
        '--save-timeout',
        '2',
      ],
      { SUPABASE_URL: 'http://127.0.0.1:9' },
    );
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/2 failed/);
    expect(down.stdout).toMatch(/kept in the outbox/);
    expect(readdirSync(outbox)).toHaveLength(2);
    const hash = await hashOf(name);
    expect(await runsOf(hash)).toHaveLength(0);

    const flushed = await bench(['flush']);
    expect(flushed.code).toBe(0);
    expect(flushed.stdout).toMatch(/2 saved, 0 left/);
    expect(readdirSync(outbox)).toEqual([]);
    const stored = await runsOf(hash);
    expect(stored).toHaveLength(2);
    // The outbox kept each run's audio on disk with it.
    expectRecorded(stored, 4);

    // A second flush has nothing to do.
    expect((await bench(['flush'])).stdout).toMatch(/0 saved, 0 left/);
  });

  it("reports each run's checks, and fails on them only with --fail-on-checks", async () => {
    const input = makeScenarioInput({
      name: `Runner checks ${path.basename(workDir)}`,
      checks: { must_mention: ['tools do you use', 'a phrase never said'], ended_by: 'cue' },
    });
    const file = path.join(workDir, 'checks.yaml');
    writeFileSync(file, scenarioToYaml(scenarioSchema.parse(input)));
    const args = [
      'run',
      file,
      '--agents',
      'offline',
      '--turn-ms',
      '60',
      '--first-audio-ms',
      '30-90',
    ];

    const lenient = await bench([...args, '--json']);
    expect(lenient.code).toBe(0);
    const [run] = (JSON.parse(lenient.stdout) as { runs: Array<{ checks: unknown[] }> }).runs;
    expect(run?.checks).toEqual([
      { check: 'must_mention: tools do you use', passed: true, detail: 'said' },
      { check: 'must_mention: a phrase never said', passed: false, detail: 'never said' },
      { check: 'ended_by: cue', passed: true, detail: 'ended by termination_cue' },
    ]);

    const strict = await bench([...args, '--fail-on-checks']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/check failed: .* #1: must_mention: a phrase never said/);
  });

  it('has each stored run judged with --judge, when its scenario has a rubric', async () => {
    const input = makeScenarioInput({
      name: `Runner judge ${path.basename(workDir)}`,
      rubric: { criteria: [{ name: 'Polite', description: 'Thanks the caller.' }] },
    });
    const file = path.join(workDir, 'judge.yaml');
    writeFileSync(file, scenarioToYaml(scenarioSchema.parse(input)));
    const result = await bench([
      'run',
      file,
      '--agents',
      'offline',
      '--turn-ms',
      '60',
      '--first-audio-ms',
      '30-90',
      '--judge',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      runs: Array<{ judge_score: number | null; run_id: string }>;
      summary: Array<{ figures: GroupFigures }>;
    };
    // The loopback OpenAI gives every criterion the top of the scale.
    expect(report.runs.map((r) => r.judge_score)).toEqual([1]);
    expect(report.summary[0]?.figures).toMatchObject({ mean_judge_score: 1, judged_runs: 1 });
    const [stored] = await sql`select count(*)::int as n from public.run_judgements
      where run_id = ${report.runs[0]?.run_id as string} and status = 'ok'`;
    expect(stored?.n).toBe(1);
  });

  it('fails with --fail-on-regression when the newest runs pass fewer checks than before', async () => {
    const input = makeScenarioInput({
      name: `Runner regression ${path.basename(workDir)}`,
      checks: { ended_by: 'cue' },
    });
    const offlineLog = [
      {
        direction: 'system' as const,
        timestamp: '2026-11-01T00:00:00.000Z',
        event: {
          type: 'run.started',
          model: 'offline',
          simulated_user_model: 'offline',
          agents: 'offline',
        },
      },
    ];
    // 30 runs that ended by the cue, then 10 that were cut off: the last ten pass 10% at best.
    for (let i = 0; i < 40; i++) {
      const run = makeScenarioRun(input, {
        created_at: new Date(Date.UTC(2026, 10, 1, i)).toISOString(),
        end_reason: i < 30 ? 'termination_cue' : 'user_ended',
        event_log: offlineLog,
      });
      expect((await saveRun(run)).status).toBe(201);
    }
    const file = path.join(workDir, 'regression.yaml');
    writeFileSync(file, scenarioToYaml(scenarioSchema.parse(input)));
    const args = [
      'run',
      file,
      '--agents',
      'offline',
      '--turn-ms',
      '60',
      '--first-audio-ms',
      '30-90',
    ];

    const gated = await bench([...args, '--fail-on-regression']);
    expect(gated.stderr).toMatch(
      /regression: Runner regression .*\(offline \+ offline\): pass rate: passed 10% of the last 10 runs vs 9[0-9]% of 30 before/,
    );
    expect(gated.code).toBe(1);
    // Without the flag the regression is reported, not fatal.
    expect((await bench(args)).code).toBe(0);
  });

  it('says there are too few runs to compare rather than passing --fail-on-regression silently', async () => {
    const name = `Runner few ${path.basename(workDir)}`;
    const file = writeScenario('few.yaml', name);
    const result = await bench([
      'run',
      file,
      '--runs',
      '2',
      '--agents',
      'offline',
      '--turn-ms',
      '60',
      '--fail-on-regression',
    ]);
    expect(result.stderr).toMatch(
      new RegExp(`regressions: ${name} \\(.+\\): not enough runs to compare \\(2 of 15 needed\\)`),
    );
    expect(result.stderr).not.toMatch(/no regression/i);
    // Too few runs is not a regression: the job is not failed for it.
    expect(result.code).toBe(0);
  });

  it('refuses a broken scenario file with its position and exit code 2, running nothing', async () => {
    const file = path.join(workDir, 'broken.yaml');
    writeFileSync(file, 'name: Broken\ninterviewer:\n  prompt: hi\nsimulated_user: {}\n');
    const result = await bench(['run', file, '--agents', 'offline']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.yaml: line 4, column \d+: simulated_user\.persona/);
  });

  it('runs a scenario in voice mode offline, gating on what the interviewer heard, and with the OpenAI agents', async () => {
    const file = path.join(workDir, 'spoken.yaml');
    writeFileSync(
      file,
      [
        'name: Spoken intake',
        'interviewer:',
        '  prompt: You are a support agent.',
        'simulated_user:',
        '  persona: You are Lee.',
        '  speech: { mode: voice, voice: ash, words_per_minute: 200, turn_detection: { type: server_vad, silence_duration_ms: 300 } }',
        'termination: { cue: that concludes our call, turn_timeout_seconds: 10 }',
        'checks: { max_wer: 0, max_voice_to_voice_ms: 1500, max_false_turns: 0, max_missed_turns: 0 }',
        'offline:',
        '  interviewer: [What is your order number?]',
        '  closing: Thank you. That concludes our call.',
        '  simulated_user: [It is 48 2210.]',
        '',
      ].join('\n'),
    );
    const result = await bench([
      'run',
      file,
      '--agents',
      'offline',
      '--turn-ms',
      '300',
      '--first-audio-ms',
      '100-200',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const [voiceRun] = (
      JSON.parse(result.stdout) as {
        runs: Array<{
          end_reason: string;
          save: string;
          checks: Array<{ check: string; passed: boolean }>;
        }>;
      }
    ).runs;
    expect(voiceRun).toMatchObject({ end_reason: 'termination_cue', save: 'saved' });
    expect(voiceRun?.checks.map((check) => [check.check, check.passed])).toEqual([
      ['max_voice_to_voice_ms: 1500', true],
      ['max_wer: 0', true],
      ['max_false_turns: 0', true],
      ['max_missed_turns: 0', true],
    ]);

    // The OpenAI agents (the loopback, over the runner's WebSocket) speak it too; the loopback
    // interviewer closes with its own cue.
    const openaiFile = path.join(workDir, 'spoken-openai.yaml');
    writeFileSync(
      openaiFile,
      readFileSync(file, 'utf8').replace('that concludes our call', 'that concludes our interview'),
    );
    const openai = await bench(['run', openaiFile, '--agents', 'openai', '--json']);
    expect(openai.code, openai.stderr).toBe(0);
    const [openaiRun] = (
      JSON.parse(openai.stdout) as { runs: Array<{ run_id: string; end_reason: string }> }
    ).runs;
    expect(openaiRun?.end_reason).toBe('termination_cue');
    const [stored] = await sql<{ event_log: EventLogEntry[] }[]>`
      select event_log from public.benchmark_runs where run_id = ${openaiRun?.run_id ?? ''}`;
    const events = stored?.event_log ?? [];
    expect(
      events.filter(
        (entry) => entry.event.type === 'conversation.item.input_audio_transcription.completed',
      ).length,
    ).toBeGreaterThan(0);
    const voice = computeVoiceMetrics({ event_log: events });
    expect(voice?.turns.length).toBeGreaterThan(0);
    expect(voice?.wer?.rate).toBe(0);
  }, 60_000);

  it('explains bad options with exit code 2', async () => {
    const result = await bench(['run', 'x.yaml', '--runs', 'zero']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--runs must be a whole number/);
    const range = await bench([
      'run',
      'x.yaml',
      '--agents',
      'offline',
      '--first-audio-ms',
      '900-300',
    ]);
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(/--first-audio-ms must be a range of whole milliseconds/);
  });
});
