import { type Scenario, type ScenarioInput, scenarioHash, scenarioSchema } from '@core/scenario.ts';
import { describe, expect, it } from 'vitest';
import { type ConsoleSettings, checkScenario, defaultSettings } from './settings.ts';
import { describeSettingsIssues } from './settings-issues.ts';

function scenarioOf(settings: ConsoleSettings): Scenario {
  const checked = checkScenario(settings);
  if (!checked.success) throw new Error(describeSettingsIssues(checked.error.issues));
  return checked.data;
}
const versionOf = (settings: ConsoleSettings) => scenarioHash(scenarioOf(settings));

/** The settings with some of the scenario's fields edited, as the form does. */
const edit = (settings: ConsoleSettings, changes: Partial<ScenarioInput>): ConsoleSettings => ({
  ...settings,
  scenario: { ...settings.scenario, ...changes },
});
const withQuestions = (settings: ConsoleSettings, questions: number) =>
  edit(settings, { offline: { ...settings.scenario.offline, questions } });
const withTermination = (
  settings: ConsoleSettings,
  changes: NonNullable<ScenarioInput['termination']>,
) => edit(settings, { termination: { ...settings.scenario.termination, ...changes } });

const SCRIPTED = scenarioSchema.parse({
  name: 'Customer support intake',
  interviewer: { prompt: 'You are a support agent.' },
  simulated_user: { persona: 'You are Lee.' },
  termination: { cue: 'that concludes our call' },
  offline: {
    interviewer: ['What is your order number?', 'What broke?', 'Refund or replacement?'],
    simulated_user: ['48-2210.', 'The lamp.', 'Replacement.'],
  },
});

describe('console settings as a scenario version', () => {
  it('make the questions before the cue part of the version', async () => {
    const settings = defaultSettings('offline');
    const three = await versionOf(settings);
    const fifty = await versionOf(withQuestions(settings, 50));
    expect(fifty).not.toBe(three);
    expect(scenarioOf(withQuestions(settings, 50)).offline?.questions).toBe(50);
    // Back at the default, it is the version it was (and the one stored before the field counted).
    expect(await versionOf(withQuestions(settings, 3))).toBe(three);
    expect(scenarioOf(settings).offline).toBeUndefined();
  });

  it('keep a picked scenario, offline script included, as that version', async () => {
    const picked: ConsoleSettings = { ...defaultSettings('offline'), scenario: SCRIPTED };
    expect(picked.scenario.offline?.questions).toBe(3);
    expect(await versionOf(picked)).toBe(await scenarioHash(SCRIPTED));
    const fewer = scenarioOf(withQuestions(picked, 1));
    expect(fewer.offline).toMatchObject({
      questions: 1,
      simulated_user: SCRIPTED.offline?.simulated_user,
    });
    expect(await scenarioHash(fewer)).not.toBe(await scenarioHash(SCRIPTED));
  });
});

describe('settings errors', () => {
  const base = defaultSettings('offline');
  const problems = (settings: ConsoleSettings) => {
    const checked = checkScenario(settings);
    return checked.success ? '' : describeSettingsIssues(checked.error.issues);
  };
  const maxTurns = (max_turns: number) => withTermination(base, { max_turns });

  it("say what is wrong in the field's own terms", () => {
    expect(problems(maxTurns(0))).toBe('Max turns must be between 1 and 1000');
    expect(problems(maxTurns(1001))).toBe('Max turns must be between 1 and 1000');
    expect(problems(maxTurns(2.5))).toBe('Max turns must be a whole number between 1 and 1000');
    expect(problems(withTermination(base, { turn_timeout_seconds: 1 }))).toBe(
      'Turn timeout must be between 5 and 600 seconds',
    );
    expect(problems(withQuestions(base, 60))).toBe(
      'Questions before the cue must be between 0 and 50',
    );
    expect(
      problems(edit(base, { simulated_user: { ...base.scenario.simulated_user, persona: '   ' } })),
    ).toBe('Simulated user prompt must not be empty');
    expect(problems(edit(base, { name: 'x'.repeat(201) }))).toBe(
      'Scenario name must be at most 200 characters',
    );
    expect(problems(withTermination(base, { max_turns: 0, cue: '' }))).toBe(
      'Termination cue must not be empty; Max turns must be between 1 and 1000',
    );
  });
});

describe('a scenario in voice mode', () => {
  const spoken = (agents: ConsoleSettings['agents']) => {
    const settings = defaultSettings(agents);
    return edit(settings, {
      simulated_user: {
        ...settings.scenario.simulated_user,
        speech: { mode: 'voice', voice: 'ash' },
      },
    });
  };

  it('may ask the user to barge in, whichever the agents', () => {
    for (const agents of ['offline', 'openai'] as const) {
      const settings = spoken(agents);
      const barging = edit(settings, {
        simulated_user: {
          ...settings.scenario.simulated_user,
          speech: { mode: 'voice', voice: 'ash', interrupt_after_ms: 1500 },
        },
      });
      expect(checkScenario(barging).success).toBe(true);
    }
  });

  it('runs with the offline agents', () => {
    expect(checkScenario(spoken('offline')).success).toBe(true);
  });

  it('runs with the OpenAI agents over WebSocket', () => {
    expect(checkScenario({ ...spoken('openai'), transport: 'websocket' }).success).toBe(true);
  });

  it('runs with the OpenAI agents over WebRTC (the default)', () => {
    expect(checkScenario(spoken('openai')).success).toBe(true);
  });
});
