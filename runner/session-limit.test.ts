import { scenarioSchema } from '@core/scenario.ts';
import { makeScenarioInput } from '@engine/testing/benchmark-runs.ts';
import { describe, expect, it } from 'vitest';
import { runScenarios, ScenarioFileError } from './run-scenarios.ts';

describe('runScenarios with the OpenAI agents', () => {
  it('refuses, before uploading or running anything, a scenario whose run could outlast the Realtime session', async () => {
    const long = scenarioSchema.parse(
      makeScenarioInput({ termination: { max_turns: 200, turn_timeout_seconds: 30 } }),
    );
    const events: string[] = [];
    const refused = runScenarios({
      scenarios: [{ file: 'scenarios/long.yaml', scenario: long, hash: 'f'.repeat(64) }],
      runs: 1,
      concurrency: 1,
      agents: 'openai',
      // Nothing listens there: a request would fail with another error.
      endpoint: { functionsUrl: 'http://127.0.0.1:9/functions/v1', anonKey: 'anon' },
      outboxDir: '/nonexistent/outbox',
      onEvent: (event) => events.push(event.type),
    });
    await expect(refused).rejects.toThrow(ScenarioFileError);
    await expect(refused).rejects.toThrow(
      "scenarios/long.yaml: termination.max_turns × termination.turn_timeout_seconds (200 × 30 s) allows a run of up to 100 min, past the Realtime API's 60-minute session limit: lower termination.max_turns to 120 or termination.turn_timeout_seconds to 18",
    );
    expect(events).toEqual([]);
  });
});
