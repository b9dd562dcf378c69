import type { Scenario } from '@core/scenario.ts';
import { type NoiseKind, NoiseSource, rmsOf } from './audio/noise.ts';
import { speakText } from './audio/offline-voice.ts';

/** How the simulated user of a voice-mode scenario speaks, and what its microphone hears. */
export interface UserVoice {
  /** `text` said: PCM16 mono at RUN_AUDIO_SAMPLE_RATE, background included. */
  speak(text: string, signal: AbortSignal): Promise<Int16Array>;
  /** The next `samples` of what the microphone hears while the user is silent. */
  background(samples: number): Int16Array;
}

export type SpeechSettings = NonNullable<Scenario['simulated_user']['speech']>;

/** What the voice's speech level (the reference of the signal-to-noise ratio) is measured on. */
const LEVEL_REFERENCE = 'The quick brown fox jumps over the lazy dog, then rests a while.';

/** The offline voice's fastest rate: its words must stay decodable from the audio. */
const OFFLINE_MAX_WORDS_PER_MINUTE = 200;

/**
 * The offline simulated user's voice: `speakText` (words recoverable from the
 * audio alone, so what the offline interviewer hears can be scored), at the
 * scenario's rate (200 words a minute at most), with its background noise at
 * its signal-to-noise ratio under the speech and the pauses alike. Seeded: the
 * same seed says the same replies the same way.
 */
export class OfflineUserVoice implements UserVoice {
  private utterances = 0;
  /** The background's noise; each utterance's own is seeded apart, so it does not depend on timing. */
  private readonly noise: NoiseSource | null;
  private readonly noiseKind: NoiseKind | null;
  /** The noise's RMS: the voice's speech level less the scenario's signal-to-noise ratio. */
  private readonly noiseRms: number;
  private readonly wordsPerMinute: number | undefined;

  constructor(
    private readonly seed: number,
    settings: SpeechSettings,
  ) {
    const rate = settings.words_per_minute;
    this.wordsPerMinute = rate ? Math.min(rate, OFFLINE_MAX_WORDS_PER_MINUTE) : undefined;
    this.noiseKind = settings.noise?.kind ?? null;
    this.noise = this.noiseKind ? new NoiseSource(this.noiseKind, seed ^ 0x5eed) : null;
    const level = rmsOf(this.say(LEVEL_REFERENCE, seed));
    this.noiseRms = settings.noise ? level / 10 ** (settings.noise.level_db / 20) : 0;
  }

  async speak(text: string): Promise<Int16Array> {
    const utterance = this.seed + ++this.utterances;
    const speech = this.say(text, utterance);
    if (!this.noiseKind) return speech;
    return new NoiseSource(this.noiseKind, utterance ^ 0xa11ce).fill(
      speech.length,
      this.noiseRms,
      speech,
    );
  }

  background(samples: number): Int16Array {
    return this.noise ? this.noise.fill(samples, this.noiseRms) : new Int16Array(samples);
  }

  private say(text: string, seed: number): Int16Array {
    return speakText(text, {
      seed,
      ...(this.wordsPerMinute ? { wordsPerMinute: this.wordsPerMinute } : {}),
    });
  }
}
