/**
 * The one definition of every figure shown for a group of runs. The runner's
 * summary and the regression detector compute them here; the views behind
 * /compare and /trends (`benchmark_comparison`, `benchmark_daily`) compute the
 * same in SQL, and a test holds the two to equal results. docs/metrics.md says
 * the same in words.
 *
 * Populations: a run's latency percentiles are over its own interviewer turns
 * (run-metrics.ts, stored in run_metrics). Every figure of a group is over its
 * runs, each run counting once: a long run does not outweigh a short one, and
 * each figure can be traced to the runs' own pages.
 */

/**
 * Nearest-rank percentile, as SQL `percentile_disc(fraction)`: the smallest
 * value that at least `fraction` of the values are at or below. Always one of
 * the values, never an interpolation; null for none.
 */
export function percentile(values: readonly number[], fraction: number): number | null {
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new RangeError(`percentile fraction must be between 0 and 1, not ${fraction}`);
  }
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] as number;
}

/** Nearest-rank median: of [800, 900] it is 800, not 850. */
export const median = (values: readonly number[]) => percentile(values, 0.5);

/**
 * `sum / count` rounded half away from zero to `decimals` places, as SQL
 * `round(avg(x), decimals)` on numeric. Exact when `sum` is a whole number
 * (counts, tokens, micro-dollars): a true half is representable, so it rounds
 * the same way in both places.
 */
function roundedRatio(sum: number, count: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round((sum * scale) / count) / scale;
}

/**
 * A float mean rounded as SQL `round(avg(x)::numeric, decimals)` does for a
 * double precision x: the cast keeps 15 significant digits, then halves round
 * away from zero.
 */
function roundedFloatMean(values: readonly number[], decimals: number): number {
  const mean = values.reduce((total, value) => total + value, 0) / values.length;
  const [digits, exponent = '0'] = Math.abs(mean).toPrecision(15).split('e');
  const shifted = Number(`${digits}e${Number(exponent) + decimals}`);
  return Math.sign(mean) * Number(`${Math.round(shifted)}e-${decimals}`);
}

const MICRO = 1_000_000;

/** Mean USD per run to the micro-dollar (run costs are stored to it, so this is exact); null for none. */
export function meanCostUsd(costs: ReadonlyArray<number | string>): number | null {
  if (costs.length === 0) return null;
  const micros = costs.reduce<number>((total, usd) => total + Math.round(Number(usd) * MICRO), 0);
  return roundedRatio(micros, costs.length, 0) / MICRO;
}

/** A run's figures as `run_metrics` stores them: what a group's figures are made of. */
export interface RunFigures {
  /** p50 and p95 of this run's interviewer turns (request → first audio). */
  first_audio_p50_ms: number | null;
  first_audio_p95_ms: number | null;
  total_tokens: number;
  /** USD, to the micro-dollar; null when a model is not in the pricing table. */
  cost_usd: number | string | null;
  checks_passed: number;
  checks_total: number;
  /** 0–1, the run's latest usable judgement; null when not judged. */
  latest_judge_score: number | null;
  /** A voice run's p50 and p95 of its utterances (end of speech → first audio); null for text runs. */
  voice_to_voice_p50_ms: number | null;
  voice_to_voice_p95_ms: number | null;
  /** A voice run's word errors and reference words over its utterances; null for text runs. */
  wer_errors: number | null;
  wer_words: number | null;
  /** Set (0 or more) for every voice run, null for text runs: what tells the two apart. */
  false_end_of_turns: number | null;
}

/** Whether a run passed every check; null when its scenario declares none. */
export const passedAllChecks = (run: Pick<RunFigures, 'checks_passed' | 'checks_total'>) =>
  run.checks_total > 0 ? run.checks_passed === run.checks_total : null;

