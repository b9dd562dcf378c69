import { SAMPLES_PER_MS } from '@core/run-audio.ts';

/** Audio sent per `input_audio_buffer.append`: a tenth of a second, every tenth of a second. */
export const INPUT_CHUNK_MS = 100;
const CHUNK = INPUT_CHUNK_MS * SAMPLES_PER_MS;

/**
 * The simulated user's microphone, open for the whole session as a caller's
 * is: a chunk every 100 ms on a schedule that does not drift, the background
 * (what the microphone hears in silence: a voice-activity detector learns the
 * noise floor from it and needs it to hear a turn end) and, when the user
 * speaks, the speech. Keeps the input clock: ms of audio sent since the
 * session began, the clock of the server's `audio_start_ms`/`audio_end_ms`.
 */
export class InputAudioStream {
  private sentSamples = 0;
  private speech: Int16Array | null = null;
  private offset = 0;
  private speechEnded: ((audioEndMs: number) => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private nextAt = 0;
  private closed = false;

  constructor(
    /** Each chunk, with when it is due on the run's clock (epoch ms). */
    private readonly send: (samples: Int16Array, atMs: number) => void,
    private readonly background: (samples: number) => Int16Array,
    private readonly now: () => number,
  ) {}

  /** Ms of audio sent since the session began. */
  get sentMs(): number {
    return this.sentSamples / SAMPLES_PER_MS;
  }

  /** Opens the microphone: the background streams until `close`. */
  open(): void {
    if (this.timer || this.closed) return;
    this.nextAt = this.now();
    this.tick();
  }

  /**
   * Says `speech` from the next chunk on; returns where it starts on the input
   * clock, and `ended` hears where it ends.
   */
  say(speech: Int16Array, ended: (audioEndMs: number) => void): number {
    this.speech = speech;
    this.offset = 0;
    this.speechEnded = ended;
    return this.sentMs;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private tick(): void {
    this.timer = null;
    if (this.closed) return;
    const chunk = this.nextChunk();
    const chunkAt = this.nextAt;
    this.sentSamples += chunk.length;
    this.send(chunk, chunkAt);
    if (this.speech && this.offset >= this.speech.length) {
      const ended = this.speechEnded;
      const endMs = this.sentMs;
      this.speech = null;
      this.speechEnded = null;
      // A chunk is sent whole at its start: the speech ends when its last sample is due.
      const dueMs = chunkAt + chunk.length / SAMPLES_PER_MS;
      setTimeout(
        () => {
          if (!this.closed) ended?.(endMs);
        },
        Math.max(0, dueMs - this.now()),
      );
    }
    this.nextAt += chunk.length / SAMPLES_PER_MS;
    this.timer = setTimeout(() => this.tick(), Math.max(0, this.nextAt - this.now()));
  }

  private nextChunk(): Int16Array {
    if (this.speech) {
      const chunk = this.speech.subarray(this.offset, this.offset + CHUNK);
      this.offset += chunk.length;
      return chunk;
    }
    return this.background(CHUNK);
  }
}
