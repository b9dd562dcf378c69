import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchmarkRun } from '@core/benchmark-run.ts';
import { type ModelLifecycleWarning, modelsLifecycleWarnings } from '@core/model-lifecycle.ts';
import type { CheckResult } from '@core/run-checks.ts';
import type { EndReason } from '@core/run-constants.ts';
import { measureRunRow } from '@core/run-metrics-row.ts';
import { type Scenario, scenarioHash, scenarioSchema } from '@core/scenario.ts';
import { parseScenarioYaml } from '@core/scenario-yaml.ts';
import { sessionLimitIssue } from '@core/session-limit.ts';
import type { WordErrors } from '@core/word-error-rate.ts';
import { type AgentsKind, createAgents } from '@engine/agents.ts';
import { recordRunAudio } from '@engine/audio/run-audio-recorder.ts';
import {
  BenchmarkingService,
  type BenchmarkSnapshot,
  isRunActive,
  type RunSink,
} from '@engine/benchmarking-service.ts';
import type { FunctionsEndpoint } from '@engine/functions-client.ts';
import { JudgeRunError, judgeRun } from '@engine/judge-client.ts';
import { newOfflineSeed } from '@engine/offline-agents.ts';
import type { FirstAudioRange } from '@engine/realtime/offline-transport.ts';
import type { RunOutbox } from '@engine/run-outbox.ts';
import { createSavingOutbox } from '@engine/save-run-client.ts';
import { benchmarkConfigFor } from '@engine/scenario-config.ts';
import { type SyncResult, uploadScenario } from '../config/scenario-files.ts';
import { createFileOutboxStore } from './file-outbox-store.ts';
import { registerOpusEncoder } from './opus-encoder.ts';

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
  hash: string;
}

/** A scenario file that cannot be run, with where it is wrong. */
export class ScenarioFileError extends Error {}

export async function loadScenarioFile(file: string): Promise<LoadedScenario> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    throw new ScenarioFileError(`${file}: ${(error as Error).message}`);
  }
  const parsed = await parseScenarioYaml(source);
  if (!parsed.ok) throw new ScenarioFileError(`${file}: ${parsed.message}`);
  return { file, scenario: parsed.scenario, hash: parsed.hash };
}

export type SaveOutcome = 'saved' | 'rejected' | 'pending';

export interface ScenarioModelWarning extends ModelLifecycleWarning {
  scenario: string;
}

/** Each scenario's interviewer and simulated-user models that are past or near their shutdown at `now`. */
export function scenarioModelWarnings(
  scenarios: readonly LoadedScenario[],
  now: Date,
): ScenarioModelWarning[] {
  return scenarios.flatMap(({ scenario }) =>
    modelsLifecycleWarnings([scenario.interviewer.model, scenario.simulated_user.model], now).map(
      (warning) => ({ scenario: scenario.name, ...warning }),
    ),
  );
}

export interface RunResult {
  scenario: string;
  file: string;
  scenarioHash: string;
  index: number;
  runId: string | null;
  endReason: EndReason | null;
  turns: number;
  durationMs: number;
  error: string | null;
  save: SaveOutcome;
  saveMessage: string | null;
  /** Measured here with the same functions the save function uses (see measureRun). */
  firstAudioP50Ms: number | null;
  firstAudioP95Ms: number | null;
  totalTokens: number;
  costUsd: number | null;
  checks: CheckResult[];
  /** A voice run's figures (computeVoiceMetrics); null or absent for a text run. */
  voice?: RunVoiceFigures | null;
  /** With --judge: the judge's overall score (0–1), or why there is none. */
  judgeScore?: number | null;
  judgeError?: string;
}

interface RunVoiceFigures {
  voiceToVoiceP50Ms: number | null;
  voiceToVoiceP95Ms: number | null;
  /** All utterances' word errors; null when none could be scored. */
  wer: WordErrors | null;
  /** Answers that started while the simulated user was still speaking. */
  falseEndOfTurns: number;
}

export type RunnerEvent =
  | { type: 'uploaded'; result: SyncResult }
  | { type: 'started'; scenario: string; index: number; of: number; runId: string }
  | {
      type: 'progress';
      active: Array<{ scenario: string; index: number; turns: number; elapsedMs: number }>;
    }
  | { type: 'ended'; result: RunResult };

export interface RunnerOptions {
  scenarios: LoadedScenario[];
  runs: number;
  concurrency: number;
  agents: AgentsKind;
  endpoint: FunctionsEndpoint;
  outboxDir: string;
  /**
   * Offline agents: questions before the closing line, overriding the
   * scenario's `offline.questions`; the runs then belong to that edited version.
   */
  offlineQuestions?: number;
  offlineTurnMs?: number;
  offlineFirstAudioMs?: FirstAudioRange;
  /**
   * Run n (from 0, in the order started) is seeded with seed + n: the offline
   * agents' timings and voice, and a voice scenario's noise with either agents.
   */
  seed?: number;
  /** How long to keep retrying saves after the last run ends; unsaved runs stay in the outbox. */
  saveTimeoutMs?: number;
  onEvent?: (event: RunnerEvent) => void;
  now?: () => number;
  /** Ask `judge-run` to score every stored run whose scenario has a rubric. */
  judge?: boolean;
}

