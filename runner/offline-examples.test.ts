import path from 'node:path';
import type { BenchmarkRun } from '@core/benchmark-run.ts';
import { runMetricsRow } from '@core/run-metrics-row.ts';
import { type Scenario, scenarioSchema } from '@core/scenario.ts';
import { createAgents } from '@engine/agents.ts';
import { BenchmarkingService } from '@engine/benchmarking-service.ts';
import { benchmarkConfigFor } from '@engine/scenario-config.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadScenarioFile } from './run-scenarios.ts';
import { schemaFile } from './scenario-json-schema.ts';

const EXAMPLES = ['product-research.yaml', 'support-intake.yaml', 'reluctant-screening.yaml'];
const example = async (file: string) =>
  (await loadScenarioFile(path.join(path.dirname(schemaFile), file))).scenario;

afterEach(() => vi.useRealTimers());

/**
 * One run with the offline agents at their real pace (1 s a line, 300-900 ms
 * to first audio), on fake timers: the event log's clock moves as it would,
 * in no time.
 */
async function runOffline(scenario: Scenario, seed: number): Promise<BenchmarkRun> {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 23, 9, 0, 0) });
  let saved: BenchmarkRun | undefined;
  const service = new BenchmarkingService({
    sink: {
      submit: async (run) => {
        saved = run;
        return { outcome: 'saved' };
      },
    },
  });
  const pacing = { seed };
  await service.start(
    benchmarkConfigFor(scenario, { agents: 'offline', pacing }),
    createAgents(scenario, { kind: 'offline', pacing }),
  );
  for (let waited = 0; !saved && waited < 600_000; waited += 250) {
    await vi.advanceTimersByTimeAsync(250);
  }
  if (!saved) throw new Error(`${scenario.name}: the run did not end`);
  return saved;
}

describe('the example scenarios, played by the offline agents', () => {
  it.each(EXAMPLES)(
    '%s passes its own checks, with a realistic, varying first audio',
    async (file) => {
      const scenario = await example(file);
      const medians: number[] = [];
      for (const seed of [1, 2, 3, 4, 5]) {
        const run = await runOffline(scenario, seed);
        const metrics = runMetricsRow(run, scenario);
        expect(run.end_reason).toBe('termination_cue');
        expect(metrics.checks.length).toBeGreaterThanOrEqual(3);
        expect(metrics.checks.filter((check) => !check.passed)).toEqual([]);
        expect(metrics.interviewer_model).toBe('offline');
        expect(metrics.cost_usd).toBeNull();
        for (const ms of [metrics.first_audio_p50_ms, metrics.first_audio_p95_ms]) {
          expect(ms).toBeGreaterThanOrEqual(300);
          expect(ms).toBeLessThanOrEqual(900);
        }
        medians.push(metrics.first_audio_p50_ms as number);
      }
      expect(new Set(medians).size).toBeGreaterThan(1);
    },
  );

  it('fails the checks when its offline script is broken', async () => {
    const intake = await example('support-intake.yaml');
    const broken = scenarioSchema.parse({
      ...intake,
      offline: {
        interviewer: ['What seems to be the problem?', 'Please calm down.'],
        closing: 'Goodbye.',
      },
    });
    const metrics = runMetricsRow(await runOffline(broken, 1), broken);
    expect(metrics.checks.filter((check) => !check.passed).map((check) => check.check)).toEqual([
      'must_mention: order number',
      'must_mention: replacement',
      'must_not_mention: calm down',
      'ended_by: cue',
      'max_turns: 20',
    ]);
  });

  it('plays the same timings from the same seed', async () => {
    const scenario = await example('product-research.yaml');
    const times = (run: BenchmarkRun) =>
      run.event_log.map((entry) => Date.parse(entry.timestamp) - Date.parse(run.created_at ?? ''));
    expect(times(await runOffline(scenario, 9))).toEqual(times(await runOffline(scenario, 9)));
    expect(times(await runOffline(scenario, 9))).not.toEqual(times(await runOffline(scenario, 10)));
  });
});
