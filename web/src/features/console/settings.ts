import { SCENARIO_DEFAULTS, VOICES } from '@core/run-constants.ts';
import { type ScenarioInput, scenarioSchema } from '@core/scenario.ts';
import { sessionLimitIssue } from '@core/session-limit.ts';
import { z } from 'zod';
import { SELF_DESCRIBED } from './settings-issues.ts';

export { VOICES };
export const AD_HOC_SCENARIO_NAME = 'Ad hoc';

export const DEFAULT_INTERVIEWER_PROMPT = `You are a friendly user researcher interviewing someone about how they plan their week.
Ask one short question at a time and follow up on what they say.
After about four questions, thank them and say exactly: "That concludes our interview."
Then call the end_interview tool.`;

export const DEFAULT_SIMULATED_USER_PROMPT = `You are Sam, a 34-year-old nurse who works rotating shifts and plans the week in a paper notebook.
Answer the interviewer in one to three sentences, in a natural spoken style.
Stay in character. Do not ask questions back unless something is unclear.`;

/** The ad hoc scenario the console starts from. */
export const DEFAULT_SCENARIO: ScenarioInput = {
  name: AD_HOC_SCENARIO_NAME,
  description: '',
  interviewer: {
    prompt: DEFAULT_INTERVIEWER_PROMPT,
    model: SCENARIO_DEFAULTS.interviewerModel,
    voice: SCENARIO_DEFAULTS.voice,
  },
  simulated_user: {
    persona: DEFAULT_SIMULATED_USER_PROMPT,
    model: SCENARIO_DEFAULTS.simulatedUserModel,
  },
  termination: {
    cue: SCENARIO_DEFAULTS.terminationCue,
    max_turns: SCENARIO_DEFAULTS.maxTurns,
    turn_timeout_seconds: SCENARIO_DEFAULTS.turnTimeoutSeconds,
  },
  tags: [],
};

/**
 * What the form can leave wrong while it is being edited: text too short or
 * too long, a number out of bounds or not whole. The value is still of the
 * scenario's shape.
 */
const isEditingIssue = (issue: z.core.$ZodIssue) =>
  issue.code === 'too_small' ||
  issue.code === 'too_big' ||
  (issue.code === 'invalid_type' && issue.expected === 'int');

/**
 * A scenario as the form holds it: of core's scenario shape, though it may
 * not be a valid scenario yet (an emptied prompt, a number out of range), so
 * saved edits come back as they were left and the console says what to fix.
 */
const scenarioDraftSchema = z.custom<ScenarioInput>((value) => {
  const checked = scenarioSchema.safeParse(value);
  return checked.success || checked.error.issues.every(isEditingIssue);
});

export const AGENTS = ['openai', 'offline'] as const;
export const TRANSPORTS = ['webrtc', 'websocket'] as const;

export const settingsSchema = z.object({
  agents: z.enum(AGENTS),
  transport: z.enum(TRANSPORTS).default('webrtc'),
  scenario: scenarioDraftSchema,
});

/** The console's agent choices and, apart from them, the scenario they run. */
export type ConsoleSettings = z.output<typeof settingsSchema>;

export function defaultSettings(agents: ConsoleSettings['agents']): ConsoleSettings {
  return { agents, transport: 'webrtc', scenario: DEFAULT_SCENARIO };
}

/** A scenario the chosen agents can run: for the OpenAI agents, none that could outlast the Realtime session. */
const runnableScenarioSchema = ({ agents }: ConsoleSettings) =>
  scenarioSchema.superRefine((scenario, context) => {
    if (agents !== 'openai') return;
    const tooLong = sessionLimitIssue(scenario.termination, {
      maxTurns: 'Max turns',
      turnTimeout: 'Turn timeout',
    });
    if (tooLong) {
      context.addIssue({
        code: 'custom',
        path: [...tooLong.path],
        message: tooLong.message,
        params: { [SELF_DESCRIBED]: true },
      });
    }
  });

/** The scenario these settings describe (ad hoc or picked), or what is wrong with it. */
export const checkScenario = (settings: ConsoleSettings) =>
  runnableScenarioSchema(settings).safeParse(settings.scenario);
