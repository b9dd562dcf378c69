import { type ScenarioInput, scenarioHash, scenarioSchema } from '@core/scenario.ts';
import { beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { type ConsoleSettings, checkScenario, defaultSettings } from './settings.ts';
import { describeSettingsIssues } from './settings-issues.ts';
import { loadSettings, STORAGE_KEY, saveSettings } from './settings-storage.ts';

const V1_KEY = 'realtime-bench.console-settings.v1';

beforeEach(() => localStorage.clear());

async function versionOf(settings: ConsoleSettings | null) {
  if (!settings) throw new Error('no settings');
  const checked = checkScenario(settings);
  if (!checked.success) throw new Error(describeSettingsIssues(checked.error.issues));
  return scenarioHash(checked.data);
}

describe('settings saved by the v1 console', () => {
  // As the v1 console saved them: a picked scenario with an edited prompt and question count.
  const PICKED_AND_EDITED = JSON.stringify({
    agents: 'openai',
    transport: 'websocket',
    interviewerPrompt: 'You are a support agent.\nAsk for the order number, then the fault.',
    simulatedUserPrompt: 'You are Lee, annoyed about a damaged lamp.',
    interviewerModel: 'gpt-realtime',
    voice: 'coral',
    simulatedUserModel: 'gpt-4.1-mini',
    maxTurns: 24,
    terminationCue: 'that concludes our call',
    offlineQuestions: 4,
    turnTimeoutSeconds: 60,
    scenarioName: 'Customer support intake',
    scenarioDescription: '',
    scenarioTags: ['support'],
    scenarioChecks: { must_mention: ['order number'], ended_by: 'cue' },
    scenarioRubric: {
      criteria: [{ name: 'Collects the details', description: 'Order number first.', weight: 1 }],
      scale: { min: 1, max: 5 },
    },
    scenarioOffline: {
      interviewer: ['What is your order number?', 'Refund or replacement?'],
      simulated_user: ['48-2210.', 'A replacement.'],
      questions: 2,
    },
  });
  // The version the v1 console ran for those settings.
  const PICKED_AND_EDITED_HASH = '5622acc23eb03a30d79f0d0048bca74223991396282cccaf8b8973f6b8a18192';

  it('are read as the same scenario, prompts and agent choices included', async () => {
    localStorage.setItem(V1_KEY, PICKED_AND_EDITED);
    const settings = loadSettings();
    expect(settings).toMatchObject({ agents: 'openai', transport: 'websocket' });
    expect(settings?.scenario).toMatchObject({
      name: 'Customer support intake',
      interviewer: {
        prompt: 'You are a support agent.\nAsk for the order number, then the fault.',
        voice: 'coral',
      },
      simulated_user: { persona: 'You are Lee, annoyed about a damaged lamp.' },
      termination: { cue: 'that concludes our call', max_turns: 24 },
      checks: { must_mention: ['order number'] },
      offline: { questions: 4, simulated_user: ['48-2210.', 'A replacement.'] },
    });
    expect(await versionOf(settings)).toBe(PICKED_AND_EDITED_HASH);
  });

  it('are saved again under the new key only, and read back the same', async () => {
    localStorage.setItem(V1_KEY, PICKED_AND_EDITED);
    const settings = loadSettings();
    if (!settings) throw new Error('v1 settings not read');
    saveSettings(settings);
    expect(localStorage.getItem(V1_KEY)).toBeNull();
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null')).toMatchObject({
      agents: 'openai',
      scenario: { name: 'Customer support intake' },
    });
    expect(loadSettings()).toEqual(settings);
    expect(await versionOf(loadSettings())).toBe(PICKED_AND_EDITED_HASH);
  });

  it('keep ad hoc prompts that are not a valid scenario yet, and say what to fix', () => {
    localStorage.setItem(
      V1_KEY,
      JSON.stringify({
        ...defaultV1('offline'),
        interviewerPrompt: 'My own prompt.',
        simulatedUserPrompt: '',
        maxTurns: '12',
      }),
    );
    const settings = loadSettings();
    expect(settings?.scenario.interviewer.prompt).toBe('My own prompt.');
    expect(settings?.scenario.termination?.max_turns).toBe(12);
    const checked = settings && checkScenario(settings);
    expect(checked?.success).toBe(false);
    expect(checked?.error && describeSettingsIssues(checked.error.issues)).toBe(
      'Simulated user prompt must not be empty',
    );
  });

  it('are ignored once newer settings are saved, and dropped when they do not parse', () => {
    localStorage.setItem(V1_KEY, PICKED_AND_EDITED);
    saveSettings(defaultSettings('offline'));
    localStorage.setItem(V1_KEY, PICKED_AND_EDITED);
    expect(loadSettings()).toEqual(defaultSettings('offline'));

    localStorage.clear();
    localStorage.setItem(V1_KEY, JSON.stringify({ ...defaultV1('offline'), maxTurns: 0 }));
    expect(loadSettings()).toBeNull();
  });
});

