import { z } from 'zod';
import { END_REASONS, type EndReason, EVENT_DIRECTIONS, SPEAKERS } from './run-constants.ts';

/** Largest request body `save-benchmark-run` accepts (bytes), unless SAVE_RUN_MAX_BYTES says otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
export const MAX_TURNS = 10_000;
export const MAX_EVENTS = 100_000;
/** Deepest JSON nesting accepted anywhere in a run (OpenAI Realtime events nest well under this). */
export const MAX_JSON_DEPTH = 64;

export { END_REASONS, EVENT_DIRECTIONS, SPEAKERS };

const isoTimestamp = z.iso.datetime({ offset: true });

/** Turns and events are loose: keys beyond the required ones are kept as sent. */
export const conversationTurnSchema = z.looseObject({
  speaker: z.enum(SPEAKERS),
  content: z.string(),
  timestamp: isoTimestamp,
});

export const eventLogEntrySchema = z.looseObject({
  direction: z.enum(EVENT_DIRECTIONS),
  timestamp: isoTimestamp,
  event: z.looseObject({ type: z.string().min(1) }),
});

/**
 * The one shape of a saved benchmark run: the edge function validates with it,
 * the console builds its payload with it. The top level is strict so that a
 * misspelt field is refused instead of silently dropped.
 */
export const benchmarkRunSchema = z
  .strictObject({
    run_id: z.uuid({ version: 'v4' }),
    created_at: isoTimestamp.optional(),
    mode: z.literal('benchmark'),
    conversation_history: z.array(conversationTurnSchema).max(MAX_TURNS),
    event_log: z.array(eventLogEntrySchema).max(MAX_EVENTS),
    interviewer_prompt: z.string(),
    simulated_user_prompt: z.string(),
    end_reason: z.enum(END_REASONS),
    num_turns: z.number().int().nonnegative().optional(),
  })
  .superRefine((run, ctx) => {
    if (run.num_turns !== undefined && run.num_turns !== run.conversation_history.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['num_turns'],
        message: `num_turns is ${run.num_turns} but conversation_history has ${run.conversation_history.length} turns`,
      });
    }
  });

export type BenchmarkRun = z.infer<typeof benchmarkRunSchema>;
export type ConversationTurn = z.infer<typeof conversationTurnSchema>;
export type EventLogEntry = z.infer<typeof eventLogEntrySchema>;
export type { EndReason };

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.') || '(root)';
}
