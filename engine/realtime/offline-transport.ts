import type {
  AssistantItem,
  ClientEvent,
  ConversationItem,
  RawEventRecord,
  RealtimeResponse,
  RealtimeServerEvent,
  RealtimeSessionCreateRequest,
  UnstampedServerEvent,
} from '@core/realtime-events.ts';
import { toServerEvent } from '@core/realtime-events.ts';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { pcm16FromBase64, pcm16ToBase64 } from '../audio/pcm.ts';
import { SpeechSynth } from '../audio/speech-synth.ts';
import { type HeardSpeech, OfflineEars } from './offline-ears.ts';
import {
  nowIso,
  type RealtimeTransport,
  type SessionConfig,
  type TransportHandlers,
} from './transport.ts';

/** Which real connection the offline interviewer's events are those of. */
export type OfflineConnection = 'webrtc' | 'websocket';

export interface OfflineInterviewerOptions {
  /** What the interviewer asks, one line per turn, before its closing line. */
  questions: readonly string[];
  /** Said once the questions are done (and on any turn after); it carries the termination cue. */
  closing: string;
  /** Seeds the time to first audio of every turn: the same seed gives the same timings. */
  seed: number;
  /** Range of the time from `response.create` to first audio, in ms. */
  firstAudioMs?: FirstAudioRange;
  /** About how long speaking one line takes, in ms (a conversation's pace by default). */
  turnMs?: number;
  /**
   * The events of which connection it sends (default WebRTC, the console's):
   * over WebRTC the audio is on the media track and `output_audio_buffer.*`
   * events frame it; over WebSocket it comes as `response.output_audio.delta`.
   */
  connection?: OfflineConnection;
}

/** Why a response was cancelled, in the GA API's words. */
type CancelReason = 'client_cancelled' | 'turn_detected';

export interface FirstAudioRange {
  min: number;
  max: number;
}

/** What a Realtime model takes to start speaking, about: the offline interviewer takes as long. */
export const DEFAULT_FIRST_AUDIO_MS: FirstAudioRange = { min: 300, max: 900 };

/**
 * A deterministic, local interviewer that speaks the GA Realtime protocol: no
 * network, no key. It answers `response.create` with the event sequence a real
 * session sends over WebRTC or WebSocket (`connection`), typed by the `openai`
 * package, paced like speech: the audio starts after a seeded time in
 * `firstAudioMs`, measured on the clock its events are stamped with, so latency
 * figures of offline runs are real measurements. Its voice is real audio: a
 * seeded, speech-like signal, one word after another (over WebSocket in
 * `response.output_audio.delta`, over WebRTC as the media track would bring it).
 */
export class OfflineInterviewerTransport implements RealtimeTransport {
  readonly kind = 'offline';
  readonly waitsForAudioPlayback: boolean;
  private readonly connection: OfflineConnection;
  private handlers: TransportHandlers | null = null;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private responses = 0;
  private events = 0;
  private lastItemId: string | null = null;
  private session: RealtimeSessionCreateRequest = { type: 'realtime' };
  private active: {
    responseId: string;
    itemId: string;
    cancel: (reason: CancelReason) => void;
  } | null = null;
  /** Over WebRTC: the response whose audio is playing, until it stops or is cleared. */
  private audible: { responseId: string; stopped: ReturnType<typeof setTimeout> | null } | null =
    null;
  private ears: OfflineEars | null = null;
  /** A turn ended while a response was active (not interrupted by it): answered once that is done. */
  private answerPending = false;
  private heardItems = 0;
  private closed = false;
  private readonly random: RandomGenerator;
  private readonly voice: SpeechSynth;
  private readonly firstAudioMs: FirstAudioRange;