/** A group of runs' figures, named as the columns of `benchmark_comparison`. */
export interface GroupFigures {
  runs: number;
  /** Runs whose scenario declares checks: the population of pass_rate. */
  runs_with_checks: number;
  /** Share (0–1, 4 places) of runs_with_checks that passed every check. */
  pass_rate: number | null;
  /** Median over the runs (with audio) of each run's first audio p50. */
  median_first_audio_p50_ms: number | null;
  /** Median over the runs (with audio) of each run's first audio p95. */
  median_first_audio_p95_ms: number | null;
  /** Mean total tokens per run, to the token. */
  mean_tokens: number | null;
  /** Mean USD per run over the priced runs, to the micro-dollar. */
  mean_cost_usd: number | null;
  /** Runs left out of mean_cost_usd because a model is not priced. */
  unpriced_runs: number;
  /** Mean (0–1, 4 places) of the judged runs' latest scores. */
  mean_judge_score: number | null;
  judged_runs: number;
  /** Runs that were voice runs: the population of the voice figures. */
  voice_runs: number;
  /** Median over the voice runs (with an answered utterance) of each run's voice-to-voice p50. */
  median_voice_to_voice_p50_ms: number | null;
  /** Median over those runs of each run's voice-to-voice p95. */
  median_voice_to_voice_p95_ms: number | null;
  /** All the runs' word errors over all their reference words (0–, 4 places): not a mean of run rates. */
  wer: number | null;
}

/** The values that are not null. */
export const present = <T>(values: ReadonlyArray<T | null>) =>
  values.filter((value): value is T => value !== null);

export function groupFigures(runs: readonly RunFigures[]): GroupFigures {
  const verdicts = present(runs.map(passedAllChecks));
  const costs = present(runs.map((run) => run.cost_usd));
  const scores = present(runs.map((run) => run.latest_judge_score));
  const tokens = runs.reduce((total, run) => total + run.total_tokens, 0);
  const scored = runs.filter((run) => run.wer_errors !== null && run.wer_words !== null);
  const werErrors = scored.reduce((total, run) => total + (run.wer_errors as number), 0);
  const werWords = scored.reduce((total, run) => total + (run.wer_words as number), 0);
  return {
    runs: runs.length,
    runs_with_checks: verdicts.length,
    pass_rate:
      verdicts.length === 0
        ? null
        : roundedRatio(verdicts.filter(Boolean).length, verdicts.length, 4),
    median_first_audio_p50_ms: median(present(runs.map((run) => run.first_audio_p50_ms))),
    median_first_audio_p95_ms: median(present(runs.map((run) => run.first_audio_p95_ms))),
    mean_tokens: runs.length === 0 ? null : roundedRatio(tokens, runs.length, 0),
    mean_cost_usd: meanCostUsd(costs),
    unpriced_runs: runs.length - costs.length,
    mean_judge_score: scores.length === 0 ? null : roundedFloatMean(scores, 4),
    judged_runs: scores.length,
    voice_runs: present(runs.map((run) => run.false_end_of_turns)).length,
    median_voice_to_voice_p50_ms: median(present(runs.map((run) => run.voice_to_voice_p50_ms))),
    median_voice_to_voice_p95_ms: median(present(runs.map((run) => run.voice_to_voice_p95_ms))),
    wer: werWords === 0 ? null : roundedRatio(werErrors, werWords, 4),
  };
}

/**
 * What each figure is called wherever it is shown (runner, /compare, /trends,
 * run page), so a label always says over what it was taken.
 */
export const FIGURE_LABELS = {
  runs: 'Runs',
  pass_rate: 'Checks passed',
  median_first_audio_p50_ms: 'First audio, median of run p50s',
  median_first_audio_p95_ms: 'First audio, median of run p95s',
  mean_tokens: 'Tokens/run',
  mean_cost_usd: 'Cost/run',
  mean_judge_score: 'Judge score',
  median_voice_to_voice_p50_ms: 'Voice to voice, median of run p50s',
  median_voice_to_voice_p95_ms: 'Voice to voice, median of run p95s',
  wer: 'WER (all errors / all words)',
  run_first_audio: "First audio p50 / p95 (this run's turns)",
  run_first_text: "First text p50 / p95 (this run's turns)",
} as const;
