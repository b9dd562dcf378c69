// Plain constants and helpers of the saved-run format, importable without zod (the web app's first chunk uses them).

/** Largest request body `save-benchmark-run` accepts (bytes), unless SAVE_RUN_MAX_BYTES says otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
export const MAX_TURNS = 10_000;
export const MAX_EVENTS = 100_000;
/** Deepest JSON nesting accepted anywhere in a run (OpenAI Realtime events nest well under this). */
export const MAX_JSON_DEPTH = 64;

export const END_REASONS = ['termination_cue', 'user_ended', 'max_turns', 'error'] as const;
export const SPEAKERS = ['interviewer', 'simulated_user'] as const;
export const EVENT_DIRECTIONS = ['client', 'server', 'system'] as const;

export type EndReason = (typeof END_REASONS)[number];

/** Voices of the OpenAI Realtime API that scenarios and the console offer. */
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

/**
 * What a scenario (or the console) uses when it does not say. Defaults are
 * filled in before a scenario's version is hashed: changing one gives scenarios
 * that rely on it a new version (their stored runs keep the old one).
 */
export const SCENARIO_DEFAULTS = {
  // gpt-realtime shuts down on 2027-01-20 (model-lifecycle.ts); gpt-realtime-2.1 is OpenAI's replacement.
  interviewerModel: 'gpt-realtime-2.1',
  voice: 'marin',
  simulatedUserModel: 'gpt-4.1-mini',
  terminationCue: 'that concludes our interview',
  maxTurns: 30,
  turnTimeoutSeconds: 60,
  /** Questions the offline demo interviewer asks before its closing line. */
  offlineQuestions: 3,
} as const;

/** The judge models judge-run accepts unless OPENAI_MODELS_JUDGE_RUN says otherwise. */
export const DEFAULT_JUDGE_MODELS: readonly string[] = ['gpt-4.1', 'gpt-4.1-mini'];

/** Longest interviewer prompt or persona a scenario may have (characters). */
export const MAX_PROMPT_CHARS = 50_000;

/** Bounds of the numeric run settings, shared by scenarios and the console's form. */
export const SCENARIO_LIMITS = {
  maxTurns: { min: 1, max: 1000 },
  turnTimeoutSeconds: { min: 5, max: 600 },
  offlineQuestions: { min: 0, max: 50 },
} as const;

/** A zod issue path as the API reports it: `event_log.3.event.type`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.') || '(root)';
}

/** The first 8 hex digits of a scenario version hash, as the UI and the runner show it. */
export const shortHash = (hash: string) => hash.slice(0, 8);
