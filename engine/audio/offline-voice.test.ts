import { loudnessLevel } from '@core/run-audio.ts';
import { speakText, speechWords, transcribeAudio } from '@engine/audio/offline-voice.ts';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';

const RATE = 24_000;

const SENTENCES = [
  "Hello there. I'd like to book a table for 4 people at 7:30 tomorrow evening, please.",
  "My account number is 55012 and I can't log in since Tuesday! Could you reset it?",
  "The quick brown fox jumps over the lazy dog. Don't worry, it's fine.",
  'Our order 3B arrived on the 21st of March; two boxes were damaged.',
];

/** Seeded standard normal samples (Box–Muller over xoroshiro128+). */
function gaussian(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  const uniform = () => ((rng.next() >>> 0) + 0.5) / 2 ** 32;
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** `samples` with white noise added so the signal-to-noise ratio over the whole of it is `snrDb`. */
function withNoise(samples: Int16Array, snrDb: number, seed: number): Int16Array {
  let power = 0;
  for (const s of samples) power += s * s;
  const sigma = Math.sqrt(power / samples.length / 10 ** (snrDb / 10));
  const noise = gaussian(seed);
  return Int16Array.from(samples, (s) =>
    Math.max(-32768, Math.min(32767, Math.round(s + sigma * noise()))),
  );
}

/** Word error rate: word-level edit distance over the reference's length. */
function wordErrorRate(reference: string[], hypothesis: string[]): number {
  let previous = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const current = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      const substitution = reference[i - 1] === hypothesis[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + substitution,
      );
    }
    previous = current;
  }
  return (previous[hypothesis.length] as number) / reference.length;
}

const words = (transcript: string) => transcript.split(' ').filter(Boolean);

/** [start, end) sample ranges of digital silence at least `minMs` long. */
function silences(samples: Int16Array, minMs: number): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= samples.length; i++) {
    const silent = i < samples.length && samples[i] === 0;
    if (silent && start < 0) start = i;
    if (!silent && start >= 0) {
      if (i - start >= (minMs / 1000) * RATE) runs.push([start, i]);
      start = -1;
    }
  }
  return runs;
}

describe('speechWords', () => {
  it('lower-cases, straightens apostrophes, drops accents and splits on punctuation', () => {
    expect(speechWords('Don’t panic, it’s 9:30! Café—crème? Rock-n-roll.')).toEqual([
      "don't",
      'panic',
      "it's",
      '9',
      '30',
      'cafe',
      'creme',
      'rock',
      'n',
      'roll',
    ]);
    expect(speechWords(" ' -- ... ")).toEqual([]);
    expect(speechWords(`${'7'.repeat(130)} end`)).toEqual([
      '7'.repeat(60),
      '7'.repeat(60),
      '7'.repeat(10),
      'end',
    ]);
  });
});