export interface RunnerReport {
  results: RunResult[];
  wallMs: number;
  /** The scenarios' models that are shut down or shut down soon, as of the start. */
  modelWarnings?: ScenarioModelWarning[];
}

/**
 * Runs every scenario `runs` times, at most `concurrency` at once, through the
 * same BenchmarkingService as the console. Each finished run goes to an
 * on-disk outbox first, then to `save-benchmark-run`, so none is lost when the
 * API is down: what is not stored by the end stays for `bench flush`.
 */
export async function runScenarios(options: RunnerOptions): Promise<RunnerReport> {
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? (() => {});
  const started = now();

  if (options.agents === 'openai') {
    for (const { file, scenario } of options.scenarios) {
      const tooLong = sessionLimitIssue(scenario.termination);
      if (tooLong) throw new ScenarioFileError(`${file}: ${tooLong.message}`);
    }
  }
  for (const { file } of options.scenarios) {
    emit({ type: 'uploaded', result: await uploadScenario(options.endpoint, file) });
  }
  const scenarios =
    options.agents === 'offline' && options.offlineQuestions !== undefined
      ? await Promise.all(
          options.scenarios.map((loaded) =>
            withOfflineQuestions(loaded, options.offlineQuestions as number),
          ),
        )
      : options.scenarios;
  const baseSeed = options.seed ?? newOfflineSeed();
  registerOpusEncoder();

  const outbox = createSavingOutbox(options.endpoint, createFileOutboxStore(options.outboxDir));
  const saves = new Map<string, Promise<{ outcome: 'saved' | 'rejected'; message?: string }>>();
  const sink: RunSink = {
    submit(run, audio) {
      const settled = outbox.submit(run, audio);
      saves.set(run.run_id, settled);
      return settled;
    },
  };

  const jobs = scenarios.flatMap((loaded) =>
    Array.from({ length: options.runs }, (_, i) => ({ loaded, index: i + 1 })),
  );
  const active = new Map<BenchmarkingService, { scenario: string; index: number }>();
  const progress = setInterval(() => {
    emit({
      type: 'progress',
      active: [...active].map(([service, job]) => {
        const snapshot = service.getSnapshot();
        return {
          ...job,
          turns: snapshot.turnCount,
          elapsedMs: snapshot.startedAt ? now() - snapshot.startedAt : 0,
        };
      }),
    });
  }, 1000);

  const ended: Array<{ result: RunResult; snapshot: BenchmarkSnapshot }> = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const seed = (baseSeed + next) >>> 0;
      const job = jobs[next++] as (typeof jobs)[number];
      const service = new BenchmarkingService({ sink, recordAudio: recordRunAudio });
      active.set(service, { scenario: job.loaded.scenario.name, index: job.index });
      const snapshot = await runOnce(service, job.loaded, options, seed, (runId) =>
        emit({
          type: 'started',
          scenario: job.loaded.scenario.name,
          index: job.index,
          of: options.runs,
          runId,
        }),
      );
      active.delete(service);
      const result = toResult(job.loaded, job.index, snapshot, service.getLastRun());
      ended.push({ result, snapshot });
      emit({ type: 'ended', result });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    clearInterval(progress);
  }

  const deadline = new Promise<'timeout'>((resolve) =>
    setTimeout(() => resolve('timeout'), options.saveTimeoutMs ?? 30_000).unref(),
  );
  const results: RunResult[] = [];
  for (const { result } of ended) {
    const save = result.runId ? saves.get(result.runId) : undefined;
    const settled = save ? await Promise.race([save, deadline]) : 'timeout';
    results.push(
      settled === 'timeout'
        ? { ...result, save: 'pending', saveMessage: lastError(outbox, result.runId) }
        : { ...result, save: settled.outcome, saveMessage: settled.message ?? null },
    );
  }
  outbox.stop();
  if (options.judge) await judgeAll(results, scenarios, options.endpoint);
  return {
    results,
    wallMs: now() - started,
    // The offline agents call no model: a model's shutdown is no concern of theirs (as in the console).
    modelWarnings:
      options.agents === 'openai'
        ? scenarioModelWarnings(options.scenarios, new Date(started))
        : [],
  };
}

/**
 * Judges stored runs one scenario at a time; a judge that cannot run is
 * reported, not fatal. A missing key or a spent budget stops the judging: every
 * run left gets that answer without asking again.
 */
