import { speakText } from '@engine/audio/offline-voice.ts';
import { createVad, type VadEvent, type VadOptions } from '@engine/audio/vad.ts';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';

const RATE = 24_000;
const TOLERANCE_MS = 60;

/** Seeded standard normal samples (Box–Muller over xoroshiro128+). */
function gaussian(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  const uniform = () => ((rng.next() >>> 0) + 0.5) / 2 ** 32;
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

type Noise = { dbfs: number; seed: number; kind: 'white' | 'rumble' };

/** Stationary noise at `dbfs` RMS: white, or low-passed (a rumble, like traffic or a fan). */
function noise(length: number, { dbfs, seed, kind }: Noise): Float64Array {
  const next = gaussian(seed);
  const out = new Float64Array(length);
  let low = 0;
  for (let i = 0; i < length; i++) {
    low = 0.95 * low + next();
    out[i] = kind === 'white' ? next() : low * Math.sqrt(1 - 0.95 ** 2);
  }
  const scale = 32768 * 10 ** (dbfs / 20);
  return out.map((x) => x * scale);
}

/** Silences (in ms) and utterances one after another, with where each utterance is. */
function stream(parts: (number | string)[], background?: Noise) {
  const pieces = parts.map((part, i) =>
    typeof part === 'number' ? new Int16Array((part / 1000) * RATE) : speakText(part, { seed: i }),
  );
  const samples = new Int16Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  const speech: { startMs: number; endMs: number }[] = [];
  let at = 0;
  pieces.forEach((piece, i) => {
    samples.set(piece, at);
    if (typeof parts[i] === 'string') {
      speech.push({ startMs: (at / RATE) * 1000, endMs: ((at + piece.length) / RATE) * 1000 });
    }
    at += piece.length;
  });
  if (background) {
    const added = noise(samples.length, background);
    samples.forEach((s, i) => {
      samples[i] = Math.max(-32768, Math.min(32767, Math.round(s + (added[i] as number))));
    });
  }
  return { samples, speech };
}

/** The events of `samples` pushed in chunks, each with the stream position (ms) it was returned at. */
async function detect(samples: Int16Array, options: Partial<VadOptions> = {}, chunk = 480) {
  const vad = await createVad({ sampleRate: RATE, ...options });
  const events: (VadEvent & { atMs: number })[] = [];
  for (let i = 0; i < samples.length; i += chunk) {
    const end = Math.min(samples.length, i + chunk);
    for (const event of vad.push(samples.subarray(i, end))) {
      events.push({ ...event, atMs: (end / RATE) * 1000 });
    }
  }
  vad.close();
  return events;
}

const TWO_TURNS = [
  1000,
  'Hello there. I would like to book a table for four.',
  1500,
  "Yes, at 7 o'clock.",
  1000,
];

describe('createVad', () => {
  it('finds each turn within 60 ms, through pauses between words and sentences', async () => {
    const { samples, speech } = stream(TWO_TURNS);
    const events = await detect(samples, { prefixPaddingMs: 0 });
    expect(events.map((event) => event.type)).toEqual([
      'speech_started',
      'speech_stopped',
      'speech_started',
      'speech_stopped',
    ]);
    speech.forEach(({ startMs, endMs }, turn) => {
      const started = events[2 * turn] as VadEvent & { atMs: number };
      const stopped = events[2 * turn + 1] as VadEvent & { atMs: number };
      if (started.type !== 'speech_started' || stopped.type !== 'speech_stopped') {
        throw new Error('events out of order');
      }
      expect(Math.abs(started.audioStartMs - startMs)).toBeLessThanOrEqual(TOLERANCE_MS);
      // audio_end_ms includes the silence that ended the turn, as OpenAI's does ...
      expect(Math.abs(stopped.audioEndMs - 500 - endMs)).toBeLessThanOrEqual(TOLERANCE_MS);
      // ... and the event comes once that much silence has been heard, not before.
      expect(stopped.atMs).toBeGreaterThanOrEqual(stopped.audioEndMs);
      expect(stopped.atMs - stopped.audioEndMs).toBeLessThanOrEqual(20);
    });
  });

  it('gives the same events however the stream is chunked', async () => {
    const { samples } = stream(TWO_TURNS);
    const strip = (events: (VadEvent & { atMs: number })[]) =>
      events.map(({ atMs: _, ...event }) => event);
    const byFrame = strip(await detect(samples, {}, 240));
    expect(strip(await detect(samples, {}, 1))).toEqual(byFrame);
    expect(strip(await detect(samples, {}, 1234))).toEqual(byFrame);
    expect(strip(await detect(samples, {}, samples.length))).toEqual(byFrame);
  });

  it('puts the prefix padding before the start, never before the stream', async () => {
    const { samples, speech } = stream([1000, 'Padding before this.', 500]);
    const [started] = await detect(samples);
    expect(started?.type).toBe('speech_started');
    if (started?.type !== 'speech_started') return;
    expect(Math.abs(started.audioStartMs - ((speech[0]?.startMs ?? 0) - 300))).toBeLessThanOrEqual(
      TOLERANCE_MS,
    );
    const [early] = await detect(stream([100, 'Padding before this.', 500]).samples);
    expect(early).toMatchObject({ type: 'speech_started', audioStartMs: 0 });
  });

  it('ends the turn at a sentence pause when the silence duration is shorter than it', async () => {
    // speakText pauses about 370 ms between sentences at 150 words a minute.
    const { samples } = stream([500, 'First sentence here. Second one.', 800]);
    const count = async (silenceDurationMs: number) =>
      (await detect(samples, { silenceDurationMs })).filter((e) => e.type === 'speech_started')
        .length;
    expect(await count(500)).toBe(1);
    expect(await count(200)).toBe(2);
  });

  it('finds speech through stationary background noise 20 dB under it', async () => {
    for (const kind of ['white', 'rumble'] as const) {
      const { samples, speech } = stream(TWO_TURNS, { dbfs: -40, seed: 5, kind });
      const events = await detect(samples, { prefixPaddingMs: 0 });
      expect(events).toHaveLength(4);
      const starts = events.flatMap((e) => (e.type === 'speech_started' ? [e.audioStartMs] : []));
      const ends = events.flatMap((e) => (e.type === 'speech_stopped' ? [e.audioEndMs - 500] : []));
      speech.forEach(({ startMs, endMs }, turn) => {
        expect(Math.abs((starts[turn] as number) - startMs)).toBeLessThanOrEqual(TOLERANCE_MS);
        expect(Math.abs((ends[turn] as number) - endMs)).toBeLessThanOrEqual(TOLERANCE_MS);
      });
    }
  });

  it('hears no speech in silence or in stationary noise at moderate levels', async () => {
    expect(await detect(new Int16Array(5 * RATE))).toEqual([]);
    for (const kind of ['white', 'rumble'] as const) {
      for (const [dbfs, seed] of [
        [-50, 1],
        [-40, 2],
        [-30, 3],
        [-25, 4],
      ] as const) {
        const samples = Int16Array.from(noise(10 * RATE, { dbfs, seed, kind }), Math.round);
        expect(await detect(samples), `${kind} noise at ${dbfs} dBFS`).toEqual([]);
      }
    }
  });

  it('works at 16 and 48 kHz too', async () => {
    for (const sampleRate of [16_000, 48_000]) {
      const speech = speakText('At another rate.', { seed: 1, sampleRate });
      const samples = new Int16Array(speech.length + 2 * sampleRate);
      samples.set(speech, sampleRate);
      const vad = await createVad({ sampleRate, prefixPaddingMs: 0 });
      const events = vad.push(samples);
      vad.close();
      const speechMs = (speech.length / sampleRate) * 1000;
      expect(events).toHaveLength(2);
      expect(events[0]?.type).toBe('speech_started');
      expect(Math.abs((events[0] as { audioStartMs: number }).audioStartMs - 1000)).toBeLessThan(
        TOLERANCE_MS,
      );
      expect(
        Math.abs((events[1] as { audioEndMs: number }).audioEndMs - 500 - 1000 - speechMs),
      ).toBeLessThan(TOLERANCE_MS);
    }
  });

  it('rejects bad options, naming them, and a push after close', async () => {
    await expect(createVad({ sampleRate: 44_100 })).rejects.toThrow(/sampleRate/);
    await expect(createVad({ sampleRate: RATE, threshold: 1.5 })).rejects.toThrow(/threshold/);
    await expect(createVad({ sampleRate: RATE, threshold: Number.NaN })).rejects.toThrow(
      /threshold/,
    );
    await expect(createVad({ sampleRate: RATE, prefixPaddingMs: -1 })).rejects.toThrow(
      /prefixPaddingMs/,
    );
    await expect(
      createVad({ sampleRate: RATE, silenceDurationMs: Number.POSITIVE_INFINITY }),
    ).rejects.toThrow(/silenceDurationMs/);
    const vad = await createVad({ sampleRate: RATE });
    vad.close();
    vad.close();
    expect(() => vad.push(new Int16Array(480))).toThrow(/closed/);
  });
});
