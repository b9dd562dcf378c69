import { SCENARIO_DEFAULTS, SCENARIO_LIMITS, VOICES } from '@core/run-constants.ts';
import {
  offlineQuestionCount,
  type Scenario,
  type ScenarioInput,
  scenarioSchema,
} from '@core/scenario.ts';
import { z } from 'zod';

export { VOICES };
export const AD_HOC_SCENARIO_NAME = 'Ad hoc';

export const DEFAULT_INTERVIEWER_PROMPT = `You are a friendly user researcher interviewing someone about how they plan their week.
Ask one short question at a time and follow up on what they say.
After about four questions, thank them and say exactly: "That concludes our interview."
Then call the end_interview tool.`;

export const DEFAULT_SIMULATED_USER_PROMPT = `You are Sam, a 34-year-old nurse who works rotating shifts and plans the week in a paper notebook.
Answer the interviewer in one to three sentences, in a natural spoken style.
Stay in character. Do not ask questions back unless something is unclear.`;

/** Bounds of the numeric settings, shared by the schema and the form's inputs. */
export type NumberSetting = keyof typeof SCENARIO_LIMITS;

const bounded = (key: NumberSetting, fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(SCENARIO_LIMITS[key].min)
    .max(SCENARIO_LIMITS[key].max)
    .default(fallback);

export const settingsSchema = z.object({
  agents: z.enum(['openai', 'offline']),
  transport: z.enum(['webrtc', 'websocket']).default('webrtc'),
  interviewerPrompt: z.string().default(DEFAULT_INTERVIEWER_PROMPT),
  simulatedUserPrompt: z.string().default(DEFAULT_SIMULATED_USER_PROMPT),
  interviewerModel: z.string().min(1).default(SCENARIO_DEFAULTS.interviewerModel),
  voice: z.enum(VOICES).default(SCENARIO_DEFAULTS.voice),
  simulatedUserModel: z.string().min(1).default(SCENARIO_DEFAULTS.simulatedUserModel),
  maxTurns: bounded('maxTurns', SCENARIO_DEFAULTS.maxTurns),
  terminationCue: z.string().min(1).default(SCENARIO_DEFAULTS.terminationCue),
  offlineQuestions: bounded('offlineQuestions', SCENARIO_DEFAULTS.offlineQuestions),
  turnTimeoutSeconds: bounded('turnTimeoutSeconds', SCENARIO_DEFAULTS.turnTimeoutSeconds),
  scenarioName: z.string().default(AD_HOC_SCENARIO_NAME),
  scenarioDescription: z.string().default(''),
  scenarioTags: z.array(z.string()).default([]),
  /** The picked scenario's checks, rubric and offline script, kept as they are (the console has no editor for them). */
  scenarioChecks: z.record(z.string(), z.unknown()).optional(),
  scenarioRubric: z.record(z.string(), z.unknown()).optional(),
  scenarioOffline: z.record(z.string(), z.unknown()).optional(),
});

export type ConsoleSettings = z.infer<typeof settingsSchema>;

const STORAGE_KEY = 'realtime-bench.console-settings.v1';

export function defaultSettings(agents: ConsoleSettings['agents']): ConsoleSettings {
  return settingsSchema.parse({ agents });
}

/** Saved settings, or null when there are none (or they no longer parse). */
export function loadSettings(storage: Storage = localStorage): ConsoleSettings | null {
  try {
    const saved = storage.getItem(STORAGE_KEY);
    if (!saved) return null;
    const parsed = settingsSchema.safeParse(JSON.parse(saved));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveSettings(settings: ConsoleSettings, storage: Storage = localStorage): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(settings));
}

/**
 * The scenario these settings describe (ad hoc or picked), or what is wrong
 * with them. "Questions before the cue" is the scenario's `offline.questions`,
 * so it is part of the version (left at its default, it adds nothing).
 */
export function scenarioOfSettings(settings: ConsoleSettings) {
  const input: ScenarioInput = {
    name: settings.scenarioName,
    description: settings.scenarioDescription,
    interviewer: {
      prompt: settings.interviewerPrompt,
      model: settings.interviewerModel,
      voice: settings.voice,
    },
    simulated_user: { persona: settings.simulatedUserPrompt, model: settings.simulatedUserModel },
    termination: {
      cue: settings.terminationCue,
      max_turns: settings.maxTurns,
      turn_timeout_seconds: settings.turnTimeoutSeconds,
    },
    tags: settings.scenarioTags,
    ...(settings.scenarioChecks ? { checks: settings.scenarioChecks as Scenario['checks'] } : {}),
    ...(settings.scenarioRubric ? { rubric: settings.scenarioRubric as Scenario['rubric'] } : {}),
    offline: { ...settings.scenarioOffline, questions: settings.offlineQuestions },
  };
  return scenarioSchema.safeParse(input);
}

/** The settings with everything a scenario decides taken from `scenario`; agent choices stay. */
export function applyScenario(settings: ConsoleSettings, scenario: Scenario): ConsoleSettings {
  return {
    ...settings,
    scenarioName: scenario.name,
    scenarioDescription: scenario.description,
    scenarioTags: [...scenario.tags],
    scenarioChecks: scenario.checks ? { ...scenario.checks } : undefined,
    scenarioRubric: scenario.rubric ? { ...scenario.rubric } : undefined,
    scenarioOffline: scenario.offline ? { ...scenario.offline } : undefined,
    offlineQuestions: offlineQuestionCount(scenario),
    interviewerPrompt: scenario.interviewer.prompt,
    interviewerModel: scenario.interviewer.model,
    voice: scenario.interviewer.voice,
    simulatedUserPrompt: scenario.simulated_user.persona,
    simulatedUserModel: scenario.simulated_user.model,
    terminationCue: scenario.termination.cue,
    maxTurns: scenario.termination.max_turns,
    turnTimeoutSeconds: scenario.termination.turn_timeout_seconds,
  };
}
