import type { ClientEvent, RawEventRecord } from '@core/realtime-events.ts';
import { toServerEvent } from '@core/realtime-events.ts';
import type { RealtimeTransport, SessionConfig, TransportHandlers } from '../realtime/transport.ts';

export type RawEvent = RawEventRecord['event'];

/** A scripted answer that depends on the client event it answers (e.g. an `error` naming it). */
export type Answer = (event: ClientEvent) => RawEvent[];

/**
 * A fake Realtime transport for service tests: it answers each `response.create`
 * with the next recorded GA event sequence (or what the next `Answer` makes of
 * it), and any event type given to `answerWith` by that answer. Everything
 * sent is kept in `sent`.
 */
export class ScriptedTransport implements RealtimeTransport {
  readonly kind = 'websocket';
  readonly sent: ClientEvent[] = [];
  handlers: TransportHandlers | null = null;
  closed = false;
  private responses = 0;
  private readonly answers = new Map<ClientEvent['type'], Answer>();

  constructor(
    private readonly script: Array<RawEvent[] | Answer>,
    readonly waitsForAudioPlayback = false,
  ) {}

  async connect(_config: SessionConfig, handlers: TransportHandlers): Promise<void> {
    this.handlers = handlers;
    this.emit({
      type: 'session.created',
      event_id: 'event_s1',
      session: { type: 'realtime', id: 'sess_1' },
    });
  }

  send(event: ClientEvent): void {
    if (this.closed) throw new Error('closed');
    this.sent.push(event);
    this.handlers?.onRaw({
      direction: 'client',
      timestamp: new Date().toISOString(),
      event: { ...event } as RawEvent,
    });
    const answer = this.answers.get(event.type);
    if (answer) {
      const sequence = answer(event);
      setTimeout(() => this.emitAll(sequence), 0);
    } else if (event.type === 'response.create') {
      const scripted = this.script[this.responses++];
      const sequence = typeof scripted === 'function' ? scripted(event) : scripted;
      if (sequence) setTimeout(() => this.emitAll(sequence), 0);
    }
  }

  /** Answers every later client event of this type with what `answer` makes of it. */
  answerWith(type: ClientEvent['type'], answer: Answer): void {
    this.answers.set(type, answer);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers?.onClose({ unexpected: false, reason: 'closed by client' });
  }

  emitAll(events: RawEvent[]): void {
    for (const event of events) this.emit(event);
  }

  emit(event: RawEvent): void {
    if (this.closed) return;
    this.handlers?.onRaw({ direction: 'server', timestamp: new Date().toISOString(), event });
    this.handlers?.onEvent(toServerEvent(event));
  }

  /** The connection drops without the client asking. */
  drop(reason: string): void {
    this.closed = true;
    this.handlers?.onClose({ unexpected: true, reason });
  }
}

/** The `error` event the GA API sends when it refuses a client event, naming its `event_id`. */
export function refusal(
  refused: Pick<ClientEvent, 'event_id'>,
  error: { code: string; message: string; type?: string; param?: string },
): RawEvent {
  return {
    type: 'error',
    event_id: eventId(),
    error: {
      type: error.type ?? 'invalid_request_error',
      code: error.code,
      message: error.message,
      param: error.param ?? null,
      event_id: refused.event_id ?? null,
    },
  };
}

let eventCounter = 0;
const eventId = () => `event_${++eventCounter}`;

/** One interviewer response as the GA API sends it (transcript deltas, done, usage). */
export function recordedResponse(
  n: number,
  text: string,
  options: {
    status?: 'completed' | 'cancelled' | 'incomplete' | 'failed';
    audio?: boolean;
    withDone?: boolean;
    functionCall?: string;
    statusDetails?: Record<string, unknown>;
  } = {},
): RawEvent[] {
  const responseId = `resp_${n}`;
  const itemId = `item_${n}`;
  const status = options.status ?? 'completed';
  const words = text.split(' ');
  const events: RawEvent[] = [
    {
      type: 'response.created',
      event_id: eventId(),
      response: { id: responseId, object: 'realtime.response', status: 'in_progress', output: [] },
    },
    {
      type: 'response.output_item.added',
      event_id: eventId(),
      response_id: responseId,
      output_index: 0,
      item: { id: itemId, type: 'message', role: 'assistant', status: 'in_progress', content: [] },
    },
    {
      type: 'conversation.item.added',
      event_id: eventId(),
      previous_item_id: null,
      item: { id: itemId, type: 'message', role: 'assistant', status: 'in_progress', content: [] },
    },
  ];
  if (options.audio)
    events.push({
      type: 'output_audio_buffer.started',
      event_id: eventId(),
      response_id: responseId,
    });
  words.forEach((word, i) => {
    events.push({
      type: 'response.output_audio_transcript.delta',
      event_id: eventId(),
      response_id: responseId,
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      delta: i === 0 ? word : ` ${word}`,
    });
    if (options.audio) {
      events.push({
        type: 'response.output_audio.delta',
        event_id: eventId(),
        response_id: responseId,
        item_id: itemId,
        output_index: 0,
        content_index: 0,
        delta: 'AAAAAAAA',
      });
    }
  });
  if (options.withDone !== false && status === 'completed') {
    events.push({
      type: 'response.output_audio_transcript.done',
      event_id: eventId(),
      response_id: responseId,
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      transcript: text,
    });
  }
  const output: Array<Record<string, unknown>> = [
    {
      id: itemId,
      type: 'message',
      role: 'assistant',
      status: status === 'completed' ? 'completed' : 'incomplete',
    },
  ];
  if (options.functionCall) {
    output.push({
      id: `fc_${n}`,
      type: 'function_call',
      name: options.functionCall,
      call_id: `call_${n}`,
      arguments: '{}',
    });
    events.push({
      type: 'response.output_item.done',
      event_id: eventId(),
      response_id: responseId,
      output_index: 1,
      item: output[1] as Record<string, unknown>,
    });
  }
  events.push({
    type: 'response.done',
    event_id: eventId(),
    response: {
      id: responseId,
      object: 'realtime.response',
      status,
      status_details: options.statusDetails ?? null,
      output,
      usage: {
        total_tokens: 250,
        input_tokens: 180,
        output_tokens: 70,
        input_token_details: { text_tokens: 120, audio_tokens: 60, cached_tokens: 64 },
        output_token_details: { text_tokens: 20, audio_tokens: 50 },
      },
    },
  });
  return events;
}
