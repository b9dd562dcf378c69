import { meanCostUsd, median, percentile, present } from './statistics.ts';

/** One measured run, newest last or first: the detector sorts by time itself. */
export interface MeasuredRun {
  created_at: string;
  /** Whether every check passed; null when the scenario declares none. */
  passed: boolean | null;
  first_audio_p50_ms: number | null;
  cost_usd: number | null;
  /** A voice run's voice-to-voice p50; null or absent for a text run. */
  voice_to_voice_p50_ms?: number | null;
}

export interface RegressionOptions {
  /** How many of the newest runs are compared… */
  recent: number;
  /** …against how many runs before them. */
  baseline: number;
  /** Smallest drop in pass rate that counts (0.1 = 10 points), when also significant. */
  passRateDrop: number;
  /** Smallest relative rise in median first audio, median voice to voice or mean cost that counts (0.2 = 20%). */
  relativeRise: number;
}

export const DEFAULT_REGRESSION_OPTIONS: RegressionOptions = {
  recent: 10,
  baseline: 30,
  passRateDrop: 0.1,
  relativeRise: 0.2,
};

export type RegressionMetric =
  | 'pass_rate'
  | 'first_audio_p50_ms'
  | 'voice_to_voice_p50_ms'
  | 'cost_usd';

/** What each metric is called in words, wherever a regression is reported. */
export const REGRESSION_METRIC_NAMES: Record<RegressionMetric, string> = {
  pass_rate: 'pass rate',
  first_audio_p50_ms: 'first audio p50',
  voice_to_voice_p50_ms: 'voice to voice p50',
  cost_usd: 'cost',
};

const METRICS = Object.keys(REGRESSION_METRIC_NAMES) as RegressionMetric[];

export interface Regression {
  metric: RegressionMetric;
  baseline: number;
  recent: number;
  /** What makes it more than noise, in words. */
  evidence: string;
}

/** The outcome of comparing one model pair's newest runs with those before them. */
export interface RegressionCheck {
  /** Runs given. */
  runs: number;
  /** Fewest runs that can be compared: a full recent window and enough runs before it. */
  needed: number;
  recentRuns: number;
  baselineRuns: number;
  /** Metrics that had enough runs with a value on both sides to be compared. */
  compared: RegressionMetric[];
  /** Metrics the runs speak to: voice to voice only where some run is a voice run. */
  applicable: RegressionMetric[];
  regressions: Regression[];
}

/** Runs each side needs with a value before a metric is compared. */
const minimumPerSide = (options: RegressionOptions) => Math.max(3, Math.ceil(options.recent / 2));

export const runsNeeded = (options: RegressionOptions = DEFAULT_REGRESSION_OPTIONS) =>
  options.recent + minimumPerSide(options);

/**
 * Compares the newest runs of one scenario and model pair with the runs before
 * them. A change is flagged only when it is both large (beyond the thresholds)
 * and unlikely to be noise: a two-proportion z-test for the pass rate, and for
 * latency and cost the recent median of run p50s / mean cost beyond the
 * baseline runs' 75th percentile (nearest rank, statistics.ts); a voice run's
 * voice-to-voice p50 as its first audio. Too few runs on
 * either side → that metric is not compared, and the check says so.
 */
