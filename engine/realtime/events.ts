/**
 * The GA Realtime API events this console handles, as discriminated unions.
 * Anything else still arrives (as `OtherServerEvent`) and is logged verbatim.
 */

export interface Usage {
  total_tokens?: number;
  input_tokens?: number;
  output_tokens?: number;
  input_token_details?: { text_tokens?: number; audio_tokens?: number; cached_tokens?: number };
  output_token_details?: { text_tokens?: number; audio_tokens?: number };
}

export type ResponseStatus = 'completed' | 'cancelled' | 'failed' | 'incomplete' | 'in_progress';

export interface OutputItem {
  id?: string;
  type: string;
  role?: string;
  name?: string;
  call_id?: string;
  arguments?: string;
  status?: string;
}

export interface SessionUpdatedEvent {
  type: 'session.created' | 'session.updated';
  event_id?: string;
  session: Record<string, unknown>;
}

export interface ResponseCreatedEvent {
  type: 'response.created';
  event_id?: string;
  response: { id: string; status: ResponseStatus };
}

export interface ResponseDoneEvent {
  type: 'response.done';
  event_id?: string;
  response: {
    id: string;
    status: ResponseStatus;
    status_details?: {
      type?: string;
      reason?: string;
      error?: { type?: string; code?: string; message?: string };
    } | null;
    output?: OutputItem[];
    usage?: Usage | null;
  };
}

export interface OutputItemEvent {
  type: 'response.output_item.added' | 'response.output_item.done';
  event_id?: string;
  response_id: string;
  output_index: number;
  item: OutputItem;
}

export interface ConversationItemEvent {
  type: 'conversation.item.added' | 'conversation.item.done' | 'conversation.item.created';
  event_id?: string;
  previous_item_id?: string | null;
  item: OutputItem & { content?: Array<{ type: string; text?: string; transcript?: string }> };
}

export interface TranscriptDeltaEvent {
  type: 'response.output_audio_transcript.delta' | 'response.output_text.delta';
  event_id?: string;
  response_id: string;
  item_id: string;
  output_index?: number;
  content_index?: number;
  delta: string;
}

export interface TranscriptDoneEvent {
  type: 'response.output_audio_transcript.done';
  event_id?: string;
  response_id: string;
  item_id: string;
  output_index?: number;
  content_index?: number;
  transcript: string;
}

export interface TextDoneEvent {
  type: 'response.output_text.done';
  event_id?: string;
  response_id: string;
  item_id: string;
  output_index?: number;
  content_index?: number;
  text: string;
}

export interface AudioDeltaEvent {
  type: 'response.output_audio.delta';
  event_id?: string;
  response_id: string;
  item_id: string;
  delta: string;
}

export interface AudioBufferEvent {
  type:
    | 'output_audio_buffer.started'
    | 'output_audio_buffer.stopped'
    | 'output_audio_buffer.cleared';
  event_id?: string;
  response_id: string;
}

export interface ErrorEvent {
  type: 'error';
  event_id?: string;
  error: {
    type?: string;
    code?: string | null;
    message: string;
    param?: string | null;
    event_id?: string | null;
  };
}

export interface RateLimitsEvent {
  type: 'rate_limits.updated';
  event_id?: string;
  rate_limits: Array<{ name: string; limit: number; remaining: number; reset_seconds: number }>;
}

export interface OtherServerEvent {
  type: `other:${string}`;
  raw: Record<string, unknown> & { type: string };
}

export type ServerEvent =
  | SessionUpdatedEvent
  | ResponseCreatedEvent
  | ResponseDoneEvent
  | OutputItemEvent
  | ConversationItemEvent
  | TranscriptDeltaEvent
  | TranscriptDoneEvent
  | TextDoneEvent
  | AudioDeltaEvent
  | AudioBufferEvent
  | ErrorEvent
  | RateLimitsEvent
  | OtherServerEvent;

const KNOWN_SERVER_EVENTS = new Set<string>([
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
  'error',
  'rate_limits.updated',
]);

/** Types a raw server payload; unknown types are wrapped, never dropped. */
export function toServerEvent(raw: Record<string, unknown> & { type: string }): ServerEvent {
  if (KNOWN_SERVER_EVENTS.has(raw.type)) return raw as unknown as ServerEvent;
  return { type: `other:${raw.type}`, raw };
}

export interface FunctionTool {
  type: 'function';
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export type ClientEvent =
  | {
      type: 'session.update';
      event_id?: string;
      session: {
        type: 'realtime';
        model?: string;
        instructions?: string;
        output_modalities?: Array<'audio' | 'text'>;
        audio?: {
          input?: { turn_detection?: null };
          output?: { voice?: string };
        };
        tools?: FunctionTool[];
        tool_choice?: 'auto' | 'none' | 'required';
      };
    }
  | {
      type: 'conversation.item.create';
      event_id?: string;
      previous_item_id?: string | null;
      item:
        | {
            id?: string;
            type: 'message';
            role: 'user';
            content: Array<{ type: 'input_text'; text: string }>;
          }
        | { id?: string; type: 'function_call_output'; call_id: string; output: string };
    }
  | { type: 'response.create'; event_id?: string; response?: Record<string, unknown> }
  | { type: 'response.cancel'; event_id?: string; response_id?: string };

/** What every transport reports for the event log: the raw payload, its direction and time. */
export interface RawEventRecord {
  direction: 'client' | 'server';
  timestamp: string;
  event: Record<string, unknown> & { type: string };
}
