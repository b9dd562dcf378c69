import { scenarioSchema } from '@core/scenario.ts';
import { describe, expect, it } from 'vitest';
import { benchmarkConfigFor, SessionLimitError } from './scenario-config.ts';
import { makeScenarioInput } from './testing/benchmark-runs.ts';

const scenario = (max_turns: number, turn_timeout_seconds: number) =>
  scenarioSchema.parse(makeScenarioInput({ termination: { max_turns, turn_timeout_seconds } }));

describe('benchmarkConfigFor', () => {
  it('refuses, for the OpenAI agents, a run that could outlast the 60-minute Realtime session', () => {
    expect(() => benchmarkConfigFor(scenario(100, 60), { agents: 'openai' })).toThrow(
      SessionLimitError,
    );
    expect(() => benchmarkConfigFor(scenario(100, 60), { agents: 'openai' })).toThrow(
      /^termination\.max_turns × termination\.turn_timeout_seconds \(100 × 60 s\) allows a run of up to 100 min/,
    );
    expect(benchmarkConfigFor(scenario(60, 60), { agents: 'openai' })).toMatchObject({
      maxTurns: 60,
      turnTimeoutMs: 60_000,
    });
  });

  it('lets the offline agents, which have no session, run as long as the scenario says', () => {
    const config = benchmarkConfigFor(scenario(100, 60), {
      agents: 'offline',
      pacing: { seed: 1 },
    });
    expect(config).toMatchObject({ maxTurns: 100, turnTimeoutMs: 60_000 });
  });
});
