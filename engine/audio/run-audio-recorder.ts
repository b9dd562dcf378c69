import {
  type AudioSegment,
  LOUDNESS_WINDOW_MS,
  loudnessLevel,
  RUN_AUDIO_SAMPLE_RATE,
  SAMPLES_PER_MS,
} from '@core/run-audio.ts';
import { createWebmOpusEncoder, type PcmEncoder } from './webm-opus-encoder.ts';

/** A finished recording: the encoded file and what ties it to the run's clock. */
export interface RecordedAudio {
  bytes: Uint8Array;
  /** The run-clock instant (epoch ms) of position 0. */
  startedAtMs: number;
  durationMs: number;
  loudness: number[];
  /** A stereo recording's right channel (the simulated user's microphone): its loudness. */
  userLoudness?: number[];
  segments: AudioSegment[];
}

/** The interviewer's channel, and (stereo only) the simulated user's. */
export type RecordedChannel = 'interviewer' | 'user';

/** What a run records its audio with; the service calls it, platforms make it. */
export interface AudioRecorder {
  /**
   * PCM16 mono at RUN_AUDIO_SAMPLE_RATE heard at `atMs` (epoch ms), on the
   * interviewer's channel (from response `responseId` if known) or, in a
   * stereo recording, the user's.
   */
  append(
    samples: Int16Array,
    atMs: number,
    responseId: string | null,
    channel?: RecordedChannel,
  ): void;
  /**
   * The interviewer's audio stops being heard at `atMs` (a player stopped for
   * a barge-in): what was queued to play after it is dropped.
   */
  stopInterviewer(atMs: number): void;
  /** Pads the recording to `endAtMs` and encodes it; null when it could not be recorded. */
  finish(endAtMs: number): Promise<RecordedAudio | null>;
}

/** Makes a run's recorder: stereo when the simulated user speaks too. */
export type AudioRecorderFactory = (startedAtMs: number, stereo: boolean) => AudioRecorder;

const WINDOW_SAMPLES = LOUDNESS_WINDOW_MS * SAMPLES_PER_MS;
/** Silence is written in pieces of this many samples, so a long gap is never one large buffer. */
const SILENCE_CHUNK = RUN_AUDIO_SAMPLE_RATE;

/**
 * One channel's audio as laid on the clock: placed up to `cursor`, the last
 * `pendingLength` samples of it not yet encoded (nor measured: until then a
 * stop may still drop them).
 */
class Track {
  cursor = 0;
  private readonly pending: Int16Array[] = [];
  private pendingLength = 0;
  readonly loudness: number[] = [];
  private readonly window = new Int16Array(WINDOW_SAMPLES);
  private windowFill = 0;

  write(samples: Int16Array): void {
    this.cursor += samples.length;
    this.pendingLength += samples.length;
    this.pending.push(samples);
  }

  /** Drops what was placed after `position` and is not yet encoded. */
  cutAt(position: number): void {
    let excess = this.cursor - Math.max(position, this.cursor - this.pendingLength);
    while (excess > 0) {
      const last = this.pending.at(-1) as Int16Array;
      const dropped = Math.min(excess, last.length);
      if (dropped === last.length) this.pending.pop();
      else this.pending[this.pending.length - 1] = last.subarray(0, last.length - dropped);
      this.cursor -= dropped;
      this.pendingLength -= dropped;
      excess -= dropped;
    }
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

  silenceUntil(position: number): void {
    while (this.cursor < position) {
      this.write(new Int16Array(Math.min(SILENCE_CHUNK, position - this.cursor)));
    }
  }

  /** The next `length` pending samples, removed from the queue and measured. */
  take(length: number): Int16Array {
    this.pendingLength -= length;
    const out = new Int16Array(length);
    let filled = 0;
    while (filled < length) {
      const head = this.pending[0] as Int16Array;
      const part = head.subarray(0, length - filled);
      out.set(part, filled);
      filled += part.length;
      if (part.length === head.length) this.pending.shift();
      else this.pending[0] = head.subarray(part.length);
    }
    this.measure(out);
    return out;
  }

  closeWindow(): void {
    if (this.windowFill > 0)
      this.loudness.push(loudnessLevel(this.window.subarray(0, this.windowFill)));
    this.windowFill = 0;
  }
}

/**
 * Lays audio on the run's clock as it is heard: each piece at the instant it
 * arrived, unless the audio before it is still playing (then right after it,
 * as a player would queue it); silence fills the gaps, so position t of the
 * file is the run's start + t. Mono (the interviewer) or stereo (the
 * interviewer left, the simulated user's microphone right). Encodes as it goes
 * (the encoder is given), keeps each channel's loudness and where each
 * response is heard.
 */
export class RunAudioRecorder implements AudioRecorder {
  private readonly tracks: Track[];
  private flushed = 0;
  /** Where the newest piece arrived: in stereo nothing past it is encoded, so a stop can drop it. */
  private arrived = 0;
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
    channels: 1 | 2 = 1,
  ) {
    this.encoder = encoder.catch((error) => this.fail(error));
    this.tracks = Array.from({ length: channels }, () => new Track());
  }

