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

export type BenchmarkRun = z.infer<typeof benchmarkRunSchema>;
export type ConversationTurn = z.infer<typeof conversationTurnSchema>;
export type EventLogEntry = z.infer<typeof eventLogEntrySchema>;
export type { EndReason };
