import { describe, expect, it } from 'vitest';
import { detectRegressions, type MeasuredRun } from './regressions.ts';

/** A deterministic pseudo-random stream, so "noise" is the same on every run of the test. */
function noise(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function series(
  count: number,
  make: (i: number, random: () => number) => Partial<MeasuredRun>,
  seed = 7,
): MeasuredRun[] {
  const random = noise(seed);
  return Array.from({ length: count }, (_, i) => ({
    created_at: new Date(Date.UTC(2026, 10, 1) + i * 3_600_000).toISOString(),
    passed: random() < 0.9,
    first_audio_p50_ms: 400 + random() * 120,
    cost_usd: 0.05 + random() * 0.01,
    ...make(i, random),
  }));
}

describe('detectRegressions', () => {
  it('flags nothing in steady runs with ordinary noise', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      expect(detectRegressions(series(40, () => ({}), seed))).toEqual([]);
    }
  });

  it('flags a real drop in pass rate, with the evidence', () => {
    const runs = series(40, (i, random) => (i >= 30 ? { passed: random() < 0.3 } : {}));
    const [regression] = detectRegressions(runs);
    expect(regression).toMatchObject({ metric: 'pass_rate' });
    expect(regression?.recent).toBeLessThan(0.5);
    expect(regression?.evidence).toMatch(/of the last 10 runs vs \d+% of 30 before \(z = /);
  });

  it('flags slower first audio and higher cost, not a single slow run', () => {
    const slower = series(40, (i, random) =>
      i >= 30 ? { first_audio_p50_ms: 700 + random() * 120, cost_usd: 0.08 } : {},
    );
    expect(detectRegressions(slower).map((r) => r.metric)).toEqual([
      'first_audio_p50_ms',
      'cost_usd',
    ]);
    const oneSpike = series(40, (i) => (i === 35 ? { first_audio_p50_ms: 5000 } : {}));
    expect(detectRegressions(oneSpike)).toEqual([]);
  });

  it('says nothing with too few runs to compare, or without checks', () => {
    const few = series(6, (i) => (i >= 3 ? { passed: false, first_audio_p50_ms: 9000 } : {}));
    expect(detectRegressions(few)).toEqual([]);
    const unchecked = series(40, (i) => ({ passed: i >= 30 ? null : true }));
    expect(detectRegressions(unchecked)).toEqual([]);
  });

  it('orders runs by time whatever order they come in', () => {
    const runs = series(40, (i) => (i >= 30 ? { cost_usd: 0.2 } : {}));
    expect(detectRegressions([...runs].reverse()).map((r) => r.metric)).toEqual(['cost_usd']);
  });
});
