import type {
  ClientEvent,
  OutputItem,
  RawEventRecord,
  ServerEvent,
} from '@core/realtime-events.ts';
import { toServerEvent } from '@core/realtime-events.ts';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import {
  nowIso,
  type RealtimeTransport,
  type SessionConfig,
  type TransportHandlers,
} from './transport.ts';

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
}

export interface FirstAudioRange {
  min: number;
  max: number;
}

/** What a Realtime model takes to start speaking, about: the offline interviewer takes as long. */
export const DEFAULT_FIRST_AUDIO_MS: FirstAudioRange = { min: 300, max: 900 };

/** 20 ms of silent 24 kHz PCM16, base64: what audio deltas look like on the wire. */
const SILENT_AUDIO_CHUNK = btoa(String.fromCharCode(...new Uint8Array(960)));

/**
 * A deterministic, local interviewer that speaks the GA Realtime protocol: no
 * network, no key. It answers `response.create` with the same event sequence a
 * real session sends over WebRTC, paced like speech: the audio starts after a
 * seeded time in `firstAudioMs`, measured on the clock its events are stamped
 * with, so latency figures of offline runs are real measurements.
 */
export class OfflineInterviewerTransport implements RealtimeTransport {
  readonly kind = 'offline';
  readonly waitsForAudioPlayback = true;
  private handlers: TransportHandlers | null = null;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private responses = 0;
  private events = 0;
  private lastItemId: string | null = null;
  private active: { responseId: string; itemId: string; cancel: () => void } | null = null;
  private closed = false;
  private readonly random: RandomGenerator;
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
  }

  async connect(config: SessionConfig, handlers: TransportHandlers): Promise<void> {
    this.handlers = handlers;
    this.emit({
      type: 'session.created',
      session: {
        type: 'realtime',
        id: 'sess_offline',
        model: config.model,
        instructions: config.instructions,
      },
    });
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
        this.emit({ type: 'session.updated', session: { ...event.session, id: 'sess_offline' } });
        break;
      case 'conversation.item.create': {
        const id = event.item.id ?? `item_user_${this.events}`;
        const item = { ...event.item, id, status: 'completed' };
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
            },
          });
        } else this.respond();
        break;
      case 'response.cancel':
        this.active?.cancel();
        break;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.handlers?.onClose({ unexpected: false, reason: 'closed by client' });
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
    const item: OutputItem = {
      id: itemId,
      type: 'message',
      role: 'assistant',
      status: 'in_progress',
    };

    this.emit({ type: 'response.created', response: { id: responseId, status: 'in_progress' } });
    this.emit({
      type: 'response.output_item.added',
      response_id: responseId,
      output_index: 0,
      item,
    });
    this.emit({ type: 'conversation.item.added', previous_item_id: this.lastItemId, item });
    this.lastItemId = itemId;

    const scheduled: Array<ReturnType<typeof setTimeout>> = [];
    let audioStarted = false;
    const finish = (status: 'completed' | 'cancelled', spoken: string) => {
      for (const timer of scheduled) {
        clearTimeout(timer);
        this.timers.delete(timer);
      }
      this.active = null;
      const doneItem = { ...item, status: status === 'completed' ? 'completed' : 'incomplete' };
      if (status === 'completed') {
        this.emit({
          type: 'response.output_audio_transcript.done',
          response_id: responseId,
          item_id: itemId,
          output_index: 0,
          content_index: 0,
          transcript: spoken,
        });
        this.emit({
          type: 'response.output_item.done',
          response_id: responseId,
          output_index: 0,
          item: doneItem,
        });
        this.emit({ type: 'conversation.item.done', previous_item_id: null, item: doneItem });
      }
      this.emit({
        type: 'response.done',
        response: {
          id: responseId,
          status,
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
      if (status === 'completed') {
        this.later(turnMs * 0.1, () =>
          this.emit({ type: 'output_audio_buffer.stopped', response_id: responseId }),
        );
      } else if (audioStarted) {
        this.emit({ type: 'output_audio_buffer.cleared', response_id: responseId });
      }
    };

    // One timer at a time, each word scheduling the next: timers of different delays that are
    // all overdue (a busy event loop) may fire in any order, and the transcript must not.
    let spoken = '';
    const speak = (i: number) => {
      const word = words[i] as string;
      const delta = i === 0 ? word : ` ${word}`;
      spoken += delta;
      this.emit({
        type: 'response.output_audio_transcript.delta',
        response_id: responseId,
        item_id: itemId,
        output_index: 0,
        content_index: 0,
        delta,
      });
      this.emit({
        type: 'response.output_audio.delta',
        response_id: responseId,
        item_id: itemId,
        delta: SILENT_AUDIO_CHUNK,
      });
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
            this.emit({ type: 'output_audio_buffer.started', response_id: responseId });
          }
          speak(i);
          next(i + 1, step);
        }),
      );
    };
    // The first word comes with the first audio, after the model's time to first audio.
    next(0, firstAudio);
    this.active = { responseId, itemId, cancel: () => finish('cancelled', spoken) };
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

  private emit(payload: Record<string, unknown> & { type: string }): void {
    if (this.closed || !this.handlers) return;
    const raw = { event_id: `event_offline_${++this.events}`, ...payload };
    this.handlers.onRaw({ direction: 'server', timestamp: nowIso(), event: raw });
    this.handlers.onEvent(toServerEvent(raw) as ServerEvent);
  }
}
