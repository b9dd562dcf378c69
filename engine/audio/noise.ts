import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export type NoiseKind = 'white' | 'pink';

/** RMS of the pink filter's output for white input of RMS 1 (measured over 10^6 samples). */
const PINK_RMS = 2.97;

/** A seeded source of noise samples of unit power (RMS 1), white or pink. */
export class NoiseSource {
  private readonly random: RandomGenerator;
  // Paul Kellet's economy pink filter: three one-pole sections over white noise.
  private b0 = 0;
  private b1 = 0;
  private b2 = 0;

  constructor(
    private readonly kind: NoiseKind,
    seed: number,
  ) {
    this.random = xoroshiro128plus(seed);
  }

  /** `length` samples of noise with RMS `rms` (in PCM16 units), added to `into` when given. */
  fill(length: number, rms: number, into?: Int16Array): Int16Array {
    const out = into ?? new Int16Array(length);
    for (let i = 0; i < length; i++) {
      const noise = this.next() * rms;
      out[i] = Math.max(-32768, Math.min(32767, Math.round((out[i] as number) + noise)));
    }
    return out;
  }

  private next(): number {
    // Uniform on [-1, 1) has RMS 1/sqrt(3).
    const white = (uniformInt(this.random, 0, 0xffff) / 0x8000 - 1) * Math.sqrt(3);
    if (this.kind === 'white') return white;
    this.b0 = 0.99765 * this.b0 + white * 0.099046;
    this.b1 = 0.963 * this.b1 + white * 0.2965164;
    this.b2 = 0.57 * this.b2 + white * 1.0526913;
    return (this.b0 + this.b1 + this.b2 + white * 0.1848) / PINK_RMS;
  }
}

/** RMS of PCM16 samples (0 for none). */
export function rmsOf(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / samples.length);
}
