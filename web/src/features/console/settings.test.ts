import { type Scenario, scenarioHash, scenarioSchema } from '@core/scenario.ts';
import { describe, expect, it } from 'vitest';
import {
  applyScenario,
  type ConsoleSettings,
  defaultSettings,
  scenarioOfSettings,
} from './settings.ts';
import { describeSettingsIssues } from './settings-issues.ts';

function scenarioOf(settings: ConsoleSettings): Scenario {
  const checked = scenarioOfSettings(settings);
  if (!checked.success) throw new Error(describeSettingsIssues(checked.error.issues));
  return checked.data;
}
const versionOf = (settings: ConsoleSettings) => scenarioHash(scenarioOf(settings));

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
    const fifty = await versionOf({ ...settings, offlineQuestions: 50 });
    expect(fifty).not.toBe(three);
    expect(scenarioOf({ ...settings, offlineQuestions: 50 }).offline?.questions).toBe(50);
    // Back at the default, it is the version it was (and the one stored before the field counted).
    expect(await versionOf({ ...settings, offlineQuestions: 3 })).toBe(three);
    expect(scenarioOf(settings).offline).toBeUndefined();
  });

  it('keep a picked scenario, offline script included, as that version', async () => {
    const picked = applyScenario(defaultSettings('offline'), SCRIPTED);
    expect(picked.offlineQuestions).toBe(3);
    expect(await versionOf(picked)).toBe(await scenarioHash(SCRIPTED));
    const fewer = scenarioOf({ ...picked, offlineQuestions: 1 });
    expect(fewer.offline).toMatchObject({
      questions: 1,
      simulated_user: SCRIPTED.offline?.simulated_user,
    });
    expect(await scenarioHash(fewer)).not.toBe(await scenarioHash(SCRIPTED));
  });
});

describe('settings errors', () => {
  const problems = (settings: Partial<ConsoleSettings>) => {
    const checked = scenarioOfSettings({ ...defaultSettings('offline'), ...settings });
    return checked.success ? '' : describeSettingsIssues(checked.error.issues);
  };

  it("say what is wrong in the field's own terms", () => {
    expect(problems({ maxTurns: 0 })).toBe('Max turns must be between 1 and 1000');
    expect(problems({ maxTurns: 1001 })).toBe('Max turns must be between 1 and 1000');
    expect(problems({ maxTurns: 2.5 })).toBe('Max turns must be a whole number between 1 and 1000');
    expect(problems({ turnTimeoutSeconds: 1 })).toBe(
      'Turn timeout must be between 5 and 600 seconds',
    );
    expect(problems({ offlineQuestions: 60 })).toBe(
      'Questions before the cue must be between 0 and 50',
    );
    expect(problems({ simulatedUserPrompt: '   ' })).toBe(
      'Simulated user prompt must not be empty',
    );
    expect(problems({ scenarioName: 'x'.repeat(201) })).toBe(
      'Scenario name must be at most 200 characters',
    );
    expect(problems({ maxTurns: 0, terminationCue: '' })).toBe(
      'Termination cue must not be empty; Max turns must be between 1 and 1000',
    );
  });
});
