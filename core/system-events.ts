import { z } from 'zod';
import type { ClientEvent, ResponseStatus } from './realtime-events.ts';
import { END_REASONS, type EndReason, SPEAKERS } from './run-constants.ts';

/**
 * The events a run writes into its own log (direction `system`), stored as
 * `{ type, ...fields }`. The benchmark service writes them with these types and
 * the metrics read them back with these types, so a field renamed on one side
 * only does not compile.
 */
export type SystemEvent =
  | RunStartedEvent
  | TurnRequestedEvent
  | InterviewerTurnCompletedEvent
  | SimulatedUserTurnCompletedEvent
  | CueDetectedEvent
  | RunEndedEvent
  | UserSpeechStartedEvent
  | UserSpeechEndedEvent
  | UserSpeechBargeInEvent;

export type SystemEventType = SystemEvent['type'];

const RESPONSE_STATUSES = [
  'completed',
  'cancelled',
  'failed',
  'incomplete',
  'in_progress',
] as const satisfies readonly ResponseStatus[];

const TRANSPORT_KINDS = ['webrtc', 'websocket', 'offline'] as const;
const SIMULATED_USER_KINDS = ['openai', 'offline'] as const;

/**
 * The run's first event: what produced it. The run's labels
 * (`BenchmarkConfig.labels`) are spread in after these fields; the labels named
 * here have a declared type, others are kept as written.
 */
export interface RunStartedEvent {
  type: 'run.started';
  run_id: string;
  transport: (typeof TRANSPORT_KINDS)[number];
  simulated_user: (typeof SIMULATED_USER_KINDS)[number];
  /** The interviewer's Realtime model. */
  model: string;
  voice: string;
  max_turns: number;
  termination_cue: string;
  /** Label: `openai` or `offline`. */
  agents?: string;
  /** Label: the simulated user's text model, as configured. */
  simulated_user_model?: string;
  /** Voice mode with noise: the seed of the microphone's noise. */
  noise_seed?: number;
}

/** How the offline agents were paced, recorded so a run can be replayed alike. */
export interface OfflinePacingLabels {
  offline_seed: number;
  offline_turn_ms: number;
  /** `min-max` of the offline interviewer's first-audio delay. */
  offline_first_audio_ms: string;
}

/** What the console and the runner add to `run.started`: which agents played, with what. */
export type RunLabels = Required<Pick<RunStartedEvent, 'agents' | 'simulated_user_model'>> &
  Partial<OfflinePacingLabels>;

export interface TurnRequestedEvent {
  type: 'turn.requested';
  speaker: (typeof SPEAKERS)[number];
}

export interface InterviewerTurnCompletedEvent {
  type: 'turn.completed';
  speaker: 'interviewer';
  response_id: string;
  status: ResponseStatus;
}

export interface SimulatedUserTurnCompletedEvent {
  type: 'turn.completed';
  speaker: 'simulated_user';
  /** The text model that answered and its Responses API usage, when known. */
  model?: string;
  usage?: unknown;
}

export interface CueDetectedEvent {
  type: 'cue.detected';
  why: string;
}

export interface RunEndedEvent {
  type: 'run.ended';
  end_reason: EndReason;
  error?: string;
  turns: number;
  /** The server's own words when what it sent ended the run (an `error` event, a failed response). */
  server_error?: ServerErrorDetails;
}

/**
 * Voice mode: the simulated user started sending an utterance. Written when
 * its first speech sample is sent, so the event's timestamp is when the
 * speech began on the wire.
 */
export interface UserSpeechStartedEvent {
  type: 'user_speech.started';
  /** Pairs this utterance's events. */
  utterance_id: string;
  /**
   * Where the speech starts in all the audio sent to the interviewer's input
   * since the session began, in ms: the clock of the server's
   * `input_audio_buffer.speech_started.audio_start_ms`.
   */
  audio_start_ms: number;
  /** The words spoken: the reference the interviewer's transcription is scored against. */
  text: string;
  /** The speech model that said them; absent for the offline voice. */
  model?: string;
  /** What the speech model reported using (its `speech.audio.done` usage); absent when it reported none. */
  usage?: SpeechUsage;
}

/** A speech model's usage: text tokens read, audio tokens spoken. */
export interface SpeechUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
}

const tokenCount = z.int().nonnegative();
/** Checks a stored `SpeechUsage` (also read by the function that answers it). */
export const speechUsageSchema = z.object({
  input_tokens: tokenCount,
  output_tokens: tokenCount,
  total_tokens: tokenCount,
});

