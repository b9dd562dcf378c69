/** One measured run, newest last or first: the detector sorts by time itself. */
export interface MeasuredRun {
  created_at: string;
  /** Whether every check passed; null when the scenario declares none. */
  passed: boolean | null;
  first_audio_p50_ms: number | null;
  cost_usd: number | null;
}

export interface RegressionOptions {
  /** How many of the newest runs are compared… */
  recent: number;
  /** …against how many runs before them. */
  baseline: number;
  /** Smallest drop in pass rate that counts (0.1 = 10 points), when also significant. */
  passRateDrop: number;
  /** Smallest relative rise in median first audio or mean cost that counts (0.2 = 20%). */
  relativeRise: number;
}

export const DEFAULT_REGRESSION_OPTIONS: RegressionOptions = {
  recent: 10,
  baseline: 30,
  passRateDrop: 0.1,
  relativeRise: 0.2,
};

export interface Regression {
  metric: 'pass_rate' | 'first_audio_p50_ms' | 'cost_usd';
  baseline: number;
  recent: number;
  /** What makes it more than noise, in words. */
  evidence: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2
    ? (sorted[Math.floor(middle)] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
};
const defined = <T>(values: Array<T | null>) => values.filter((v): v is T => v !== null);

/**
 * Compares the newest runs of one scenario and model pair with the runs before
 * them. A change is flagged only when it is both large (beyond the thresholds)
 * and unlikely to be noise: a two-proportion z-test for the pass rate, and for
 * latency and cost the recent median/mean beyond the baseline's 75th percentile.
 * Too few runs on either side → nothing is flagged.
 */
export function detectRegressions(
  runs: readonly MeasuredRun[],
  options: RegressionOptions = DEFAULT_REGRESSION_OPTIONS,
): Regression[] {
  const ordered = [...runs].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  const recent = ordered.slice(-options.recent);
  const baseline = ordered.slice(-(options.recent + options.baseline), -options.recent);
  const minimum = Math.max(3, Math.ceil(options.recent / 2));
  const found: Regression[] = [];

  const [recentChecks, baselineChecks] = [recent, baseline].map((side) =>
    defined(side.map((run) => run.passed)),
  ) as [boolean[], boolean[]];
  if (recentChecks.length >= minimum && baselineChecks.length >= minimum) {
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
    metric: 'first_audio_p50_ms' | 'cost_usd',
    centre: (values: number[]) => number,
    unit: (value: number) => string,
  ) => {
    const r = defined(recent.map((run) => run[metric]));
    const b = defined(baseline.map((run) => run[metric]));
    if (r.length < minimum || b.length < minimum) return;
    const [recentValue, baselineValue] = [centre(r), centre(b)];
    const upperQuartile = quantile(b, 0.75);
    if (
      baselineValue > 0 &&
      recentValue >= baselineValue * (1 + options.relativeRise) &&
      recentValue > upperQuartile
    ) {
      found.push({
        metric,
        baseline: baselineValue,
        recent: recentValue,
        evidence: `${unit(recentValue)} over the last ${r.length} runs vs ${unit(baselineValue)} over ${b.length} before (+${Math.round((recentValue / baselineValue - 1) * 100)}%, above the earlier 75th percentile ${unit(upperQuartile)})`,
      });
    }
  };
  rise('first_audio_p50_ms', median, (ms) => `median first audio ${Math.round(ms)} ms`);
  rise('cost_usd', mean, (usd) => `mean cost $${usd.toFixed(4)}`);
  return found;
}