  constructor(private readonly options: OfflineInterviewerOptions) {
    this.firstAudioMs = options.firstAudioMs ?? DEFAULT_FIRST_AUDIO_MS;
    const { min, max } = this.firstAudioMs;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) {
      throw new RangeError(
        `firstAudioMs must be whole milliseconds with 0 <= min <= max, not ${min}-${max}`,
      );
    }
    this.random = xoroshiro128plus(options.seed);
    this.voice = new SpeechSynth(options.seed);
    this.connection = options.connection ?? 'webrtc';
    this.waitsForAudioPlayback = this.connection === 'webrtc';
  }

  async connect(config: SessionConfig, handlers: TransportHandlers): Promise<void> {
    this.handlers = handlers;
    this.session = {
      type: 'realtime',
      model: config.model,
      instructions: config.instructions,
      output_modalities: ['audio'],
      audio: { output: { voice: config.voice } },
    };
    this.emit({ type: 'session.created', session: this.session });
  }

  send(event: ClientEvent): void {
    if (this.closed || !this.handlers) return;
    this.handlers.onRaw({
      direction: 'client',
      timestamp: nowIso(),
      event: { ...event } as RawEventRecord['event'],
    });
    switch (event.type) {
      case 'session.update':
        if (event.session.type === 'realtime') this.session = { ...this.session, ...event.session };
        this.listen();
        this.emit({ type: 'session.updated', session: this.session });
        break;
      case 'input_audio_buffer.append':
        this.ears?.hear(pcm16FromBase64(event.audio));
        break;
      case 'conversation.item.create': {
        const id = event.item.id ?? `item_user_${this.events}`;
        const item = { ...event.item, id, status: 'completed' } as ConversationItem;
        this.emit({ type: 'conversation.item.added', previous_item_id: this.lastItemId, item });
        this.emit({ type: 'conversation.item.done', previous_item_id: this.lastItemId, item });
        this.lastItemId = id;
        break;
      }
      case 'response.create':
        if (this.active) {
          this.emit({
            type: 'error',
            error: {
              type: 'invalid_request_error',
              code: 'conversation_already_has_active_response',
              message: 'Conversation already has an active response in progress.',
              event_id: event.event_id ?? null,
            },
          });
        } else this.respond();
        break;
      case 'response.cancel':
        this.active?.cancel('client_cancelled');
        break;
      case 'conversation.item.truncate':
        this.emit({
          type: 'conversation.item.truncated',
          item_id: event.item_id,
          content_index: event.content_index,
          audio_end_ms: event.audio_end_ms,
        });
        break;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.ears?.close();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.handlers?.onClose({ unexpected: false, reason: 'closed by client' });
  }

  /** Hears input audio as the session's server VAD says, or not at all when it has none. */
  private listen(): void {
    const detection = this.session.audio?.input?.turn_detection;
    this.ears?.close();
    this.ears = null;
    if (!detection) return;
    // Semantic VAD is the model's judgement: offline, the detector's defaults stand in for it.
    const vad = detection.type === 'server_vad' ? detection : undefined;
    let itemId = '';
    this.ears = new OfflineEars(
      {
        threshold: vad?.threshold,
        prefix_padding_ms: vad?.prefix_padding_ms,
        silence_duration_ms: vad?.silence_duration_ms,
      },
      {
        speechStarted: (audioStartMs) => {
          itemId = `item_input_${++this.heardItems}`;
          this.emit({
            type: 'input_audio_buffer.speech_started',
            audio_start_ms: audioStartMs,
            item_id: itemId,
          });
          if (detection.interrupt_response !== false) this.interrupt();
        },
        speechStopped: (speech) => this.heard(itemId, speech),
        failed: (error) =>
          this.emit({
            type: 'error',
            error: {
              type: 'server_error',
              code: 'vad_unavailable',
              message: `the offline voice-activity detector failed: ${(error as Error).message}`,
              event_id: null,
            },
          }),
      },
    );
  }

  /**
   * The user started speaking over the interviewer: its response is cancelled
   * (`turn_detected`) and, over WebRTC, the audio still playing is cleared.
   */
  private interrupt(): void {
    this.active?.cancel('turn_detected');
    const audible = this.audible;
    if (!audible) return;
    this.audible = null;
    if (audible.stopped) {
      clearTimeout(audible.stopped);
      this.timers.delete(audible.stopped);
    }
    this.emit({ type: 'output_audio_buffer.cleared', response_id: audible.responseId });
  }

  /** The user's speech ended: committed as a user item, transcribed if asked, answered unless told not to. */
  private heard(itemId: string, speech: HeardSpeech): void {
    this.emit({
      type: 'input_audio_buffer.speech_stopped',
      audio_end_ms: speech.audioEndMs,
      item_id: itemId,
    });
    const previousItemId = this.lastItemId;
    this.emit({
      type: 'input_audio_buffer.committed',
      item_id: itemId,
      previous_item_id: previousItemId,
    });
    const item: ConversationItem = {
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      role: 'user',
      status: 'completed',
      content: [{ type: 'input_audio' }],
    };
    this.emit({ type: 'conversation.item.added', previous_item_id: previousItemId, item });
    this.emit({ type: 'conversation.item.done', previous_item_id: previousItemId, item });
    this.lastItemId = itemId;
    if (this.session.audio?.input?.transcription) {
      this.emit({
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: itemId,
        content_index: 0,
        transcript: speech.transcript,
        usage: {
          type: 'duration',
          seconds: (speech.audioEndMs - speech.audioStartMs) / 1000,
        },
      });
    }
    const detection = this.session.audio?.input?.turn_detection;
    if (detection?.create_response === false) return;
    if (this.active) this.answerPending = true;
    else this.respond();
  }

  private respond(): void {
    const index = this.responses++;
    const responseId = `resp_offline_${index + 1}`;
    const itemId = `item_offline_${index + 1}`;
    const text = this.lineFor(index);
    const words = text.split(' ');
    const turnMs = this.options.turnMs ?? 1000;
    const step = words.length > 0 ? (turnMs * 0.6) / words.length : 0;
    const firstAudio = uniformInt(this.random, this.firstAudioMs.min, this.firstAudioMs.max);
    const webrtc = this.connection === 'webrtc';
    const sessionVoice = this.session.audio?.output?.voice;
    const voice = typeof sessionVoice === 'string' ? sessionVoice : undefined;
    const at = { response_id: responseId, item_id: itemId, output_index: 0, content_index: 0 };
    const response: RealtimeResponse = {
      id: responseId,
      object: 'realtime.response',
      conversation_id: 'conv_offline',
      status: 'in_progress',
      output: [],
      output_modalities: ['audio'],
      audio: { output: { format: { type: 'audio/pcm', rate: 24000 }, voice } },
      max_output_tokens: 'inf',
      metadata: null,
    };
    const item = (
      status: AssistantItem['status'],
      content: AssistantItem['content'],
    ): AssistantItem => ({
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      role: 'assistant',
      status,
      content,
    });
    const previousItemId = this.lastItemId;

    this.emit({ type: 'response.created', response });
    this.emit({
      type: 'response.output_item.added',
      response_id: responseId,
      output_index: 0,
      item: item('in_progress', []),
    });
    this.emit({
      type: 'conversation.item.added',
      previous_item_id: previousItemId,
      item: item('in_progress', []),
    });
    this.emit({
      type: 'response.content_part.added',
      ...at,
      part: { type: 'audio', transcript: '' },
    });
    this.lastItemId = itemId;

    const scheduled: Array<ReturnType<typeof setTimeout>> = [];
    let audioStarted = false;
    const finish = (status: 'completed' | CancelReason, spoken: string) => {
      for (const timer of scheduled) {
        clearTimeout(timer);
        this.timers.delete(timer);
      }
      this.active = null;
      const doneItem = item(status === 'completed' ? 'completed' : 'incomplete', [
        { type: 'output_audio', transcript: spoken },
      ]);
      if (status === 'completed') {
        if (!webrtc) this.emit({ type: 'response.output_audio.done', ...at });
        this.emit({ type: 'response.output_audio_transcript.done', ...at, transcript: spoken });
        this.emit({
          type: 'response.content_part.done',
          ...at,
          part: { type: 'audio', transcript: spoken },
        });
        this.emit({
          type: 'response.output_item.done',
          response_id: responseId,
          output_index: 0,
          item: doneItem,
        });
        this.emit({
          type: 'conversation.item.done',
          previous_item_id: previousItemId,
          item: doneItem,
        });
      }
      this.emit({
        type: 'response.done',
        response: {
          ...response,
          ...(status === 'completed'
            ? { status }
            : { status: 'cancelled', status_details: { type: 'cancelled', reason: status } }),
          output: [doneItem],
          usage: {
            total_tokens: 40 + words.length * 3,
            input_tokens: 40,
            output_tokens: words.length * 3,
            input_token_details: { text_tokens: 40, audio_tokens: 0, cached_tokens: 0 },
            output_token_details: { text_tokens: words.length, audio_tokens: words.length * 2 },
          },
        },
      });
      // Over WebRTC the audio sent so far plays out and the buffer reports stopped, unless the
      // user's speech clears it first (a VAD interruption; a client's `response.cancel` does not).
      const audible = this.audible;
      if (webrtc && audible?.responseId === responseId) {
        audible.stopped = this.later(Math.max(0, audioEndsAt - Date.now()), () => {
          this.audible = null;
          this.emit({ type: 'output_audio_buffer.stopped', response_id: responseId });
        });
      }
      if (this.answerPending) {
        this.answerPending = false;
        this.respond();
      }
    };

    // One timer at a time, each word scheduling the next: timers of different delays that are
    // all overdue (a busy event loop) may fire in any order, and the transcript must not.
    let spoken = '';
    /** When the audio of the words said so far has played (epoch ms). */
    let audioEndsAt = 0;
    const speak = (i: number) => {
      const word = words[i] as string;
      const delta = i === 0 ? word : ` ${word}`;
      spoken += delta;
      this.emit({ type: 'response.output_audio_transcript.delta', ...at, delta });
      const samples = this.voice.word(word, step);
      audioEndsAt = Date.now() + step;
      // Over WebRTC the audio is on the media track, not in events.
      if (webrtc) this.handlers?.onAudio?.({ samples, responseId });
      else this.emit({ type: 'response.output_audio.delta', ...at, delta: pcm16ToBase64(samples) });
    };
    const next = (i: number, delay: number) => {
      scheduled.length = 0;
      if (i === words.length) {
        finish('completed', spoken);
        return;
      }
      scheduled.push(
        this.later(delay, () => {
          if (!audioStarted) {
            audioStarted = true;
            if (webrtc) {
              this.audible = { responseId, stopped: null };
              this.emit({ type: 'output_audio_buffer.started', response_id: responseId });
            }
          }
          speak(i);
          next(i + 1, step);
        }),
      );
    };
    // The first word comes with the first audio, after the model's time to first audio.
    next(0, firstAudio);
    this.active = { responseId, itemId, cancel: (reason) => finish(reason, spoken) };
  }

  private lineFor(index: number): string {
    const { questions, closing } = this.options;
    return questions[index] ?? closing;
  }

  private later(ms: number, run: () => void): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private emit(event: UnstampedServerEvent): void {
    if (this.closed || !this.handlers) return;
    const raw: RealtimeServerEvent = { event_id: `event_offline_${++this.events}`, ...event };
    this.handlers.onRaw({ direction: 'server', timestamp: nowIso(), event: { ...raw } });
    this.handlers.onEvent(toServerEvent({ ...raw }));
  }
}
