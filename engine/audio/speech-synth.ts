import { RUN_AUDIO_SAMPLE_RATE } from '@core/run-audio.ts';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** First three formants (Hz) of a few vowels of an adult voice. */
const VOWELS: ReadonlyArray<readonly [number, number, number]> = [
  [730, 1090, 2440], // a
  [530, 1840, 2480], // e
  [270, 2290, 3010], // i
  [570, 840, 2410], // o
  [300, 870, 2240], // u
];
const FORMANT_BANDWIDTHS = [90, 110, 170] as const;
/** Share of a word's time that is voiced; the rest is the pause after it. */
const VOICED_SHARE = 0.8;
const PEAK = 0.35 * 32767;

/** A two-pole resonator (a formant filter of a source-filter voice). */
class Resonator {
  private y1 = 0;
  private y2 = 0;
  private readonly a: number;
  private readonly b: number;
  private readonly c: number;

  constructor(frequency: number, bandwidth: number, sampleRate: number) {
    const t = 1 / sampleRate;
    this.c = -Math.exp(-2 * Math.PI * bandwidth * t);
    this.b = 2 * Math.exp(-Math.PI * bandwidth * t) * Math.cos(2 * Math.PI * frequency * t);
    this.a = 1 - this.b - this.c;
  }

  next(x: number): number {
    const y = this.a * x + this.b * this.y1 + this.c * this.y2;
    this.y2 = this.y1;
    this.y1 = y;
    return y;
  }
}

/**
 * A seeded, speech-like voice for the offline agents: each word is voiced
 * syllables (a glottal pulse train through three vowel formants, with a
 * falling pitch and a syllable envelope) followed by a short pause. Not
 * words anyone can understand, but audio with the level, rhythm and spectrum
 * of speech, so recordings, players and voice-activity detection have
 * something real to work on. The same seed gives the same samples.
 */
export class SpeechSynth {
  private readonly random: RandomGenerator;

  constructor(
    seed: number,
    private readonly pitchHz = 120,
    private readonly sampleRate = RUN_AUDIO_SAMPLE_RATE,
  ) {
    this.random = xoroshiro128plus(seed);
  }

  /** PCM16 of `word` spoken in `durationMs` (pause included). */
  word(word: string, durationMs: number): Int16Array {
    const total = Math.max(0, Math.round((durationMs / 1000) * this.sampleRate));
    const samples = new Int16Array(total);
    const voiced = Math.floor(total * VOICED_SHARE);
    const syllables = Math.max(1, (word.match(/[aeiouy]+/gi) ?? []).length);
    const perSyllable = Math.floor(voiced / syllables);
    for (let s = 0; s < syllables; s++) {
      this.syllable(samples, s * perSyllable, perSyllable);
    }
    return samples;
  }

  private syllable(into: Int16Array, start: number, length: number): void {
    if (length <= 0) return;
    const vowel = VOWELS[uniformInt(this.random, 0, VOWELS.length - 1)] as (typeof VOWELS)[number];
    const formants = vowel.map(
      (frequency, i) => new Resonator(frequency, FORMANT_BANDWIDTHS[i] as number, this.sampleRate),
    );
    const pitch = this.pitchHz * (0.9 + uniformInt(this.random, 0, 20) / 100);
    let phase = 0;
    const filtered = new Float64Array(length);
    let peak = 0;
    for (let i = 0; i < length; i++) {
      const progress = i / length;
      // Pitch falls by a tenth over the syllable, as in a statement.
      phase += (pitch * (1 - 0.1 * progress)) / this.sampleRate;
      const pulse = phase >= 1 ? 1 : 0;
      if (phase >= 1) phase -= 1;
      let y = pulse;
      for (const formant of formants) y = formant.next(y);
      const envelope = Math.sin(Math.PI * progress) ** 0.6;
      filtered[i] = y * envelope;
      peak = Math.max(peak, Math.abs(filtered[i] as number));
    }
    const gain = peak > 0 ? PEAK / peak : 0;
    for (let i = 0; i < length; i++) {
      into[start + i] = Math.round((filtered[i] as number) * gain);
    }
  }
}
