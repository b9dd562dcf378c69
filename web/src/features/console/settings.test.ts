import { describe, expect, it } from 'vitest';
import {
  type Scenario,
  scenarioHash,
  scenarioSchema,
} from '../../../../supabase/functions/_shared/scenario.ts';
import {
  applyScenario,
  type ConsoleSettings,
  defaultSettings,
  scenarioOfSettings,
} from './settings.ts';

function scenarioOf(settings: ConsoleSettings): Scenario {
  const checked = scenarioOfSettings(settings);
  if (!checked.success) throw new Error(checked.error.message);
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
