/**
 * A voice whose words can be heard back from its audio alone: the offline
 * simulated user speaks with it, and the offline interviewer "transcribes"
 * what it received with `transcribeAudio`, so noise, loss or truncation on
 * the way turn into word errors, as they would for a real recogniser.
 *
 * The scheme. Text is normalised to words (`speechWords`) and each word is
 * sent as a start-of-word symbol, one 40 ms symbol per character, and an
 * end-of-word symbol.
 * A symbol is two simultaneous tones, one from a group of 8 (4000–4875 Hz)
 * and one from a group of 5 (5250–5750 Hz), as DTMF does with rows and
 * columns: 40 pairs for 37 characters (a–z, 0–9, apostrophe) and the two
 * marks. The tones sit above the voice's formants, where fricatives would
 * be, peaking about 20 dB under the voice, each word's a seeded 0–15 dB
 * quieter still (stressed and swallowed words), and ramp in and out over
 * 2 ms so the symbol edges do not click. Under them runs the speech-like voice of
 * `SpeechSynth` (glottal pulses through three vowel formants, one syllable
 * per vowel group, falling pitch) for exactly the word's symbols; words
 * are separated by silence whose length follows the speaking rate, and
 * sentences by a longer one. To a listener it is a vowel babble with a
 * faint whistle; to a level meter or a voice-activity detector it is speech.
 *
 * Decoding measures the 13 tone frequencies with the Goertzel algorithm on
 * symbol-long windows. It looks for a window where two tones stand clearly
 * out of the others, aligns on the position of most tone energy, then reads
 * one symbol every 40 ms (re-aligning by a few ms each time) until the end
 * mark. A word is written only when both its marks are heard: a word cut
 * off at either end, or interrupted by a stretch where no pair of tones
 * stands out, is dropped rather than guessed, so truncation loses words and
 * never invents them.
 * Under noise a tone pair is misread (a wrong letter, or a lost end mark
 * that drops the word), so the word error rate rises as the noise does.
 */
import { RUN_AUDIO_SAMPLE_RATE } from '@core/run-audio.ts';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { SpeechSynth } from './speech-synth.ts';

/** The characters a word may carry; everything else separates words. */
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789'";
const END_OF_WORD = ALPHABET.length;
const START_OF_WORD = ALPHABET.length + 1;
const LOW_TONES_HZ = [4000, 4125, 4250, 4375, 4500, 4625, 4750, 4875] as const;
const HIGH_TONES_HZ = [5250, 5375, 5500, 5625, 5750] as const;
const SYMBOL_MS = 40;
const RAMP_MS = 2;
/**
 * Peak of each tone, as a share of full scale (the voice peaks at 0.35):
 * low enough that white noise at 10 dB SNR starts to cost words.
 */
const TONE_AMPLITUDE = 0.03;
/**
 * Each word's tones are up to this many dB quieter (seeded), as some words
 * are stressed and others swallowed: words differ in how much noise they
 * survive, so errors grow with the noise instead of all at once.
 */
const WORD_STRESS_RANGE_DB = 15;
const MIN_SAMPLE_RATE = 16_000;
const MIN_WORDS_PER_MINUTE = 60;
const MAX_WORDS_PER_MINUTE = 200;
/** Symbols of an average English word (4.7 letters) and its marks. */
const AVERAGE_WORD_SYMBOLS = 6.7;
const SENTENCE_EXTRA_PAUSE_MS = 240;
/** Longest word spoken: longer ones are spoken in pieces of this length. */
const MAX_WORD_CHARS = 60;
/** Share of the tone energy the two strongest tones must hold to start a word. */
const START_CONFIDENCE = 0.7;
/** ... and to go on reading one; under it the word is broken off. */
const CONTINUE_CONFIDENCE = 0.45;

export type SpeakOptions = {
  /** Seeds the voice (pitch and vowels); the same seed gives the same samples. */
  seed: number;
  /** Speaking rate, 60–200; the pauses between words stretch or shrink with it. Default 150. */
  wordsPerMinute?: number;
  /** Default RUN_AUDIO_SAMPLE_RATE (24 kHz); at least 16 kHz, so the tones fit. */
  sampleRate?: number;
};

export type TranscribeOptions = {
  sampleRate?: number;
};

/**
 * The words `speakText` says for `text`: lower-cased, accents dropped, curly
 * apostrophes made straight, and split on anything that is not a letter,
 * digit or apostrophe ("Don't panic, it's 9:30!" → don't panic it's 9 30);
 * a word of more than 60 characters is cut into words of 60.
 * `transcribeAudio` of clean audio returns exactly these words, space-joined.
 */