  append(
    samples: Int16Array,
    atMs: number,
    responseId: string | null,
    channel: RecordedChannel = 'interviewer',
  ): void {
    const track = this.tracks[channel === 'user' ? 1 : 0];
    if (this.finished || samples.length === 0 || !track) return;
    const at = Math.max(0, Math.round((atMs - this.startedAtMs) * SAMPLES_PER_MS));
    this.arrived = Math.max(this.arrived, at);
    track.silenceUntil(at);
    const start = track.cursor;
    track.write(samples);
    if (responseId && channel === 'interviewer') this.markSegment(responseId, start, track.cursor);
    // The microphone's chunks are placed whole when due, so they run ahead of the clock: encoding
    // no further than the newest arrival keeps the interviewer's audio past it droppable.
    const placed = Math.min(...this.tracks.map((t) => t.cursor));
    this.flush(this.tracks.length > 1 ? Math.min(placed, this.arrived) : placed);
  }

  stopInterviewer(atMs: number): void {
    const [interviewer] = this.tracks;
    if (this.finished || !interviewer) return;
    const position = Math.max(0, Math.round((atMs - this.startedAtMs) * SAMPLES_PER_MS));
    interviewer.cutAt(position);
    const endMs = Math.ceil(interviewer.cursor / SAMPLES_PER_MS);
    for (const [id, segment] of this.segments) {
      if (segment.end_ms > endMs)
        this.segments.set(id, { ...segment, end_ms: Math.max(segment.start_ms, endMs) });
    }
  }

  async finish(endAtMs: number): Promise<RecordedAudio | null> {
    if (this.finished) throw new Error('the recording is already finished');
    const placed = Math.max(...this.tracks.map((track) => track.cursor));
    const end = Math.max(placed, Math.round((endAtMs - this.startedAtMs) * SAMPLES_PER_MS));
    // Whole milliseconds, so the duration and the number of loudness windows agree.
    const length = Math.ceil(end / SAMPLES_PER_MS) * SAMPLES_PER_MS;
    for (const track of this.tracks) track.silenceUntil(length);
    this.flush(length);
    for (const track of this.tracks) track.closeWindow();
    this.finished = true;
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
    const [interviewer, user] = this.tracks as [Track, Track | undefined];
    return {
      bytes,
      startedAtMs: this.startedAtMs,
      durationMs: length / SAMPLES_PER_MS,
      loudness: [...interviewer.loudness],
      ...(user ? { userLoudness: [...user.loudness] } : {}),
      segments: [...this.segments.values()],
    };
  }

  /** Encodes every channel up to `position` (interleaved when stereo). */
  private flush(position: number): void {
    const length = position - this.flushed;
    if (length <= 0) return;
    this.flushed = position;
    const channels = this.tracks.map((track) => track.take(length));
    const frames =
      channels.length === 1 ? (channels[0] as Int16Array) : interleave(channels as Int16Array[]);
    this.queue = this.queue.then(async () => {
      if (this.failure) return;
      try {
        const encoder = await this.encoder;
        await encoder?.write(frames);
      } catch (error) {
        this.fail(error);
      }
    });
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

function interleave(channels: Int16Array[]): Int16Array {
  const count = channels.length;
  const length = channels[0]?.length ?? 0;
  const out = new Int16Array(length * count);
  for (let i = 0; i < length; i++) {
    for (let c = 0; c < count; c++) out[i * count + c] = (channels[c] as Int16Array)[i] as number;
  }
  return out;
}

/** Records a run's audio as Opus in WebM, where the platform can encode Opus (else runs have none). */
export const recordRunAudio: AudioRecorderFactory = (startedAtMs, stereo) =>
  new RunAudioRecorder(
    startedAtMs,
    createWebmOpusEncoder(stereo ? 2 : 1),
    undefined,
    stereo ? 2 : 1,
  );