describe('saved settings', () => {
  const SUPPORT = scenarioSchema.parse({
    name: 'Customer support intake',
    interviewer: { prompt: 'You are a support agent.' },
    simulated_user: { persona: 'You are Lee.' },
    checks: { must_mention: ['order number'], ended_by: 'cue', max_cost_usd: 0.5 },
    rubric: {
      criteria: [
        { name: 'Collects the details', description: 'Order number first.', weight: 2 },
        { name: 'Polite', description: 'Thanks the user.' },
      ],
      scale: { min: 0, max: 10 },
    },
  });

  it("keep a picked scenario's checks and rubric, typed as core's, through edits and reloads", async () => {
    const picked: ConsoleSettings = { ...defaultSettings('offline'), scenario: SUPPORT };
    saveSettings(picked);
    const loaded = loadSettings();
    if (!loaded) throw new Error('settings not read back');
    expectTypeOf(loaded.scenario.checks).toEqualTypeOf<ScenarioInput['checks']>();
    expectTypeOf(loaded.scenario.rubric).toEqualTypeOf<ScenarioInput['rubric']>();
    expect(loaded.scenario.checks?.must_mention).toEqual(['order number']);
    expect(loaded.scenario.rubric?.criteria.map((criterion) => criterion.weight)).toEqual([2, 1]);
    expect(await versionOf(loaded)).toBe(await scenarioHash(SUPPORT));

    const edited: ConsoleSettings = {
      ...loaded,
      scenario: { ...loaded.scenario, interviewer: { prompt: 'Be brief.' } },
    };
    saveSettings(edited);
    const reloaded = loadSettings();
    expect(reloaded?.scenario.checks).toEqual(SUPPORT.checks);
    expect(reloaded?.scenario.rubric).toEqual(SUPPORT.rubric);
    const checked = reloaded && checkScenario(reloaded);
    expect(checked?.success && checked.data.rubric?.scale).toEqual({ min: 0, max: 10 });
  });

  it('come back as they were left while being edited, even when not a valid scenario yet', () => {
    const settings = defaultSettings('offline');
    const draft: ConsoleSettings = {
      ...settings,
      scenario: {
        ...settings.scenario,
        simulated_user: { persona: '' },
        termination: { max_turns: 0, turn_timeout_seconds: 2.5 },
        offline: { questions: 60 },
      },
    };
    saveSettings(draft);
    expect(loadSettings()).toEqual(draft);
  });

  it('that are not of the scenario shape are not read', () => {
    const settings = defaultSettings('offline');
    const misspelt = { ...settings, scenario: { ...settings.scenario, chekcs: {} } };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(misspelt));
    expect(loadSettings()).toBeNull();
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...settings, scenario: { name: 'x' } }));
    expect(loadSettings()).toBeNull();
  });
});

/** Default v1 settings, as the v1 console saved them. */
function defaultV1(agents: 'openai' | 'offline') {
  const { scenario } = defaultSettings(agents);
  return {
    agents,
    transport: 'webrtc',
    interviewerPrompt: scenario.interviewer.prompt,
    simulatedUserPrompt: scenario.simulated_user.persona,
    interviewerModel: 'gpt-realtime',
    voice: 'marin',
    simulatedUserModel: 'gpt-4.1-mini',
    maxTurns: 30,
    terminationCue: 'that concludes our interview',
    offlineQuestions: 3,
    turnTimeoutSeconds: 60,
    scenarioName: 'Ad hoc',
    scenarioDescription: '',
    scenarioTags: [],
  };
}
