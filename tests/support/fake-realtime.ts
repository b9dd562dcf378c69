import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type {
  ConversationItem,
  ConversationItemInputAudioTranscriptionCompletedEvent,
  RealtimeAudioConfigInput,
  RealtimeAudioInputTurnDetection,
  RealtimeClientEvent,
  RealtimeResponse,
  RealtimeResponseUsage,
  RealtimeServerEvent,
  RealtimeSessionCreateRequest,
} from 'openai/resources/realtime/realtime';
import { WebSocketServer } from 'ws';
import { bytesFromBase64 } from '../../core/base64.ts';
import { transcribeAudio } from '../../engine/audio/offline-voice.ts';
import { pcm16FromBase64, pcm16ToBase64 } from '../../engine/audio/pcm.ts';
import { SpeechSynth } from '../../engine/audio/speech-synth.ts';
import { createVad, type Vad, type VadOptions } from '../../engine/audio/vad.ts';

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

/**
 * What the loopback's input transcription reports using, as the GA API does:
 * whisper-1 is billed by the second; the gpt-4o transcribe models by tokens,
 * here 10 audio tokens a second heard (rounded up) and one text token per 4
 * characters written.
 */
function transcriptionUsage(
  model: string | undefined,
  seconds: number,
  transcript: string,
): ConversationItemInputAudioTranscriptionCompletedEvent['usage'] {
  if (model === 'whisper-1') return { type: 'duration', seconds };
  const audio = Math.ceil(seconds * 10);
  const text = Math.ceil(transcript.length / 4);
  return {
    type: 'tokens',
    input_tokens: audio,
    output_tokens: text,
    total_tokens: audio + text,
    input_token_details: { text_tokens: 0, audio_tokens: audio },
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
          onClose: (listener) => ws.on('close', listener),
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
  /** Once the link is gone: the session stops its paced responses and frees its detector. */
  onClose?(listener: () => void): void;
}

/** A WebRTC session's media track, which carries the interviewer's voice instead of audio deltas. */
export interface RealtimeAudioTrack {
  /** Sends `ms` of the interviewer's voice; resolves once all of it is sent. */
  play(ms: number): Promise<void>;
  /** Stops the voice being sent, and any queued (the user spoke over it); `play` resolves. */
  stop?(): void;
}

/** What a transport gives a session besides events: over WebRTC, the user's audio from its track. */
export interface RealtimeSessionInput {
  /** Input audio as PCM16 mono at 24 kHz, in order, heard as appended audio is. */
  hear(samples: Int16Array): void;
}

/** How long the loopback interviewer speaks each word over WebRTC's media track. */
export const LOOPBACK_MS_PER_WORD = 40;

/** The input audio the loopback takes: the GA API's default `audio/pcm`, PCM16 mono at 24 kHz. */
export const LOOPBACK_INPUT_RATE = 24_000;
const SAMPLES_PER_MS = LOOPBACK_INPUT_RATE / 1000;
/** OpenAI refuses to commit less audio than this. */
const MIN_COMMIT_MS = 100;

/** `server_vad` as OpenAI documents its defaults: the turn detection of a session that sets none. */
const SERVER_VAD_DEFAULTS = {
  type: 'server_vad',
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 500,
  idle_timeout_ms: null,
  create_response: true,
  interrupt_response: true,
} as const satisfies TurnDetection;

/**
 * The silence after speech that ends a turn under `semantic_vad`, by
 * eagerness: the loopback has no turn model, so eagerness only shortens or
 * stretches the wait.
 */
const SEMANTIC_VAD_SILENCE_MS = { low: 1500, medium: 800, auto: 800, high: 300 } as const;

type TurnDetection = RealtimeAudioInputTurnDetection;
type CancelReason = 'turn_detected' | 'client_cancelled';

/**
 * One Realtime session: its state and its answers to client events. Given an
 * audio track (WebRTC), the voice goes there, framed by
 * `output_audio_buffer.started` / `.stopped`, and no audio deltas are sent.
 *
 * Input audio (`input_audio_buffer.append`, or over WebRTC the send track
 * through the returned `hear`) is heard as OpenAI hears it: with
 * turn detection on (server VAD unless the session set `turn_detection:
 * null`), a real voice-activity detector (`createVad`) runs over it with the
 * session's threshold, prefix padding and silence duration; the end of speech
 * commits the buffer as a user item, whose transcription (when
 * `audio.input.transcription` is set) is decoded from that audio alone by
 * `transcribeAudio`, and starts a response unless `create_response` is false.
 * Speech that starts during a response cancels it unless
 * `interrupt_response` is false.
 */
export function serveRealtimeSession(
  link: RealtimeEventLink,
  issued: IssuedSession,
  audioTrack?: RealtimeAudioTrack,
): RealtimeSessionInput {
  let nextId = 0;
  const id = (prefix: string) => `${prefix}_loop${++nextId}`;
  let closed = false;
  const send = (event: RealtimeServerEvent) => {
    if (!closed) link.send(JSON.stringify(event));
  };
  const conversationId = id('conv');
  // The voice over WebSocket: pcm16 at 24 kHz of the offline agents' speech-like signal.
  const voice = new SpeechSynth(issued.voice.length);
  let session: RealtimeSessionCreateRequest = {
    type: 'realtime',
    model: issued.model,
    instructions: issued.instructions,
    output_modalities: ['audio'],
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: LOOPBACK_INPUT_RATE },
        turn_detection: SERVER_VAD_DEFAULTS,
      },
      output: { voice: issued.voice },
    },
  };
  let lastItemId: string | null = null;
  let responses = 0;
  /** The response being generated, if any; it can be cancelled until its `response.done`. */
  let active: { id: string; cancel(reason: CancelReason): void } | undefined;
  /** A turn ended while a response was active: answer it once that one is done. */
  let answerPending = false;
  /** WebRTC: responses whose voice is still on the media track. */
  const playing = new Set<string>();
  /** WebSocket: ms of audio each assistant item holds, as sent (a truncate shortens it). */
  const itemAudioMs = new Map<string, number>();
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const input = new InputAudioBuffer();
  let detector: { key: string; vad: Vad; origin: number } | undefined;
  /** The speech the detector is hearing, and the id its item will get. */
  let speech: { itemId: string } | undefined;

  const refuse = (
    clientEventId: string | undefined,
    code: string,
    message: string,
    param?: string,
  ) =>
    send({
      type: 'error',
      event_id: id('event'),
      error: {
        type: 'invalid_request_error',
        code,
        message,
        event_id: clientEventId ?? null,
        ...(param ? { param } : {}),
      },
    });

  send({ type: 'session.created', event_id: id('event'), session });

  link.onClose?.(() => {
    closed = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    detector?.vad.close();
    detector = undefined;
  });

  // One event at a time, in order: hearing audio may wait for the detector to load.
  let queue = Promise.resolve();
  const inTurn = (work: () => void | Promise<void>) => {
    queue = queue
      .then(() => (closed ? undefined : work()))
      .catch((error: unknown) =>
        send({
          type: 'error',
          event_id: id('event'),
          error: { type: 'server_error', message: String(error), event_id: null },
        }),
      );
  };
  link.onMessage((data) => inTurn(() => handle(data)));

  function handle(data: string): void | Promise<void> {
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
        const update = event.session as RealtimeSessionCreateRequest;
        const problem = audioInputProblem(update.audio?.input);
        if (problem) return refuse(event.event_id, 'invalid_value', problem.message, problem.param);
        session = mergeSession(session, update);
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
        if (active) {
          return refuse(
            event.event_id,
            'conversation_already_has_active_response',
            `Conversation already has an active response in progress: ${active.id}. Wait until the response is finished before creating a new one.`,
          );
        }
        const refusal = responseCreateRefusal(session.instructions, responses);
        if (refusal) return refuse(event.event_id, refusal.code, refusal.message);
        return respond(responses++);
      }
      case 'response.cancel': {
        if (!active || (event.response_id && event.response_id !== active.id)) {
          return refuse(
            event.event_id,
            'response_cancel_not_active',
            'Cancellation failed: no active response found.',
          );
        }
        return active.cancel('client_cancelled');
      }
      case 'input_audio_buffer.append':
        return append(event.audio, event.event_id);
      case 'input_audio_buffer.commit': {
        const ms = input.length / SAMPLES_PER_MS;
        if (ms < MIN_COMMIT_MS) {
          return refuse(
            event.event_id,
            'input_audio_buffer_commit_empty',
            `Error committing input audio buffer: buffer too small. Expected at least ${MIN_COMMIT_MS}ms of audio, but buffer only has ${ms.toFixed(2)}ms of audio.`,
          );
        }
        // Committed during speech, the item takes the id speech_started announced.
        const itemId = speech?.itemId ?? id('item');
        speech = undefined;
        return commit(itemId, input.end);
      }
      case 'input_audio_buffer.clear':
        input.clear();
        return send({ type: 'input_audio_buffer.cleared', event_id: id('event') });
      case 'conversation.item.truncate': {
        const audioMs = itemAudioMs.get(event.item_id);
        if (audioMs === undefined) {
          return refuse(
            event.event_id,
            'item_truncate_invalid_item_id',
            `Item with item_id not found: ${event.item_id}`,
          );
        }
        if (event.audio_end_ms > audioMs) {
          return refuse(
            event.event_id,
            'invalid_value',
            `Audio content of ${audioMs}ms is already shorter than ${event.audio_end_ms}ms`,
          );
        }
        itemAudioMs.set(event.item_id, event.audio_end_ms);
        return send({
          type: 'conversation.item.truncated',
          event_id: id('event'),
          item_id: event.item_id,
          content_index: event.content_index,
          audio_end_ms: event.audio_end_ms,
        });
      }
      default:
        return refuse(
          event.event_id,
          'unknown_event',
          `The loopback does not answer ${event.type} events.`,
        );
    }
  }

  /** An appended chunk of audio, heard once it is known to be PCM16. */
  function append(audio: unknown, clientEventId: string | undefined): void | Promise<void> {
    let samples: Int16Array;
    try {
      if (typeof audio !== 'string') throw new TypeError('not a string');
      const bytes = bytesFromBase64(audio);
      if (bytes.length % 2 !== 0) throw new RangeError('odd length');
      samples = pcm16FromBase64(audio);
    } catch {
      return refuse(
        clientEventId,
        'invalid_value',
        "Invalid 'audio': expected base64-encoded audio/pcm (PCM16 little-endian, 24 kHz mono) bytes.",
        'audio',
      );
    }
    return hear(samples);
  }

  /** Buffers input audio (24 kHz) and runs the session's turn detection over it. */
  async function hear(samples: Int16Array): Promise<void> {
    const at = input.end;
    input.push(samples);
    const detection = turnDetection(session);
    if (!detection) return;
    const options = vadOptions(detection);
    const key = JSON.stringify(options);
    if (detector?.key !== key) {
      // New settings start a new detector, on the same audio clock.
      detector?.vad.close();
      detector = { key, vad: await createVad(options), origin: at };
    }
    const { vad, origin } = detector;
    for (const heard of vad.push(samples)) {
      if (heard.type === 'speech_started') {
        const start = origin + heard.audioStartMs * SAMPLES_PER_MS;
        // What came before the prefix padding is not part of the turn.
        input.dropBefore(start);
        speech = { itemId: id('item') };
        send({
          type: 'input_audio_buffer.speech_started',
          event_id: id('event'),
          audio_start_ms: Math.round(start / SAMPLES_PER_MS),
          item_id: speech.itemId,
        });
        if (detection.interrupt_response !== false) interrupt();
      } else if (speech) {
        const end = origin + heard.audioEndMs * SAMPLES_PER_MS;
        const { itemId } = speech;
        speech = undefined;
        send({
          type: 'input_audio_buffer.speech_stopped',
          event_id: id('event'),
          audio_end_ms: Math.round(end / SAMPLES_PER_MS),
          item_id: itemId,
        });
        commit(itemId, end);
        if (detection.create_response !== false) {
          if (active) answerPending = true;
          else respond(responses++);
        }
      }
    }
  }

  /** The user's turn up to sample `end` becomes an item; transcribed when the session asks. */
  function commit(itemId: string, end: number): void {
    const audio = input.take(end);
    send({
      type: 'input_audio_buffer.committed',
      event_id: id('event'),
      item_id: itemId,
      previous_item_id: lastItemId,
    });
    const item: ConversationItem = {
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      role: 'user',
      status: 'completed',
      content: [{ type: 'input_audio' }],
    };
    send({
      type: 'conversation.item.added',
      event_id: id('event'),
      previous_item_id: lastItemId,
      item,
    });
    send({
      type: 'conversation.item.done',
      event_id: id('event'),
      previous_item_id: lastItemId,
      item,
    });
    lastItemId = itemId;
    if (!session.audio?.input?.transcription) return;
    // Heard from the committed audio alone: noise or a cut turn costs words.
    const transcript = transcribeAudio(audio, { sampleRate: LOOPBACK_INPUT_RATE });
    const at = { item_id: itemId, content_index: 0 };
    send({
      type: 'conversation.item.input_audio_transcription.delta',
      event_id: id('event'),
      ...at,
      delta: transcript,
    });
    send({
      type: 'conversation.item.input_audio_transcription.completed',
      event_id: id('event'),
      ...at,
      transcript,
      usage: transcriptionUsage(
        session.audio.input.transcription.model,
        audio.length / LOOPBACK_INPUT_RATE,
        transcript,
      ),
    });
  }

  /** The user started speaking: the response and its voice stop. */
  function interrupt(): void {
    active?.cancel('turn_detected');
    if (playing.size > 0) audioTrack?.stop?.();
    for (const responseId of playing) {
      send({ type: 'output_audio_buffer.cleared', event_id: id('event'), response_id: responseId });
    }
    playing.clear();
  }

  /**
   * The interviewer's nth turn: the full GA sequence of an audio response, at
   * once, or a word every `paceResponses` ms, cancellable until it is done.
   */
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
    let played: Promise<void> | undefined;
    if (audioTrack) {
      send({ type: 'output_audio_buffer.started', event_id: id('event'), response_id: responseId });
      playing.add(responseId);
      played = audioTrack.play(words.length * LOOPBACK_MS_PER_WORD);
    }
    let said = '';
    const say = (word: string) => {
      if (!audioTrack) {
        const delta = pcm16ToBase64(voice.word(word, DELTA_MS));
        send({ type: 'response.output_audio.delta', event_id: id('event'), ...at, delta });
        itemAudioMs.set(itemId, (itemAudioMs.get(itemId) ?? 0) + DELTA_MS);
      }
      send({
        type: 'response.output_audio_transcript.delta',
        event_id: id('event'),
        ...at,
        delta: word,
      });
      said += word;
    };
    const finish = (cancelled?: CancelReason) => {
      active = undefined;
      const done: ConversationItem = {
        ...inProgress,
        status: cancelled ? 'incomplete' : 'completed',
        content: [{ type: 'output_audio', transcript: said }],
      };
      send({ type: 'response.output_audio.done', event_id: id('event'), ...at });
      send({
        type: 'response.output_audio_transcript.done',
        event_id: id('event'),
        ...at,
        transcript: said,
      });
      send({
        type: 'response.content_part.done',
        event_id: id('event'),
        ...at,
        part: { type: 'audio', transcript: said },
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
        response: {
          ...response,
          status: cancelled ? 'cancelled' : 'completed',
          ...(cancelled ? { status_details: { type: 'cancelled', reason: cancelled } } : {}),
          output: [done],
          usage: loopbackUsage(n),
        },
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
      void played?.then(() => {
        if (!playing.delete(responseId)) return; // cleared by the user's speech
        send({
          type: 'output_audio_buffer.stopped',
          event_id: id('event'),
          response_id: responseId,
        });
      });
      if (answerPending) {
        answerPending = false;
        respond(responses++);
      }
    };

    const pace = responsePace(session.instructions);
    if (pace === 0) {
      for (const word of words) say(word);
      finish();
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let next = 0;
    const step = () => {
      if (timer) timers.delete(timer);
      const word = words[next++];
      if (word === undefined) {
        finish();
        return;
      }
      say(word);
      timer = setTimeout(step, pace);
      timers.add(timer);
    };
    active = {
      id: responseId,
      cancel(reason) {
        if (timer) {
          clearTimeout(timer);
          timers.delete(timer);
        }
        finish(reason);
      },
    };
    step();
  }

  return { hear: (samples) => inTurn(() => hear(samples)) };
}

/** The session after `session.update`: audio input and output settings merge field by field. */
function mergeSession(
  session: RealtimeSessionCreateRequest,
  update: RealtimeSessionCreateRequest,
): RealtimeSessionCreateRequest {
  const input = { ...session.audio?.input, ...update.audio?.input };
  const detection = update.audio?.input?.turn_detection;
  if (detection) input.turn_detection = withDefaults(detection);
  return {
    ...session,
    ...update,
    audio: { input, output: { ...session.audio?.output, ...update.audio?.output } },
  };
}

/** A turn detection as OpenAI reports it: the fields it was given, the documented defaults for the rest. */
function withDefaults(detection: TurnDetection): TurnDetection {
  if (detection.type === 'semantic_vad') {
    return { eagerness: 'auto', create_response: true, interrupt_response: true, ...detection };
  }
  return { ...SERVER_VAD_DEFAULTS, ...detection };
}

function turnDetection(session: RealtimeSessionCreateRequest): TurnDetection | null {
  const detection = session.audio?.input?.turn_detection;
  return detection === null ? null : withDefaults(detection ?? SERVER_VAD_DEFAULTS);
}

function vadOptions(detection: TurnDetection): VadOptions {
  if (detection.type === 'semantic_vad') {
    return {
      sampleRate: LOOPBACK_INPUT_RATE,
      silenceDurationMs: SEMANTIC_VAD_SILENCE_MS[detection.eagerness ?? 'auto'],
    };
  }
  return {
    sampleRate: LOOPBACK_INPUT_RATE,
    threshold: detection.threshold ?? SERVER_VAD_DEFAULTS.threshold,
    prefixPaddingMs: detection.prefix_padding_ms ?? SERVER_VAD_DEFAULTS.prefix_padding_ms,
    silenceDurationMs: detection.silence_duration_ms ?? SERVER_VAD_DEFAULTS.silence_duration_ms,
  };
}

/** What OpenAI would refuse in a `session.update`'s `audio.input`, naming the field. */
function audioInputProblem(
  input: RealtimeAudioConfigInput | undefined,
): { param: string; message: string } | null {
  const at = 'session.audio.input';
  const format = input?.format;
  if (format && !(format.type === 'audio/pcm' && (format.rate ?? 24000) === LOOPBACK_INPUT_RATE)) {
    return {
      param: `${at}.format`,
      message: `Invalid '${at}.format': the loopback takes audio/pcm at ${LOOPBACK_INPUT_RATE} Hz only.`,
    };
  }
  const detection = input?.turn_detection;
  if (!detection) return null;
  const param = `${at}.turn_detection`;
  if (detection.type !== 'server_vad' && detection.type !== 'semantic_vad') {
    return {
      param: `${param}.type`,
      message: `Invalid value: '${String((detection as { type?: unknown }).type)}'. Supported values are: 'server_vad' and 'semantic_vad'.`,
    };
  }
  if (detection.type === 'semantic_vad') {
    const { eagerness } = detection;
    return eagerness === undefined || eagerness in SEMANTIC_VAD_SILENCE_MS
      ? null
      : {
          param: `${param}.eagerness`,
          message: `Invalid value: '${eagerness}'. Supported values are: 'low', 'medium', 'high' and 'auto'.`,
        };
  }
  const { threshold } = detection;
  if (
    threshold !== undefined &&
    !(typeof threshold === 'number' && threshold >= 0 && threshold <= 1)
  ) {
    return {
      param: `${param}.threshold`,
      message: `Invalid '${param}.threshold': expected a number between 0 and 1, got ${threshold}.`,
    };
  }
  for (const field of ['prefix_padding_ms', 'silence_duration_ms'] as const) {
    const value = detection[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      return {
        param: `${param}.${field}`,
        message: `Invalid '${param}.${field}': expected a non-negative integer of ms, got ${value}.`,
      };
    }
  }
  return null;
}

/**
 * The input audio appended and not yet committed or cleared, on the session's
 * audio clock: sample offsets since the session began.
 */
class InputAudioBuffer {
  private chunks: Int16Array[] = [];
  /** The clock of the buffer's first sample, and of the sample after its last. */
  private start = 0;
  end = 0;

  get length(): number {
    return this.end - this.start;
  }

  push(samples: Int16Array): void {
    this.chunks.push(samples);
    this.end += samples.length;
  }

  /** The samples before `until` (clock), removed from the buffer. */
  take(until: number): Int16Array {
    const stop = Math.max(this.start, Math.min(this.end, Math.round(until)));
    const out = new Int16Array(stop - this.start);
    let filled = 0;
    while (filled < out.length) {
      const chunk = this.chunks[0] as Int16Array;
      const used = Math.min(chunk.length, out.length - filled);
      out.set(chunk.subarray(0, used), filled);
      filled += used;
      if (used === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(used);
    }
    this.start = stop;
    return out;
  }

  dropBefore(clock: number): void {
    this.take(clock);
  }

  clear(): void {
    this.chunks = [];
    this.start = this.end;
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

const PACE_DIRECTIVE = /\[loopback: speak (\d+) ms a word\]/;

/**
 * Put in the interviewer's prompt, this makes the loopback generate its
 * responses a word every `msPerWord` ms instead of at once, so a response
 * stays in progress long enough for the user to talk over it (or the client
 * to cancel it) and another `response.create` meanwhile is refused.
 */
export function paceResponses(msPerWord: number): string {
  return `[loopback: speak ${msPerWord} ms a word]`;
}

function responsePace(instructions: RealtimeSessionCreateRequest['instructions']): number {
  return Number(PACE_DIRECTIVE.exec(instructions ?? '')?.[1] ?? 0);
}
