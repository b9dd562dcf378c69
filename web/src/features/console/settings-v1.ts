import { SCENARIO_DEFAULTS, SCENARIO_LIMITS, VOICES } from '@core/run-constants.ts';
import { z } from 'zod';
import {
  AD_HOC_SCENARIO_NAME,
  DEFAULT_INTERVIEWER_PROMPT,
  DEFAULT_SIMULATED_USER_PROMPT,
} from './settings.ts';

/** Where consoles before the scenario-shaped settings saved theirs. */
export const V1_STORAGE_KEY = 'realtime-bench.console-settings.v1';

const bounded = (key: keyof typeof SCENARIO_LIMITS, fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(SCENARIO_LIMITS[key].min)
    .max(SCENARIO_LIMITS[key].max)
    .default(fallback);

/** The v1 settings: a flattened scenario, read exactly as that console read it. */
const v1Schema = z.object({
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
  scenarioChecks: z.record(z.string(), z.unknown()).optional(),
  scenarioRubric: z.record(z.string(), z.unknown()).optional(),
  scenarioOffline: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Saved v1 settings in the current shape (the scenario the v1 console ran for
 * them, so its version stays the same), or null when they do not parse. The
 * current settings schema then checks the result.
 */
export function settingsOfV1(saved: unknown): unknown {
  const parsed = v1Schema.safeParse(saved);
  if (!parsed.success) return null;
  const v1 = parsed.data;
  return {
    agents: v1.agents,
    transport: v1.transport,
    scenario: {
      name: v1.scenarioName,
      description: v1.scenarioDescription,
      interviewer: { prompt: v1.interviewerPrompt, model: v1.interviewerModel, voice: v1.voice },
      simulated_user: { persona: v1.simulatedUserPrompt, model: v1.simulatedUserModel },
      termination: {
        cue: v1.terminationCue,
        max_turns: v1.maxTurns,
        turn_timeout_seconds: v1.turnTimeoutSeconds,
      },
      tags: v1.scenarioTags,
      ...(v1.scenarioChecks ? { checks: v1.scenarioChecks } : {}),
      ...(v1.scenarioRubric ? { rubric: v1.scenarioRubric } : {}),
      offline: { ...v1.scenarioOffline, questions: v1.offlineQuestions },
    },
  };
}