export function speechWords(text: string): string[] {
  const plain = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .toLowerCase();
  return plain
    .split(/[^a-z0-9']+/)
    .filter((word) => /[a-z0-9]/.test(word))
    .flatMap((word) => word.match(new RegExp(`.{1,${MAX_WORD_CHARS}}`, 'g')) ?? []);
}

/** PCM16 mono of `text` spoken: see the module comment for how it is made. */
export function speakText(text: string, options: SpeakOptions): Int16Array {
  const sampleRate = checkSampleRate(options.sampleRate ?? RUN_AUDIO_SAMPLE_RATE);
  const wordsPerMinute = options.wordsPerMinute ?? 150;
  if (
    !Number.isFinite(wordsPerMinute) ||
    wordsPerMinute < MIN_WORDS_PER_MINUTE ||
    wordsPerMinute > MAX_WORDS_PER_MINUTE
  ) {
    throw new RangeError(
      `wordsPerMinute must be between ${MIN_WORDS_PER_MINUTE} and ${MAX_WORDS_PER_MINUTE}, got ${wordsPerMinute}`,
    );
  }
  if (!Number.isSafeInteger(options.seed)) {
    throw new RangeError(`seed must be an integer, got ${options.seed}`);
  }
  const symbolLength = symbolSamples(sampleRate);
  const wordPauseMs = Math.max(
    SYMBOL_MS,
    60_000 / wordsPerMinute - AVERAGE_WORD_SYMBOLS * SYMBOL_MS,
  );
  const wordPause = Math.round((wordPauseMs / 1000) * sampleRate);
  const sentencePause = wordPause + Math.round((SENTENCE_EXTRA_PAUSE_MS / 1000) * sampleRate);

  const sentences = text.split(/(?<=[.!?])\s+/).map(speechWords);
  const plan: { word: string; pauseAfter: number }[] = [];
  for (const words of sentences) {
    words.forEach((word, index) => {
      plan.push({ word, pauseAfter: index === words.length - 1 ? sentencePause : wordPause });
    });
  }
  const last = plan.at(-1);
  if (last) last.pauseAfter = 0;

  const total = plan.reduce(
    (sum, { word, pauseAfter }) => sum + (word.length + 2) * symbolLength + pauseAfter,
    0,
  );
  const out = new Int16Array(total);
  const synth = new SpeechSynth(options.seed, 120, sampleRate);
  const tones = toneWaveforms(symbolLength, sampleRate);
  const stress = xoroshiro128plus(options.seed ^ 0x5eed);
  let at = 0;
  for (const { word, pauseAfter } of plan) {
    const symbols = [
      START_OF_WORD,
      ...[...word].map((char) => ALPHABET.indexOf(char)),
      END_OF_WORD,
    ];
    const voicedLength = symbols.length * symbolLength;
    const gain = 10 ** (-(uniformInt(stress, 0, 100) / 100) * (WORD_STRESS_RANGE_DB / 20));
    // SpeechSynth voices 80% of the duration it is given and leaves the rest silent.
    const voice = synth.word(word, ((voicedLength / 0.8 + 2) / sampleRate) * 1000);
    symbols.forEach((symbol, s) => {
      const low = tones.low[symbol % LOW_TONES_HZ.length] as Float64Array;
      const high = tones.high[Math.floor(symbol / LOW_TONES_HZ.length)] as Float64Array;
      const start = s * symbolLength;
      for (let i = 0; i < symbolLength; i++) {
        const tone = gain * ((low[i] as number) + (high[i] as number));
        const sample = (voice[start + i] ?? 0) + tone;
        out[at + start + i] = Math.max(-32768, Math.min(32767, Math.round(sample)));
      }
    });
    at += voicedLength + pauseAfter;
  }
  return out;
}

/** The words heard in `samples` (made by `speakText`), space-joined, in `speechWords`' form. */
export function transcribeAudio(samples: Int16Array, options: TranscribeOptions = {}): string {
  const sampleRate = checkSampleRate(options.sampleRate ?? RUN_AUDIO_SAMPLE_RATE);
  const n = symbolSamples(sampleRate);
  const signal = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) signal[i] = (samples[i] as number) / 32768;
  const meter = new ToneMeter(signal, n, sampleRate);
  const hop = Math.max(1, Math.round(n / 16));
  const lastStart = signal.length - n;
  const words: string[] = [];

  let t = 0;
  while (t <= lastStart) {
    if (meter.measure(t).confidence < START_CONFIDENCE) {
      t += 4 * hop;
      continue;
    }
    // The window overlaps a symbol: the aligned one holds the most tone energy.
    let position = meter.strongest(
      Math.max(0, t - 4 * hop),
      Math.min(lastStart, t + 12 * hop),
      hop,
    );
    let word = '';
    let complete = false;
    // A word is read from its start mark: audio joined mid-word is skipped.
    const first = meter.measure(position);
    const started = first.confidence >= CONTINUE_CONFIDENCE && first.symbol === START_OF_WORD;
    position += n;
    for (let s = 0; started && s <= MAX_WORD_CHARS && position <= lastStart + 2 * hop; s++) {
      // Re-aligned a little at each symbol, never past the end of the audio.
      position = meter.strongest(
        Math.max(0, position - 2 * hop),
        Math.min(lastStart, position + 2 * hop),
        hop,
      );
      const reading = meter.measure(position);
      if (reading.confidence < CONTINUE_CONFIDENCE || reading.symbol === START_OF_WORD) break;
      position += n;
      if (reading.symbol === END_OF_WORD) {
        complete = true;
        break;
      }
      word += ALPHABET[reading.symbol] ?? '';
    }
    if (complete && word) words.push(word);
    t = Math.max(position, t + hop);
  }
  return words.join(' ');
}

type Reading = { symbol: number; confidence: number; energy: number };

/** Goertzel power of the 13 tones over symbol-long windows of one signal. */
class ToneMeter {
  private readonly lowCoefficients: number[];
  private readonly highCoefficients: number[];
  private readonly cache = new Map<number, Reading>();

  constructor(
    private readonly signal: Float32Array,
    private readonly n: number,
    sampleRate: number,
  ) {
    const coefficient = (hz: number) => 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
    this.lowCoefficients = LOW_TONES_HZ.map(coefficient);
    this.highCoefficients = HIGH_TONES_HZ.map(coefficient);
  }

  measure(start: number): Reading {
    const cached = this.cache.get(start);
    if (cached) return cached;
    // Only windows near the read position come back: keep the cache small.
    if (this.cache.size > 4096) this.cache.clear();
    const low = this.strongestTone(start, this.lowCoefficients);
    const high = this.strongestTone(start, this.highCoefficients);
    const total = low.total + high.total;
    const energy = low.power + high.power;
    const reading = {
      symbol: high.index * LOW_TONES_HZ.length + low.index,
      confidence: total > 1e-12 ? energy / total : 0,
      energy,
    };
    this.cache.set(start, reading);
    return reading;
  }

  /** The start in [from, to] (by `step`) whose window holds the most tone energy; the first on a tie. */
  strongest(from: number, to: number, step: number): number {
    let best = from;
    let bestEnergy = -1;
    for (let t = from; t <= to; t += step) {
      const { energy } = this.measure(t);
      if (energy > bestEnergy) {
        best = t;
        bestEnergy = energy;
      }
    }
    return best;
  }

  private strongestTone(start: number, coefficients: number[]) {
    let index = 0;
    let power = -1;
    let total = 0;
    coefficients.forEach((coefficient, i) => {
      let s1 = 0;
      let s2 = 0;
      const end = start + this.n;
      for (let k = start; k < end; k++) {
        const s0 = (this.signal[k] as number) + coefficient * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      const p = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
      total += p;
      if (p > power) {
        power = p;
        index = i;
      }
    });
    return { index, power, total };
  }
}

function toneWaveforms(length: number, sampleRate: number) {
  const ramp = Math.max(1, Math.round((RAMP_MS / 1000) * sampleRate));
  const make = (hz: number) => {
    const wave = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const edge = Math.min(i, length - 1 - i);
      const gain = edge < ramp ? 0.5 - 0.5 * Math.cos((Math.PI * edge) / ramp) : 1;
      wave[i] = TONE_AMPLITUDE * 32767 * gain * Math.sin((2 * Math.PI * hz * i) / sampleRate);
    }
    return wave;
  };
  return { low: LOW_TONES_HZ.map(make), high: HIGH_TONES_HZ.map(make) };
}

function symbolSamples(sampleRate: number): number {
  return Math.round((SYMBOL_MS / 1000) * sampleRate);
}

function checkSampleRate(sampleRate: number): number {
  if (!Number.isInteger(sampleRate) || sampleRate < MIN_SAMPLE_RATE) {
    throw new RangeError(
      `sampleRate must be an integer of at least ${MIN_SAMPLE_RATE} Hz, got ${sampleRate}`,
    );
  }
  return sampleRate;
}