export async function judgeAll(
  results: RunResult[],
  scenarios: ReadonlyArray<Pick<LoadedScenario, 'hash' | 'scenario'>>,
  endpoint: FunctionsEndpoint,
): Promise<void> {
  const rubricOf = new Map(scenarios.map((s) => [s.hash, s.scenario.rubric]));
  let stopped: string | null = null;
  for (const result of results) {
    if (result.save !== 'saved' || !result.runId) continue;
    if (!rubricOf.get(result.scenarioHash)) {
      result.judgeError = 'the scenario has no rubric';
      continue;
    }
    if (stopped) {
      result.judgeError = stopped;
      continue;
    }
    try {
      result.judgeScore = (await judgeRun(endpoint, result.runId)).overall_score;
    } catch (error) {
      result.judgeError = (error as Error).message;
      if (error instanceof JudgeRunError && error.stopsBatch) stopped = result.judgeError;
    }
  }
}

/** The scenario with its offline questions set to `questions`: another version unless it already had that many. */
async function withOfflineQuestions(
  loaded: LoadedScenario,
  questions: number,
): Promise<LoadedScenario> {
  const scenario = scenarioSchema.parse({
    ...loaded.scenario,
    offline: { ...loaded.scenario.offline, questions },
  });
  return { ...loaded, scenario, hash: await scenarioHash(scenario) };
}

function runOnce(
  service: BenchmarkingService,
  loaded: LoadedScenario,
  options: RunnerOptions,
  seed: number,
  onStarted: (runId: string) => void,
): Promise<BenchmarkSnapshot> {
  return new Promise((resolve) => {
    let announced = false;
    const unsubscribe = service.subscribe(() => {
      const snapshot = service.getSnapshot();
      if (!announced && snapshot.runId) {
        announced = true;
        onStarted(snapshot.runId);
      }
      // Resolve once the run has ended and gone to the outbox; saving carries on in the background.
      if (snapshot.status !== 'idle' && !isRunActive(snapshot.status)) {
        unsubscribe();
        resolve(snapshot);
      }
    });
    const pacing = {
      seed,
      turnMs: options.offlineTurnMs ?? 1000,
      firstAudioMs: options.offlineFirstAudioMs,
    };
    const config = benchmarkConfigFor(
      loaded.scenario,
      options.agents === 'offline' ? { agents: 'offline', pacing } : { agents: 'openai' },
    );
    try {
      const agents = createAgents(
        loaded.scenario,
        options.agents === 'offline'
          ? { kind: 'offline', pacing }
          : {
              kind: 'openai',
              endpoint: options.endpoint,
              transport: 'websocket',
              noiseSeed: seed,
            },
      );
      void service.start(config, agents);
    } catch (error) {
      unsubscribe();
      throw error;
    }
  });
}

type RunMeasures = Pick<
  RunResult,
  'firstAudioP50Ms' | 'firstAudioP95Ms' | 'totalTokens' | 'costUsd' | 'checks' | 'voice'
>;

/**
 * What the runner reports of one run, measured from its payload by the same
 * code as the save function measures what it stores (measureRunRow), so the
 * runner's figures and the stored ones cannot drift apart.
 */
export function measureRun(run: BenchmarkRun | null, scenario: Scenario): RunMeasures {
  if (!run) {
    return {
      firstAudioP50Ms: null,
      firstAudioP95Ms: null,
      totalTokens: 0,
      costUsd: null,
      checks: [],
      voice: null,
    };
  }
  const { row: metrics, voice } = measureRunRow(run, scenario);
  return {
    firstAudioP50Ms: metrics.first_audio_p50_ms,
    firstAudioP95Ms: metrics.first_audio_p95_ms,
    totalTokens: metrics.total_tokens,
    costUsd: metrics.cost_usd,
    checks: metrics.checks,
    voice: voice && {
      voiceToVoiceP50Ms: voice.voice_to_voice_p50_ms,
      voiceToVoiceP95Ms: voice.voice_to_voice_p95_ms,
      wer: voice.wer,
      falseEndOfTurns: voice.false_end_of_turns,
    },
  };
}

function toResult(
  loaded: LoadedScenario,
  index: number,
  snapshot: BenchmarkSnapshot,
  run: BenchmarkRun | null,
): RunResult {
  return {
    scenario: loaded.scenario.name,
    file: path.basename(loaded.file),
    scenarioHash: loaded.hash,
    index,
    runId: snapshot.runId,
    endReason: snapshot.endReason,
    turns: snapshot.turnCount,
    durationMs: snapshot.startedAt && snapshot.endedAt ? snapshot.endedAt - snapshot.startedAt : 0,
    error: snapshot.error,
    save: 'pending',
    saveMessage: null,
    ...measureRun(run, loaded.scenario),
  };
}

function lastError(outbox: RunOutbox, runId: string | null): string | null {
  return outbox.getSnapshot().find((entry) => entry.run.run_id === runId)?.lastError ?? null;
}

/** A run failed when it ended in error or is not stored (refused, or still in the outbox). */
export function isFailure(result: RunResult): boolean {
  return result.endReason === 'error' || result.endReason === null || result.save !== 'saved';
}

export const failedChecks = (result: RunResult) => result.checks.filter((check) => !check.passed);
