import { scenarioSchema } from '@core/scenario.ts';
import { makeScenarioInput } from '@engine/testing/benchmark-runs.ts';
import { describe, expect, it } from 'vitest';
import { formatSummary, reportJson } from './report.ts';
import { type LoadedScenario, scenarioModelWarnings } from './run-scenarios.ts';

const loaded = (interviewer: string, simulatedUser: string, name: string): LoadedScenario => {
  const input = makeScenarioInput({ name });
  return {
    file: `${name}.yaml`,
    hash: 'a'.repeat(64),
    scenario: scenarioSchema.parse({
      ...input,
      interviewer: { ...input.interviewer, model: interviewer },
      simulated_user: { ...input.simulated_user, model: simulatedUser },
    }),
  };
};

describe('the runner summary warns of models past or near their shutdown', () => {
  const scenarios = [
    loaded('gpt-realtime', 'gpt-4.1-nano', 'Old models'),
    loaded('gpt-realtime-2.1', 'gpt-6-luna', 'Current models'),
  ];

  it('names the scenario and each model, as of the start of the run', () => {
    const warnings = scenarioModelWarnings(scenarios, new Date('2026-12-01T08:00:00Z'));
    expect(warnings.map((w) => [w.scenario, w.model, w.daysLeft])).toEqual([
      ['Old models', 'gpt-realtime', 50],
      ['Old models', 'gpt-4.1-nano', -39],
    ]);
    // Long before any shutdown: nothing to say.
    expect(scenarioModelWarnings(scenarios, new Date('2026-06-01T00:00:00Z'))).toEqual([]);
  });

  it('prints them under the table and lists them in the JSON report', () => {
    const modelWarnings = scenarioModelWarnings(scenarios, new Date('2026-12-01T08:00:00Z'));
    const report = { results: [], wallMs: 1000, modelWarnings };
    const text = formatSummary(report);
    expect(text).toContain(
      '⚠ Old models: gpt-realtime shuts down on 2027-01-20 (in 50 days); OpenAI recommends gpt-realtime-2.1',
    );
    expect(text).toContain('⚠ Old models: gpt-4.1-nano was shut down on 2026-10-23');
    expect(reportJson(report).model_warnings).toEqual([
      expect.objectContaining({ scenario: 'Old models', model: 'gpt-realtime', days_left: 50 }),
      expect.objectContaining({ model: 'gpt-4.1-nano', shutdown: '2026-10-23', days_left: -39 }),
    ]);
  });
});
