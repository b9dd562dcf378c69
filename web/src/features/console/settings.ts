import { z } from 'zod';
import { DEFAULT_TERMINATION_CUE } from '../../benchmark/termination.ts';

export const VOICES = [
  'marin',
  'cedar',
  'alloy',
  'ash',
  'ballad',
  'coral',
  'echo',
  'sage',
  'shimmer',
  'verse',
] as const;

export const DEFAULT_INTERVIEWER_PROMPT = `You are a friendly user researcher interviewing someone about how they plan their week.
Ask one short question at a time and follow up on what they say.
After about four questions, thank them and say exactly: "That concludes our interview."
Then call the end_interview tool.`;

export const DEFAULT_SIMULATED_USER_PROMPT = `You are Sam, a 34-year-old nurse who works rotating shifts and plans the week in a paper notebook.
Answer the interviewer in one to three sentences, in a natural spoken style.
Stay in character. Do not ask questions back unless something is unclear.`;

/** Bounds of the numeric settings, shared by the schema and the form's inputs. */
export const NUMBER_LIMITS = {
  maxTurns: { min: 1, max: 1000 },
  offlineQuestions: { min: 0, max: 50 },
  turnTimeoutSeconds: { min: 5, max: 600 },
} as const;
export type NumberSetting = keyof typeof NUMBER_LIMITS;

const bounded = (key: NumberSetting, fallback: number) =>
  z.coerce.number().int().min(NUMBER_LIMITS[key].min).max(NUMBER_LIMITS[key].max).default(fallback);

export const settingsSchema = z.object({
  agents: z.enum(['openai', 'offline']),
  transport: z.enum(['webrtc', 'websocket']).default('webrtc'),
  interviewerPrompt: z.string().default(DEFAULT_INTERVIEWER_PROMPT),
  simulatedUserPrompt: z.string().default(DEFAULT_SIMULATED_USER_PROMPT),
  interviewerModel: z.string().min(1).default('gpt-realtime'),
  voice: z.enum(VOICES).default('marin'),
  simulatedUserModel: z.string().min(1).default('gpt-4.1-mini'),
  maxTurns: bounded('maxTurns', 30),
  terminationCue: z.string().min(1).default(DEFAULT_TERMINATION_CUE),
  offlineQuestions: bounded('offlineQuestions', 3),
  turnTimeoutSeconds: bounded('turnTimeoutSeconds', 60),
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
