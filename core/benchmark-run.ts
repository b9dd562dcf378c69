import { z } from 'zod';
import {
  END_REASONS,
  type EndReason,
  EVENT_DIRECTIONS,
  MAX_EVENTS,
  MAX_TURNS,
  SPEAKERS,
} from './run-constants.ts';
import { scenarioSchema } from './scenario.ts';

// The format's limits and helpers live in run-constants.ts (no zod); offered here too.
export {
  DEFAULT_MAX_BODY_BYTES,
  END_REASONS,
  EVENT_DIRECTIONS,
  formatPath,
  MAX_EVENTS,
  MAX_JSON_DEPTH,
  MAX_TURNS,
  SPEAKERS,
} from './run-constants.ts';

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
    /** The scenario version that produced the run; the server derives its hash. */
    scenario: scenarioSchema.optional(),
  })
  .superRefine((run, ctx) => {
    if (run.scenario) {
      const prompts = [
        [
          'interviewer_prompt',
          run.interviewer_prompt,
          ['scenario', 'interviewer', 'prompt'],
          run.scenario.interviewer.prompt,
        ],
        [
          'simulated_user_prompt',
          run.simulated_user_prompt,
          ['scenario', 'simulated_user', 'persona'],
          run.scenario.simulated_user.persona,
        ],
      ] as const;
      for (const [field, used, path, declared] of prompts) {
        if (used.trim() !== declared) {
          ctx.addIssue({
            code: 'custom',
            path: [...path],
            message: `differs from ${field}: a run must be saved with the scenario that produced it`,
          });
        }
      }
    }
    if (run.num_turns !== undefined && run.num_turns !== run.conversation_history.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['num_turns'],
        message: `num_turns is ${run.num_turns} but conversation_history has ${run.conversation_history.length} turns`,
      });
    }
  });

/** The earliest `created_at` a run may have (before any Realtime API existed). */
export const EARLIEST_CREATED_AT = '2020-01-01T00:00:00Z';
/** How far ahead of the server's clock a `created_at` may be (clock skew between machines). */
export const MAX_CREATED_AT_AHEAD_MS = 24 * 60 * 60 * 1000;

/**
 * Why `createdAt` is outside [EARLIEST_CREATED_AT, now + 1 day], or null when
 * it is inside. A run dated in the far future would sort first on /results for
 * ever and count as the newest run in regressions. The database applies the
 * same rule with its own clock.
 */
export function createdAtWindowError(createdAt: string, nowMs: number): string | null {
  const at = Date.parse(createdAt);
  if (at < Date.parse(EARLIEST_CREATED_AT)) {
    return `${createdAt} is before ${EARLIEST_CREATED_AT}, the earliest a run may be dated`;
  }
  if (at > nowMs + MAX_CREATED_AT_AHEAD_MS) {
    return `${createdAt} is more than 1 day ahead of the server clock (${new Date(nowMs).toISOString()})`;
  }
  return null;
}

export type BenchmarkRun = z.infer<typeof benchmarkRunSchema>;
export type ConversationTurn = z.infer<typeof conversationTurnSchema>;
export type EventLogEntry = z.infer<typeof eventLogEntrySchema>;
export type { EndReason };
