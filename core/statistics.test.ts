import { describe, expect, it } from 'vitest';
import { groupFigures, median, percentile, type RunFigures } from './statistics.ts';

const run = (figures: Partial<RunFigures> = {}): RunFigures => ({
  first_audio_p50_ms: 500,
  first_audio_p95_ms: 700,
  total_tokens: 1000,
  cost_usd: 0.02,
  checks_passed: 0,
  checks_total: 0,
  latest_judge_score: null,
  voice_to_voice_p50_ms: null,
  voice_to_voice_p95_ms: null,
  wer_errors: null,
  wer_words: null,
  false_end_of_turns: null,
  ...figures,
});

/** A voice run's figures: its voice-to-voice p50/p95 and its word errors over its words. */
const voiceRun = (p50: number | null, p95: number | null, errors: number, words: number) =>
  run({
    voice_to_voice_p50_ms: p50,
    voice_to_voice_p95_ms: p95,
    wer_errors: errors,
    wer_words: words,
    false_end_of_turns: 0,
  });

describe('percentile', () => {
  it('takes the nearest rank, as percentile_disc: always one of the values', () => {
    expect(percentile([5, 1, 3], 0.5)).toBe(3);
    expect(percentile([5, 1, 3], 0.95)).toBe(5);
    expect(median([800, 900])).toBe(800);
    expect(median([900, 800, 1000, 700])).toBe(800);
    // ceil(0.95 × 20) = 19th of 20; ceil(0.95 × 21) = 20th of 21.
    const ranks = Array.from({ length: 21 }, (_, i) => i + 1);
    expect(percentile(ranks.slice(0, 20), 0.95)).toBe(19);
    expect(percentile(ranks, 0.95)).toBe(20);
    expect(percentile([4], 0)).toBe(4);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('refuses a fraction outside 0–1 (a percent by mistake)', () => {
    expect(() => percentile([1, 2], 95)).toThrow(/between 0 and 1, not 95/);
  });
});

describe('groupFigures', () => {
  it('takes medians over runs, each run once, leaving out runs without audio', () => {
    const figures = groupFigures([
      run({ first_audio_p50_ms: 800, first_audio_p95_ms: 1200 }),
      run({ first_audio_p50_ms: 900, first_audio_p95_ms: 1000 }),
      run({ first_audio_p50_ms: null, first_audio_p95_ms: null }),
    ]);
    expect(figures).toMatchObject({
      runs: 3,
      median_first_audio_p50_ms: 800,
      median_first_audio_p95_ms: 1000,
    });
  });

  it('counts the pass rate over runs with checks, to four places', () => {
    const figures = groupFigures([
      run({ checks_passed: 2, checks_total: 2 }),
      run({ checks_passed: 1, checks_total: 2 }),
      run({ checks_passed: 3, checks_total: 3 }),
      run(),
    ]);
    expect(figures).toMatchObject({ runs_with_checks: 3, pass_rate: 0.6667 });
    expect(groupFigures([run()]).pass_rate).toBeNull();
    // 1 of 32 = 0.03125: the half rounds away from zero, as SQL round() does.
    const oneOf32 = Array.from({ length: 32 }, (_, i) =>
      run({ checks_passed: i === 0 ? 1 : 0, checks_total: 1 }),
    );
    expect(groupFigures(oneOf32).pass_rate).toBe(0.0313);
  });

  it('means cost over priced runs to the micro-dollar and counts the unpriced apart', () => {
    const figures = groupFigures([
      run({ cost_usd: 0.000001 }),
      run({ cost_usd: '0.000002' }),
      run({ cost_usd: null }),
    ]);
    // 1.5 micro-dollars rounds up, exactly.
    expect(figures).toMatchObject({ mean_cost_usd: 0.000002, unpriced_runs: 1 });
    expect(groupFigures([run({ cost_usd: 0.064 }), run({ cost_usd: 0.02 })]).mean_cost_usd).toBe(
      0.042,
    );
    expect(groupFigures([run({ cost_usd: null })])).toMatchObject({
      mean_cost_usd: null,
      unpriced_runs: 1,
    });
  });

  it('means tokens to the token and judge scores over the judged runs', () => {
    const figures = groupFigures([
      run({ total_tokens: 1000, latest_judge_score: 0.5 }),
      run({ total_tokens: 1001, latest_judge_score: 0.12345 }),
      run({ total_tokens: 1001 }),
    ]);
    expect(figures).toMatchObject({ mean_tokens: 1001, judged_runs: 2, mean_judge_score: 0.3117 });
    expect(groupFigures([])).toMatchObject({
      runs: 0,
      mean_tokens: null,
      median_first_audio_p50_ms: null,
      mean_cost_usd: null,
      mean_judge_score: null,
    });
  });

  it('gives voice figures over the voice runs only: medians of run figures, WER of all words', () => {
    const figures = groupFigures([
      voiceRun(800, 1200, 1, 2),
      voiceRun(900, 1000, 0, 40),
      voiceRun(null, null, 0, 0),
      run(),
    ]);
    expect(figures).toMatchObject({
      runs: 4,
      voice_runs: 3,
      median_voice_to_voice_p50_ms: 800,
      median_voice_to_voice_p95_ms: 1000,
      // 1 error in 42 words, not the mean of the rates 0.5 and 0 (0.25).
      wer: 0.0238,
    });
  });

  it('leaves the voice figures empty for text runs and WER empty without words', () => {
    expect(groupFigures([run(), run()])).toMatchObject({
      voice_runs: 0,
      median_voice_to_voice_p50_ms: null,
      median_voice_to_voice_p95_ms: null,
      wer: null,
    });
    expect(groupFigures([voiceRun(700, 700, 0, 0)]).wer).toBeNull();
    // 1/32 = 0.03125, a true half at the fourth place, rounds up as SQL round() does.
    expect(groupFigures([voiceRun(700, 700, 1, 32)]).wer).toBe(0.0313);
  });
});
