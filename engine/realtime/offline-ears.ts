import { RUN_AUDIO_SAMPLE_RATE, SAMPLES_PER_MS } from '@core/run-audio.ts';
import { transcribeAudio } from '../audio/offline-voice.ts';
import { createVad, type Vad } from '../audio/vad.ts';

/** The session's `audio.input.turn_detection`, as far as the offline interviewer follows it. */
export interface TurnDetection {
  threshold?: number;
  prefix_padding_ms?: number;
  silence_duration_ms?: number;
}

export interface HeardSpeech {
  audioStartMs: number;
  audioEndMs: number;
  /** What the audio says, decoded from it alone. */
  transcript: string;
}

export interface EarsListener {
  speechStarted(audioStartMs: number): void;
  speechStopped(speech: HeardSpeech): void;
  /** The detector could not be made or failed: the session cannot hear. */
  failed(error: unknown): void;
}

/**
 * The offline interviewer's ears, as a Realtime session's server VAD: a real
 * voice-activity detector over the input audio as it is appended decides
 * where speech starts and stops (on the clock of all audio appended since the
 * session began), and the words come from the stopped speech's audio alone
 * (`transcribeAudio`), so noise and cut-off audio give errors.
 */
export class OfflineEars {
  private readonly vad: Promise<Vad>;
  private queue: Promise<void> = Promise.resolve();
  /** Audio kept since the last speech ended, and the input-clock sample where it begins. */
  private kept: Int16Array[] = [];
  private keptFrom = 0;
  private received = 0;
  private speechStartMs: number | null = null;
  private closed = false;

  constructor(
    detection: TurnDetection,
    private readonly listener: EarsListener,
  ) {
    this.vad = createVad({
      sampleRate: RUN_AUDIO_SAMPLE_RATE,
      threshold: detection.threshold,
      prefixPaddingMs: detection.prefix_padding_ms,
      silenceDurationMs: detection.silence_duration_ms,
    });
    // Reported when audio arrives; a rejection is not left unhandled meanwhile.
    this.vad.catch(() => {});
  }

  /** Appended input audio, PCM16 mono at RUN_AUDIO_SAMPLE_RATE; heard in the order given. */
  hear(samples: Int16Array): void {
    this.queue = this.queue.then(async () => {
      if (this.closed) return;
      let vad: Vad;
      try {
        vad = await this.vad;
      } catch (error) {
        this.closed = true;
        this.listener.failed(error);
        return;
      }
      if (this.closed) return;
      this.kept.push(samples);
      this.received += samples.length;
      for (const event of vad.push(samples)) {
        if (event.type === 'speech_started') {
          this.speechStartMs = event.audioStartMs;
          this.listener.speechStarted(event.audioStartMs);
        } else this.stopped(event.audioEndMs);
      }
    });
  }

  close(): void {
    this.closed = true;
    void this.vad.then((vad) => vad.close()).catch(() => {});
  }

  private stopped(audioEndMs: number): void {
    const audio = this.keptAudio();
    const startMs = this.speechStartMs ?? this.keptFrom / SAMPLES_PER_MS;
    const from = Math.max(0, Math.round(startMs * SAMPLES_PER_MS) - this.keptFrom);
    const to = Math.min(audio.length, Math.round(audioEndMs * SAMPLES_PER_MS) - this.keptFrom);
    const transcript = transcribeAudio(audio.subarray(from, Math.max(from, to)));
    this.kept = [];
    this.keptFrom = this.received;
    this.speechStartMs = null;
    this.listener.speechStopped({ audioStartMs: startMs, audioEndMs, transcript });
  }

  /** The audio kept since the last speech ended, as one buffer. */
  private keptAudio(): Int16Array {
    const out = new Int16Array(this.received - this.keptFrom);
    let offset = 0;
    for (const chunk of this.kept) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}