describe('speakText / transcribeAudio', () => {
  it('gets the exact words back from clean audio', () => {
    SENTENCES.forEach((text, i) => {
      const audio = speakText(text, { seed: i + 1 });
      expect(transcribeAudio(audio)).toBe(speechWords(text).join(' '));
    });
  });

  it('round-trips at other speaking rates and sample rates', () => {
    const text = SENTENCES[1] as string;
    const expected = speechWords(text).join(' ');
    for (const wordsPerMinute of [60, 100, 200]) {
      expect(transcribeAudio(speakText(text, { seed: 5, wordsPerMinute }))).toBe(expected);
    }
    for (const sampleRate of [16_000, 48_000]) {
      const audio = speakText(text, { seed: 5, sampleRate });
      expect(transcribeAudio(audio, { sampleRate })).toBe(expected);
    }
  });

  it('finds the words wherever they start in the stream', () => {
    const text = SENTENCES[2] as string;
    const speech = speakText(text, { seed: 9 });
    for (const lead of [0, 1, 333, 12_345]) {
      const stream = new Int16Array(lead + speech.length + 777);
      stream.set(speech, lead);
      expect(transcribeAudio(stream)).toBe(speechWords(text).join(' '));
    }
  });

  it('is the same audio for the same seed, and another voice for another', () => {
    const text = 'same words again';
    expect(speakText(text, { seed: 3 })).toEqual(speakText(text, { seed: 3 }));
    expect(speakText(text, { seed: 4 })).not.toEqual(speakText(text, { seed: 3 }));
    expect(transcribeAudio(speakText(text, { seed: 4 }))).toBe(text);
  });

  it('sounds like speech: loud words, short pauses between them, a longer one between sentences', () => {
    const audio = speakText('one two three. four five', { seed: 2 });
    const pauses = silences(audio, 50).map(([start, end]) => ((end - start) / RATE) * 1000);
    // 150 words a minute: 400 ms a word on average, 132 ms of it the pause.
    expect(pauses).toHaveLength(4);
    const [a, b, sentence, c] = pauses as [number, number, number, number];
    for (const pause of [a, b, c]) expect(pause).toBeCloseTo(132, -1);
    expect(sentence - a).toBeCloseTo(240, -1);
    // The voiced parts are at a speaking level, around -20 dBFS (67 on the 0–100 scale).
    const window = RATE / 10;
    const levels: number[] = [];
    for (let i = 0; i + window <= audio.length; i += window) {
      const level = loudnessLevel(audio.subarray(i, i + window));
      if (level > 0) levels.push(level);
    }
    expect(Math.max(...levels)).toBeGreaterThan(55);
    expect(Math.max(...levels)).toBeLessThan(80);
    // Slower speech is longer audio with the same words.
    const slow = speakText('one two three. four five', { seed: 2, wordsPerMinute: 75 });
    expect(slow.length).toBeGreaterThan(audio.length * 1.5);
    expect(transcribeAudio(slow)).toBe('one two three four five');
  });

  it('makes more word errors as white noise rises, none at 30 dB SNR', () => {
    const snrs = [Number.POSITIVE_INFINITY, 30, 20, 10, 5, 0] as const;
    const rates = snrs.map((snr) => {
      let sum = 0;
      let count = 0;
      SENTENCES.forEach((text, i) => {
        const clean = speakText(text, { seed: i + 1 });
        for (const noiseSeed of [11, 12]) {
          const audio =
            snr === Number.POSITIVE_INFINITY ? clean : withNoise(clean, snr, noiseSeed * 100 + i);
          sum += wordErrorRate(speechWords(text), words(transcribeAudio(audio)));
          count++;
        }
      });
      return sum / count;
    });
    const [clean, at30, at20, at10, at5, at0] = rates as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    expect(clean).toBe(0);
    expect(at30).toBe(0);
    expect(at20).toBeLessThan(0.05);
    for (let i = 1; i < rates.length; i++) {
      expect(rates[i]).toBeGreaterThanOrEqual(rates[i - 1] as number);
    }
    expect(at5).toBeGreaterThan(at10);
    expect(at0).toBeGreaterThan(0.2);
    expect(at0).toBeLessThanOrEqual(1);
  });

  it('hears nothing in noise alone', () => {
    for (const [sigma, seed] of [
      [300, 77],
      [3000, 78],
      [10_000, 79],
    ] as const) {
      const noise = gaussian(seed);
      const audio = Int16Array.from({ length: 5 * RATE }, () => Math.round(sigma * noise()));
      expect(transcribeAudio(audio)).toBe('');
    }
    expect(transcribeAudio(new Int16Array(RATE))).toBe('');
    expect(transcribeAudio(new Int16Array(10))).toBe('');
  });

  it('loses the words cut off at either end and never invents one', () => {
    const text = SENTENCES[0] as string;
    const all = speechWords(text);
    const audio = speakText(text, { seed: 1 });
    let heardBefore = 0;
    const step = Math.round(0.097 * RATE);
    const cuts = Array.from({ length: Math.ceil(audio.length / step) }, (_, i) => i * step);
    for (const cut of [...cuts, audio.length]) {
      const heard = words(transcribeAudio(audio.subarray(0, cut)));
      // What is heard is the words spoken in full before the cut, in order.
      expect(heard).toEqual(all.slice(0, heard.length));
      expect(heard.length).toBeGreaterThanOrEqual(heardBefore);
      heardBefore = heard.length;
    }
    expect(heardBefore).toBe(all.length);
    // Cut in the middle of "tomorrow": the words before it are all there, it is not.
    const tomorrow = all.indexOf('tomorrow');
    const pauses = silences(audio, 50);
    const [, tomorrowStart] = pauses[tomorrow - 1] as [number, number];
    const midWord = tomorrowStart + Math.round(0.1 * RATE);
    expect(words(transcribeAudio(audio.subarray(0, midWord)))).toEqual(all.slice(0, tomorrow));
    // The stream joined in the middle of "tomorrow": it is lost, the rest heard.
    expect(words(transcribeAudio(audio.subarray(midWord)))).toEqual(all.slice(tomorrow + 1));
  });

  it('rejects bad options, naming them', () => {
    expect(() => speakText('hi', { seed: 1, wordsPerMinute: 400 })).toThrow(/wordsPerMinute/);
    expect(() => speakText('hi', { seed: 1, wordsPerMinute: Number.NaN })).toThrow(
      /wordsPerMinute/,
    );
    expect(() => speakText('hi', { seed: 1.5 })).toThrow(/seed/);
    expect(() => speakText('hi', { seed: 1, sampleRate: 8000 })).toThrow(/sampleRate/);
    expect(() => transcribeAudio(new Int16Array(10), { sampleRate: 44_100.5 })).toThrow(
      /sampleRate/,
    );
  });

  it('speaks a very long word in pieces that come back', () => {
    const text = `id ${'0123456789'.repeat(13)} ok`;
    expect(transcribeAudio(speakText(text, { seed: 8 }))).toBe(speechWords(text).join(' '));
  });

  it('speaks nothing for text without words', () => {
    expect(speakText('...', { seed: 1 })).toHaveLength(0);
  });
});