export function checkRegressions(
  runs: readonly MeasuredRun[],
  options: RegressionOptions = DEFAULT_REGRESSION_OPTIONS,
): RegressionCheck {
  const ordered = [...runs].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  const recent = ordered.slice(-options.recent);
  const baseline = ordered.slice(-(options.recent + options.baseline), -options.recent);
  const minimum = minimumPerSide(options);
  const compared: RegressionMetric[] = [];
  const found: Regression[] = [];
  const spoken = runs.some((run) => run.voice_to_voice_p50_ms != null);
  const check = (): RegressionCheck => ({
    runs: runs.length,
    needed: runsNeeded(options),
    recentRuns: recent.length,
    baselineRuns: baseline.length,
    compared,
    applicable: METRICS.filter((metric) => spoken || metric !== 'voice_to_voice_p50_ms'),
    regressions: found,
  });
  if (runs.length < runsNeeded(options)) return check();

  const [recentChecks, baselineChecks] = [recent, baseline].map((side) =>
    present(side.map((run) => run.passed)),
  ) as [boolean[], boolean[]];
  if (recentChecks.length >= minimum && baselineChecks.length >= minimum) {
    compared.push('pass_rate');
    const [r, b] = [recentChecks, baselineChecks].map(
      (side) => side.filter(Boolean).length / side.length,
    ) as [number, number];
    const pooled =
      (recentChecks.filter(Boolean).length + baselineChecks.filter(Boolean).length) /
      (recentChecks.length + baselineChecks.length);
    const se = Math.sqrt(
      pooled * (1 - pooled) * (1 / recentChecks.length + 1 / baselineChecks.length),
    );
    const z = se > 0 ? (b - r) / se : 0;
    if (b - r >= options.passRateDrop && z >= 1.96) {
      found.push({
        metric: 'pass_rate',
        baseline: b,
        recent: r,
        evidence: `passed ${Math.round(r * 100)}% of the last ${recentChecks.length} runs vs ${Math.round(b * 100)}% of ${baselineChecks.length} before (z = ${z.toFixed(1)})`,
      });
    }
  }

  const rise = (
    metric: 'first_audio_p50_ms' | 'voice_to_voice_p50_ms' | 'cost_usd',
    centre: (values: number[]) => number | null,
    describe: (value: number) => string,
    unit: (value: number) => string,
  ) => {
    const r = present(recent.map((run) => run[metric] ?? null));
    const b = present(baseline.map((run) => run[metric] ?? null));
    if (r.length < minimum || b.length < minimum) return;
    compared.push(metric);
    const [recentValue, baselineValue] = [centre(r) as number, centre(b) as number];
    const upperQuartile = percentile(b, 0.75) as number;
    if (
      baselineValue > 0 &&
      recentValue >= baselineValue * (1 + options.relativeRise) &&
      recentValue > upperQuartile
    ) {
      found.push({
        metric,
        baseline: baselineValue,
        recent: recentValue,
        evidence: `${describe(recentValue)} over the last ${r.length} runs vs ${unit(baselineValue)} over ${b.length} before (+${Math.round((recentValue / baselineValue - 1) * 100)}%, above the earlier runs' 75th percentile ${unit(upperQuartile)})`,
      });
    }
  };
  const ms = (value: number) => `${Math.round(value)} ms`;
  const usd = (value: number) => `$${value.toFixed(4)}`;
  rise('first_audio_p50_ms', median, (value) => `median of run p50s ${ms(value)}`, ms);
  rise('voice_to_voice_p50_ms', median, (value) => `median of run p50s ${ms(value)}`, ms);
  rise('cost_usd', meanCostUsd, (value) => `mean cost ${usd(value)}`, usd);
  return check();
}

const list = (metrics: RegressionMetric[]) => {
  const names = metrics.map((metric) => REGRESSION_METRIC_NAMES[metric]);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
};

/**
 * One line on what a check found, for the runner and /trends: never "no
 * regression" when nothing could be compared.
 */
export function describeRegressionCheck(check: RegressionCheck): string {
  if (check.runs < check.needed) {
    return `not enough runs to compare (${check.runs} of ${check.needed} needed)`;
  }
  if (check.compared.length === 0) {
    return 'not enough runs with checks, first audio or cost to compare';
  }
  if (check.regressions.length > 0) {
    return check.regressions
      .map((regression) => `${REGRESSION_METRIC_NAMES[regression.metric]}: ${regression.evidence}`)
      .join('; ');
  }
  const skipped = check.applicable.filter((metric) => !check.compared.includes(metric));
  return `no regression in ${list(check.compared)}: the last ${check.recentRuns} runs are in line with the ${check.baselineRuns} before${skipped.length > 0 ? ` (${list(skipped)} not compared: too few runs with a value)` : ''}`;
}
