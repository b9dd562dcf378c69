import {
  type AudioSegment,
  LOUDNESS_WINDOW_MS,
  loudnessLevel,
  RUN_AUDIO_SAMPLE_RATE,
} from '@core/run-audio.ts';
import { createWebmOpusEncoder, type PcmEncoder } from './webm-opus-encoder.ts';

/** A finished recording: the encoded file and what ties it to the run's clock. */
export interface RecordedAudio {
  bytes: Uint8Array;
  /** The run-clock instant (epoch ms) of position 0. */
  startedAtMs: number;
  durationMs: number;
  loudness: number[];
  segments: AudioSegment[];
}

/** What a run records its interviewer's audio with; the service calls it, platforms make it. */
export interface AudioRecorder {
  /** PCM16 mono at RUN_AUDIO_SAMPLE_RATE heard at `atMs` (epoch ms), from response `responseId` if known. */
  append(samples: Int16Array, atMs: number, responseId: string | null): void;
  /** Pads the recording to `endAtMs` and encodes it; null when it could not be recorded. */
  finish(endAtMs: number): Promise<RecordedAudio | null>;
}

export type AudioRecorderFactory = (startedAtMs: number) => AudioRecorder;

const SAMPLES_PER_MS = RUN_AUDIO_SAMPLE_RATE / 1000;
const WINDOW_SAMPLES = LOUDNESS_WINDOW_MS * SAMPLES_PER_MS;
/** Silence is written in pieces of this many samples, so a long gap is never one large buffer. */
const SILENCE_CHUNK = RUN_AUDIO_SAMPLE_RATE;

/**
 * Lays audio on the run's clock as it is heard: each piece at the instant it
 * arrived, unless the audio before it is still playing (then right after it,
 * as a player would queue it); silence fills the gaps, so position t of the
 * file is the run's start + t. Encodes as it goes (the encoder is given), keeps
 * the loudness of every window and where each response is heard.
 */
export class RunAudioRecorder implements AudioRecorder {
  private cursor = 0;
  private readonly window = new Int16Array(WINDOW_SAMPLES);
  private windowFill = 0;
  private readonly loudness: number[] = [];
  private readonly segments = new Map<string, AudioSegment>();
  private queue: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private finished = false;
  /** Null when the platform has no encoder or it could not be made. */
  private readonly encoder: Promise<PcmEncoder | null>;

  constructor(
    private readonly startedAtMs: number,
    encoder: Promise<PcmEncoder | null>,
    private readonly onFailure: (error: unknown) => void = () => {},
  ) {
    this.encoder = encoder.catch((error) => this.fail(error));
  }

  append(samples: Int16Array, atMs: number, responseId: string | null): void {
    if (this.finished || samples.length === 0) return;
    const arrival = Math.max(0, Math.round((atMs - this.startedAtMs) * SAMPLES_PER_MS));
    this.silenceUntil(arrival);
    const start = this.cursor;
    this.write(samples);
    if (responseId) this.markSegment(responseId, start, this.cursor);
  }

  async finish(endAtMs: number): Promise<RecordedAudio | null> {
    if (this.finished) throw new Error('the recording is already finished');
    const end = Math.max(0, Math.round((endAtMs - this.startedAtMs) * SAMPLES_PER_MS));
    this.silenceUntil(end);
    // Whole milliseconds, so the duration and the number of loudness windows agree.
    this.silenceUntil(Math.ceil(this.cursor / SAMPLES_PER_MS) * SAMPLES_PER_MS);
    this.finished = true;
    if (this.windowFill > 0)
      this.loudness.push(loudnessLevel(this.window.subarray(0, this.windowFill)));
    const encoder = await this.encoder;
    await this.queue;
    if (!encoder || this.failure) {
      await encoder?.cancel().catch(() => {});
      return null;
    }
    let bytes: Uint8Array;
    try {
      bytes = await encoder.finish();
    } catch (error) {
      this.fail(error);
      return null;
    }
    return {
      bytes,
      startedAtMs: this.startedAtMs,
      durationMs: this.cursor / SAMPLES_PER_MS,
      loudness: [...this.loudness],
      segments: [...this.segments.values()],
    };
  }

  private silenceUntil(position: number): void {
    while (this.cursor < position) {
      this.write(new Int16Array(Math.min(SILENCE_CHUNK, position - this.cursor)));
    }
  }

  private write(samples: Int16Array): void {
    this.cursor += samples.length;
    this.measure(samples);
    this.queue = this.queue.then(async () => {
      if (this.failure) return;
      try {
        const encoder = await this.encoder;
        await encoder?.write(samples);
      } catch (error) {
        this.fail(error);
      }
    });
  }

  private measure(samples: Int16Array): void {
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(WINDOW_SAMPLES - this.windowFill, samples.length - offset);
      this.window.set(samples.subarray(offset, offset + take), this.windowFill);
      this.windowFill += take;
      offset += take;
      if (this.windowFill === WINDOW_SAMPLES) {
        this.loudness.push(loudnessLevel(this.window));
        this.windowFill = 0;
      }
    }
  }

  private markSegment(responseId: string, start: number, end: number): void {
    const startMs = Math.floor(start / SAMPLES_PER_MS);
    const endMs = Math.ceil(end / SAMPLES_PER_MS);
    const known = this.segments.get(responseId);
    this.segments.set(responseId, {
      response_id: responseId,
      start_ms: known ? Math.min(known.start_ms, startMs) : startMs,
      end_ms: known ? Math.max(known.end_ms, endMs) : endMs,
    });
  }

  private fail(error: unknown): null {
    if (!this.failure) {
      this.failure = error ?? new Error('audio recording failed');
      this.onFailure(this.failure);
    }
    return null;
  }
}

/** Records a run's audio as Opus in WebM, where the platform can encode Opus (else runs have none). */
export const recordRunAudio: AudioRecorderFactory = (startedAtMs) =>
  new RunAudioRecorder(startedAtMs, createWebmOpusEncoder());
