// Plain constants of the saved-run format, importable without zod (the web app's first chunk uses them).

export const END_REASONS = ['termination_cue', 'user_ended', 'max_turns', 'error'] as const;
export const SPEAKERS = ['interviewer', 'simulated_user'] as const;
export const EVENT_DIRECTIONS = ['client', 'server', 'system'] as const;

export type EndReason = (typeof END_REASONS)[number];
