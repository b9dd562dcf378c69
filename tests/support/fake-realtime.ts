import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type {
  ConversationItem,
  RealtimeClientEvent,
  RealtimeResponse,
  RealtimeResponseUsage,
  RealtimeServerEvent,
  RealtimeSessionCreateRequest,
} from 'openai/resources/realtime/realtime';
import { WebSocketServer } from 'ws';
import { pcm16ToBase64 } from '../../engine/audio/pcm.ts';
import { SpeechSynth } from '../../engine/audio/speech-synth.ts';

/** What a client secret was minted for; the WebSocket session starts from it. */
export interface IssuedSession {
  model: string;
  voice: string;
  instructions: string;
}

/**
 * The loopback interviewer's lines, said one per `response.create` in this
 * order (the last one again if asked for more). The last ends with the
 * default termination cue.
 */
export const LOOPBACK_INTERVIEWER_LINES = [
  'Hello, thanks for joining. How do you plan your week today?',
  'What gets in the way of that plan most often?',
  'If one thing about planning could change, what would it be?',
  'Thank you, that is all I wanted to know. That concludes our interview.',
] as const;

/**
 * The usage the loopback reports in the `response.done` of its nth response
 * (0-based): varied per response and with cached text, so a test sees each one
 * summed and priced in its bucket.
 */
export function loopbackUsage(n: number): RealtimeResponseUsage {
  const textIn = 120 + 40 * n;
  const cachedText = n === 0 ? 0 : 64;
  const textOut = 20 + n;
  const audioOut = 150 + 10 * n;
  return {
    total_tokens: textIn + textOut + audioOut,
    input_tokens: textIn,
    output_tokens: textOut + audioOut,
    input_token_details: {
      text_tokens: textIn,
      audio_tokens: 0,
      image_tokens: 0,
      cached_tokens: cachedText,
      cached_tokens_details: { text_tokens: cachedText, audio_tokens: 0, image_tokens: 0 },
    },
    output_token_details: { text_tokens: textOut, audio_tokens: audioOut },
  };
}

/** How long each word's audio delta plays over WebSocket. */
const DELTA_MS = 100;

/**
 * The GA Realtime API over WebSocket at `{base}/realtime?model=…`, as the
 * `openai` package types it: authenticated like OpenAI's browser sockets (the
 * `realtime` subprotocol and `openai-insecure-api-key.<ephemeral key>`), it
 * answers `session.update`, `conversation.item.create` and `response.create`
 * with the events OpenAI sends, and `error` for what OpenAI would refuse.
 */
