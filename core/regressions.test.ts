import { describe, expect, it } from 'vitest';
import {
  checkRegressions,
  describeRegressionCheck,
  type MeasuredRun,
  runsNeeded,
} from './regressions.ts';

const detectRegressions = (runs: MeasuredRun[]) => checkRegressions(runs).regressions;

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

describe('checkRegressions', () => {
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

  it('flags nothing with too few runs to compare, or without checks', () => {
    const few = series(6, (i) => (i >= 3 ? { passed: false, first_audio_p50_ms: 9000 } : {}));
    expect(detectRegressions(few)).toEqual([]);
    const unchecked = series(40, (i) => ({ passed: i >= 30 ? null : true }));
    expect(detectRegressions(unchecked)).toEqual([]);
  });

  it('flags a slower voice to voice in voice runs, and names it only where there are voice runs', () => {
    const voice = (i: number, random: () => number) => ({
      voice_to_voice_p50_ms: (i >= 30 ? 1400 : 900) + random() * 100,
    });
    const slower = checkRegressions(series(40, voice));
    expect(slower.regressions.map((r) => r.metric)).toEqual(['voice_to_voice_p50_ms']);
    expect(describeRegressionCheck(slower)).toMatch(
      /^voice to voice p50: median of run p50s 14\d\d ms over the last 10 runs vs 9\d\d ms over 30 before/,
    );
    const steady = checkRegressions(
      series(40, (_, random) => ({ voice_to_voice_p50_ms: 900 + random() * 100 })),
    );
    expect(describeRegressionCheck(steady)).toBe(
      'no regression in pass rate, first audio p50, voice to voice p50 and cost: the last 10 runs are in line with the 30 before',
    );
    // Voice runs too few to compare are said to be; text runs never mention voice.
    const fewVoice = checkRegressions(
      series(40, (i) => ({ voice_to_voice_p50_ms: i === 39 ? 900 : null })),
    );
    expect(describeRegressionCheck(fewVoice)).toMatch(
      /\(voice to voice p50 not compared: too few runs with a value\)$/,
    );
  });

  it('takes the median of run p50s by nearest rank', () => {
    // Baseline run p50s alternate 400/600: nearest-rank median 400, a mean of the middle two 500.
    const runs = series(40, (i) => ({
      first_audio_p50_ms: i < 30 ? (i % 2 ? 600 : 400) : 700,
      cost_usd: 0.05,
    }));
    const check = checkRegressions(runs);
    expect(check.regressions).toEqual([
      expect.objectContaining({ metric: 'first_audio_p50_ms', baseline: 400, recent: 700 }),
    ]);
    expect(check.regressions[0]?.evidence).toBe(
      "median of run p50s 700 ms over the last 10 runs vs 400 ms over 30 before (+75%, above the earlier runs' 75th percentile 600 ms)",
    );
  });
});

describe('describeRegressionCheck', () => {
  it('says there were too few runs, never "no regression", below the runs needed', () => {
    expect(runsNeeded()).toBe(15);
    expect(describeRegressionCheck(checkRegressions(series(3, () => ({}))))).toBe(
      'not enough runs to compare (3 of 15 needed)',
    );
    expect(describeRegressionCheck(checkRegressions(series(14, () => ({}))))).toBe(
      'not enough runs to compare (14 of 15 needed)',
    );
    expect(describeRegressionCheck(checkRegressions([]))).toBe(
      'not enough runs to compare (0 of 15 needed)',
    );
  });

  it('names what was compared, in words, and what was not', () => {
    const steady = checkRegressions(series(40, () => ({})));
    expect(describeRegressionCheck(steady)).toBe(
      'no regression in pass rate, first audio p50 and cost: the last 10 runs are in line with the 30 before',
    );
    const unchecked = checkRegressions(series(20, () => ({ passed: null })));
    expect(describeRegressionCheck(unchecked)).toBe(
      'no regression in first audio p50 and cost: the last 10 runs are in line with the 10 before (pass rate not compared: too few runs with a value)',
    );
    const empty = checkRegressions(
      series(20, () => ({ passed: null, first_audio_p50_ms: null, cost_usd: null })),
    );
    expect(describeRegressionCheck(empty)).toBe(
      'not enough runs with checks, first audio or cost to compare',
    );
  });

  it('writes each regression with its metric as words', () => {
    const runs = series(40, (i) => (i >= 30 ? { cost_usd: 0.2 } : {}));
    expect(describeRegressionCheck(checkRegressions(runs))).toMatch(
      /^cost: mean cost \$0\.2000 over the last 10 runs vs \$0\.05\d+ over 30 before/,
    );
  });

  it('orders runs by time whatever order they come in', () => {
    const runs = series(40, (i) => (i >= 30 ? { cost_usd: 0.2 } : {}));
    expect(detectRegressions([...runs].reverse()).map((r) => r.metric)).toEqual(['cost_usd']);
  });
});