/** Voice mode: the utterance's last speech sample was sent (trailing silence or noise is not speech). */
export interface UserSpeechEndedEvent {
  type: 'user_speech.ended';
  utterance_id: string;
  /** Where the speech ends in the input audio, in ms (the clock of `speech_stopped.audio_end_ms`). */
  audio_end_ms: number;
}

/**
 * Voice mode: the utterance started while the interviewer's audio was
 * playing, on purpose (`simulated_user.speech.interrupt_after_ms`). Written
 * with the utterance's `user_speech.started`.
 */
export interface UserSpeechBargeInEvent {
  type: 'user_speech.barge_in';
  utterance_id: string;
  /** The interviewer response the user talked over. */
  response_id: string;
}

const CLIENT_EVENT_TYPES = [
  'session.update',
  'conversation.item.create',
  'response.create',
  'response.cancel',
  'input_audio_buffer.append',
  'conversation.item.truncate',
] as const satisfies readonly ClientEvent['type'][];

/**
 * An error as the Realtime server reported it (its `error` event's `error`, or
 * a failed response's `status_details.error`), with the client event it
 * refused when it named one. Fields the server left out or null are absent.
 */
export interface ServerErrorDetails {
  type?: string;
  code?: string;
  message?: string;
  param?: string;
  /** The `event_id` of the client event the server refused. */
  event_id?: string;
  /** That client event's type. */
  event_type?: (typeof CLIENT_EVENT_TYPES)[number];
}

const serverErrorSchema: z.ZodType<ServerErrorDetails> = z.object({
  type: z.string().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  param: z.string().optional(),
  event_id: z.string().optional(),
  event_type: z.enum(CLIENT_EVENT_TYPES).optional(),
});

/**
 * A system event as read from a stored log: the same fields, each one present
 * only when it has its type (logs from older versions, or written by hand, may
 * lack some or have others).
 */
export type StoredSystemEvent = SystemEvent extends infer E
  ? E extends { type: infer T }
    ? { type: T } & Partial<Omit<E, 'type'>>
    : never
  : never;

type FieldsOf<T extends SystemEventType> = Extract<SystemEvent, { type: T }>;
type FieldNames<E> = E extends unknown ? Exclude<keyof E, 'type'> : never;
type FieldValue<E, K extends PropertyKey> = E extends unknown
  ? K extends keyof E
    ? Exclude<E[K], undefined>
    : never
  : never;

/** Every field of every system event, with a check of its stored value; must match the types above. */
const FIELD_SCHEMAS: {
  [T in SystemEventType]: {
    [K in FieldNames<FieldsOf<T>>]-?: z.ZodType<FieldValue<FieldsOf<T>, K>>;
  };
} = {
  'run.started': {
    run_id: z.string(),
    transport: z.enum(TRANSPORT_KINDS),
    simulated_user: z.enum(SIMULATED_USER_KINDS),
    model: z.string(),
    voice: z.string(),
    max_turns: z.number(),
    termination_cue: z.string(),
    agents: z.string(),
    simulated_user_model: z.string(),
    noise_seed: z.number(),
  },
  'turn.requested': { speaker: z.enum(SPEAKERS) },
  'turn.completed': {
    speaker: z.enum(SPEAKERS),
    response_id: z.string(),
    status: z.enum(RESPONSE_STATUSES),
    model: z.string(),
    usage: z.unknown(),
  },
  'cue.detected': { why: z.string() },
  'user_speech.started': {
    utterance_id: z.string(),
    audio_start_ms: z.number().nonnegative(),
    text: z.string(),
    model: z.string(),
    usage: speechUsageSchema,
  },
  'user_speech.ended': { utterance_id: z.string(), audio_end_ms: z.number().nonnegative() },
  'user_speech.barge_in': { utterance_id: z.string(), response_id: z.string() },
  'run.ended': {
    end_reason: z.enum(END_REASONS),
    error: z.string(),
    turns: z.number(),
    server_error: serverErrorSchema,
  },
};

/**
 * Reads a stored system event: its fields that have their declared type, or
 * null for a type the run does not write. A field of the wrong type is left
 * out rather than failing the whole event, so one bad value costs one figure.
 */
export function readSystemEvent(
  event: { type: string } & Record<string, unknown>,
): StoredSystemEvent | null {
  if (!Object.hasOwn(FIELD_SCHEMAS, event.type)) return null;
  const fields: Record<string, z.ZodType> = FIELD_SCHEMAS[event.type as SystemEventType];
  const read: Record<string, unknown> = { type: event.type };
  for (const [name, schema] of Object.entries(fields)) {
    const value = event[name];
    if (value !== undefined && schema.safeParse(value).success) read[name] = value;
  }
  return read as StoredSystemEvent;
}