export function createFakeRealtime(issued: ReadonlyMap<string, IssuedSession>) {
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('realtime') ? 'realtime' : false),
  });

  /** Handles an HTTP upgrade of the loopback server; refuses as OpenAI would. */
  function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://loopback');
    const protocols = (request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim());
    const key = protocols
      .find((p) => p.startsWith('openai-insecure-api-key.'))
      ?.slice('openai-insecure-api-key.'.length);
    const session = key ? issued.get(key) : undefined;
    const model = url.searchParams.get('model');
    const refusal: [number, string] | null =
      url.pathname !== '/v1/realtime'
        ? [404, `no fake for ${url.pathname}`]
        : !protocols.includes('realtime')
          ? [400, 'the realtime subprotocol is missing']
          : !session
            ? [401, 'Incorrect API key provided.']
            : model !== session.model
              ? [400, `the key is for ${session.model}, not ${model}`]
              : null;
    if (refusal || !session) {
      const [status, message] = refusal ?? [401, 'Incorrect API key provided.'];
      const body = JSON.stringify({ error: { message, type: 'invalid_request_error' } });
      socket.end(
        `HTTP/1.1 ${status} Refused\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) =>
      serveRealtimeSession(
        {
          send: (data) => ws.send(data),
          onMessage: (listener) => ws.on('message', (data) => listener(String(data))),
        },
        session,
      ),
    );
  }

  const close = () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  };
  return { upgrade, close };
}

/** Where one session's JSON events travel: a WebSocket, or WebRTC's `oai-events` data channel. */
export interface RealtimeEventLink {
  send(data: string): void;
  onMessage(listener: (data: string) => void): void;
}

/** A WebRTC session's media track, which carries the interviewer's voice instead of audio deltas. */
export interface RealtimeAudioTrack {
  /** Sends `ms` of the interviewer's voice; resolves once all of it is sent. */
  play(ms: number): Promise<void>;
}

/** How long the loopback interviewer speaks each word over WebRTC's media track. */
export const LOOPBACK_MS_PER_WORD = 40;

/**
 * One Realtime session: its state and its answers to client events. Given an
 * audio track (WebRTC), the voice goes there, framed by
 * `output_audio_buffer.started` / `.stopped`, and no audio deltas are sent.
 */
export function serveRealtimeSession(
  link: RealtimeEventLink,
  issued: IssuedSession,
  audioTrack?: RealtimeAudioTrack,
): void {
  let nextId = 0;
  const id = (prefix: string) => `${prefix}_loop${++nextId}`;
  const send = (event: RealtimeServerEvent) => link.send(JSON.stringify(event));
  const conversationId = id('conv');
  // The voice over WebSocket: pcm16 at 24 kHz of the offline agents' speech-like signal.
  const voice = new SpeechSynth(issued.voice.length);
  let session: RealtimeSessionCreateRequest = {
    type: 'realtime',
    model: issued.model,
    instructions: issued.instructions,
    output_modalities: ['audio'],
    audio: { output: { voice: issued.voice } },
  };
  let lastItemId: string | null = null;
  let responses = 0;

  const refuse = (clientEventId: string | undefined, code: string, message: string) =>
    send({
      type: 'error',
      event_id: id('event'),
      error: { type: 'invalid_request_error', code, message, event_id: clientEventId ?? null },
    });

  send({ type: 'session.created', event_id: id('event'), session });

  link.onMessage((data) => {
    let event: RealtimeClientEvent;
    try {
      event = JSON.parse(data) as RealtimeClientEvent;
    } catch {
      return refuse(undefined, 'invalid_json', 'The event is not valid JSON.');
    }
    switch (event.type) {
      case 'session.update': {
        if (event.session.type !== 'realtime') {
          return refuse(
            event.event_id,
            'missing_required_parameter',
            "Missing required parameter: 'session.type'.",
          );
        }
        session = { ...session, ...(event.session as RealtimeSessionCreateRequest) };
        return send({ type: 'session.updated', event_id: id('event'), session });
      }
      case 'conversation.item.create': {
        const item = { ...event.item, id: event.item.id ?? id('item'), status: 'completed' };
        const added = item as ConversationItem;
        send({
          type: 'conversation.item.added',
          event_id: id('event'),
          previous_item_id: lastItemId,
          item: added,
        });
        send({
          type: 'conversation.item.done',
          event_id: id('event'),
          previous_item_id: lastItemId,
          item: added,
        });
        lastItemId = added.id ?? null;
        return;
      }
      case 'response.create': {
        const refusal = responseCreateRefusal(session.instructions, responses);
        if (refusal) return refuse(event.event_id, refusal.code, refusal.message);
        return respond(responses++);
      }
      default:
        return refuse(
          event.event_id,
          'unknown_event',
          `The loopback does not answer ${event.type} events.`,
        );
    }
  });

  /** The interviewer's nth turn: the full GA sequence of an audio response. */
  function respond(n: number): void {
    const line =
      LOOPBACK_INTERVIEWER_LINES[Math.min(n, LOOPBACK_INTERVIEWER_LINES.length - 1)] ?? '';
    const responseId = id('resp');
    const itemId = id('item');
    const at = { response_id: responseId, item_id: itemId, output_index: 0, content_index: 0 };
    const response: RealtimeResponse = {
      id: responseId,
      object: 'realtime.response',
      conversation_id: conversationId,
      status: 'in_progress',
      output: [],
      output_modalities: ['audio'],
      audio: { output: { format: { type: 'audio/pcm', rate: 24000 }, voice: issued.voice } },
      max_output_tokens: 'inf',
      metadata: null,
    };
    const inProgress: ConversationItem = {
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      role: 'assistant',
      status: 'in_progress',
      content: [],
    };
    const done: ConversationItem = {
      ...inProgress,
      status: 'completed',
      content: [{ type: 'output_audio', transcript: line }],
    };
    send({ type: 'response.created', event_id: id('event'), response });
    send({
      type: 'response.output_item.added',
      event_id: id('event'),
      response_id: responseId,
      output_index: 0,
      item: inProgress,
    });
    send({
      type: 'conversation.item.added',
      event_id: id('event'),
      previous_item_id: lastItemId,
      item: inProgress,
    });
    send({
      type: 'response.content_part.added',
      event_id: id('event'),
      ...at,
      part: { type: 'audio', transcript: '' },
    });
    const words = line.split(/(?<= )/);
    let playing: Promise<void> | undefined;
    if (audioTrack) {
      send({ type: 'output_audio_buffer.started', event_id: id('event'), response_id: responseId });
      playing = audioTrack.play(words.length * LOOPBACK_MS_PER_WORD);
    }
    for (const word of words) {
      if (!audioTrack) {
        const delta = pcm16ToBase64(voice.word(word, DELTA_MS));
        send({ type: 'response.output_audio.delta', event_id: id('event'), ...at, delta });
      }
      send({
        type: 'response.output_audio_transcript.delta',
        event_id: id('event'),
        ...at,
        delta: word,
      });
    }
    send({ type: 'response.output_audio.done', event_id: id('event'), ...at });
    send({
      type: 'response.output_audio_transcript.done',
      event_id: id('event'),
      ...at,
      transcript: line,
    });
    send({
      type: 'response.content_part.done',
      event_id: id('event'),
      ...at,
      part: { type: 'audio', transcript: line },
    });
    send({
      type: 'response.output_item.done',
      event_id: id('event'),
      response_id: responseId,
      output_index: 0,
      item: done,
    });
    send({
      type: 'conversation.item.done',
      event_id: id('event'),
      previous_item_id: lastItemId,
      item: done,
    });
    lastItemId = itemId;
    send({
      type: 'response.done',
      event_id: id('event'),
      response: { ...response, status: 'completed', output: [done], usage: loopbackUsage(n) },
    });
    send({
      type: 'rate_limits.updated',
      event_id: id('event'),
      rate_limits: [
        { name: 'requests', limit: 5000, remaining: 4999 - n, reset_seconds: 0.012 },
        { name: 'tokens', limit: 40000, remaining: 39000, reset_seconds: 1.5 },
      ],
    });
    // The response is generated faster than it is heard: the buffer drains after response.done.
    void playing?.then(() =>
      send({ type: 'output_audio_buffer.stopped', event_id: id('event'), response_id: responseId }),
    );
  }
}

const REFUSAL_DIRECTIVE =
  /\[loopback: refuse response\.create after (\d+) with ([a-z_]+): ([^\]]+)\]/;

/**
 * Put in the interviewer's prompt, this makes the loopback refuse every
 * `response.create` after the first `answered` ones with an `error` naming
 * the refused event's `event_id`, as OpenAI does (e.g. with
 * `conversation_already_has_active_response`, or a rate limit): no
 * `response.created` follows.
 */
export function refuseResponseCreate(answered: number, code: string, message: string): string {
  return `[loopback: refuse response.create after ${answered} with ${code}: ${message}]`;
}

/** The refusal the session's instructions ask for, once `answered` responses were given. */
function responseCreateRefusal(
  instructions: RealtimeSessionCreateRequest['instructions'],
  answered: number,
): { code: string; message: string } | null {
  const match = REFUSAL_DIRECTIVE.exec(instructions ?? '');
  if (!match || answered < Number(match[1])) return null;
  return { code: match[2] ?? '', message: match[3] ?? '' };
}
