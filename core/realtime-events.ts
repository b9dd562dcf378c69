/**
 * The GA Realtime API events this project handles, as discriminated unions,
 * taken from the `openai` package's types (types only: nothing of the SDK is
 * loaded at run time). Anything else a server sends still arrives (as
 * `OtherServerEvent`) and is logged verbatim.
 */
import type {
  ConversationItem,
  RealtimeClientEvent,
  RealtimeConversationItemAssistantMessage,
  RealtimeFunctionTool,
  RealtimeResponse,
  RealtimeResponseStatus,
  RealtimeResponseUsage,
  RealtimeServerEvent,
  RealtimeSessionCreateRequest,
} from 'openai/resources/realtime/realtime';

export type {
  ConversationItem,
  RealtimeResponse,
  RealtimeServerEvent,
  RealtimeSessionCreateRequest,
};

export type Usage = RealtimeResponseUsage;

/** An assistant message item: its content parts always listed (`[]` while in progress). */
export type AssistantItem = RealtimeConversationItemAssistantMessage;

/** A GA server event as the SDK types it, before its sender stamps the `event_id`. */
export type UnstampedServerEvent = RealtimeServerEvent extends infer E
  ? E extends { event_id: string }
    ? Omit<E, 'event_id'>
    : never
  : never;

export type ResponseStatus = NonNullable<RealtimeResponse['status']>;

/**
 * A response as the API sends it in `response.created` and `response.done`: the
 * SDK declares every field optional, but the id and status are always there;
 * `status_details` is null while nothing went wrong, and a failed response's
 * error carries a message.
 */
export type SentResponse = Omit<RealtimeResponse, 'id' | 'status' | 'status_details'> & {
  id: string;
  status: ResponseStatus;
  status_details?:
    | (Omit<RealtimeResponseStatus, 'error'> & {
        error?: RealtimeResponseStatus.Error & { message?: string };
      })
    | null;
};

const KNOWN_SERVER_EVENTS = [
  'session.created',
  'session.updated',
  'response.created',
  'response.done',
  'response.output_item.added',
  'response.output_item.done',
  'conversation.item.added',
  'conversation.item.done',
  'conversation.item.created',
  'response.output_audio_transcript.delta',
  'response.output_text.delta',
  'response.output_audio_transcript.done',
  'response.output_text.done',
  'response.output_audio.delta',
  'output_audio_buffer.started',
  'output_audio_buffer.stopped',
  'output_audio_buffer.cleared',
  'input_audio_buffer.speech_started',
  'error',
  'rate_limits.updated',
] as const satisfies ReadonlyArray<RealtimeServerEvent['type']>;

type KnownServerEvent = Extract<
  RealtimeServerEvent,
  { type: (typeof KNOWN_SERVER_EVENTS)[number] }
>;

export interface OtherServerEvent {
  type: `other:${string}`;
  raw: Record<string, unknown> & { type: string };
}

export type ServerEvent =
  | (KnownServerEvent extends infer E
      ? E extends { type: 'response.created' | 'response.done' }
        ? Omit<E, 'response'> & { response: SentResponse }
        : E
      : never)
  | OtherServerEvent;

const KNOWN = new Set<string>(KNOWN_SERVER_EVENTS);

/** Types a raw server payload; unknown types are wrapped, never dropped. */
export function toServerEvent(raw: Record<string, unknown> & { type: string }): ServerEvent {
  if (KNOWN.has(raw.type)) return raw as unknown as ServerEvent;
  return { type: `other:${raw.type}`, raw };
}

/** A function tool as this project declares it: every field given. */
export interface FunctionTool extends RealtimeFunctionTool {
  type: 'function';
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** The client events this project sends. */
export type ClientEvent = Extract<
  RealtimeClientEvent,
  {
    type:
      | 'session.update'
      | 'conversation.item.create'
      | 'response.create'
      | 'response.cancel'
      | 'input_audio_buffer.append'
      | 'conversation.item.truncate';
  }
>;

/** What every transport reports for the event log: the raw payload, its direction and time. */
export interface RawEventRecord {
  direction: 'client' | 'server';
  timestamp: string;
  event: Record<string, unknown> & { type: string };
}
