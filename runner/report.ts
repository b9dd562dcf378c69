import { shortHash } from '../supabase/functions/_shared/run-constants.ts';
import { percentile } from '../supabase/functions/_shared/run-metrics.ts';
import { formatCost, formatDuration, formatLatency } from '../web/src/lib/format.ts';
import { failedChecks, isFailure, type RunnerReport, type RunResult } from './run-scenarios.ts';

export interface ScenarioSummary {
  scenario: string;
  version: string;
  runs: number;
  completed: number;
  saved: number;
  failed: number;
  turns: { min: number; mean: number; max: number };
  endReasons: Record<string, number>;
  /** Runs whose every check passed, of those with checks. */
  checksPassed: number;
  withChecks: number;
  firstAudioP50Ms: number | null;
  /** Mean USD per run; null when any run is unpriced. */
  meanCostUsd: number | null;
  /** Mean judge score (0–1) of the judged runs, when --judge was given. */
  meanJudgeScore: number | null;
}

export function summarise(results: readonly RunResult[]): ScenarioSummary[] {
  const groups = new Map<string, RunResult[]>();
  for (const result of results) {
    const group = groups.get(result.scenarioHash) ?? [];
    group.push(result);
    groups.set(result.scenarioHash, group);
  }
  return [...groups.values()].map((group) => {
    const turns = group.map((result) => result.turns);
    const endReasons: Record<string, number> = {};
    for (const result of group) {
      const reason = result.endReason ?? 'none';
      endReasons[reason] = (endReasons[reason] ?? 0) + 1;
    }
    const first = group[0] as RunResult;
    const withChecks = group.filter((result) => result.checks.length > 0);
    const latencies = group
      .map((result) => result.firstAudioP50Ms)
      .filter((ms): ms is number => ms !== null);
    const costs = group.map((result) => result.costUsd);
    return {
      scenario: first.scenario,
      version: first.scenarioHash,
      runs: group.length,
      completed: group.filter((result) => result.endReason && result.endReason !== 'error').length,
      saved: group.filter((result) => result.save === 'saved').length,
      failed: group.filter(isFailure).length,
      turns: {
        min: Math.min(...turns),
        mean: Math.round((turns.reduce((a, b) => a + b, 0) / turns.length) * 10) / 10,
        max: Math.max(...turns),
      },
      endReasons,
      checksPassed: withChecks.filter((result) => failedChecks(result).length === 0).length,
      withChecks: withChecks.length,
      firstAudioP50Ms: percentile(latencies, 50),
      meanJudgeScore: roundedMean(
        group.map((result) => result.judgeScore).filter((score) => typeof score === 'number'),
        1e4,
      ),
      meanCostUsd: costs.some((cost) => cost === null) ? null : roundedMean(costs as number[], 1e6),
    };
  });
}

/** Mean to 1/`scale` (1e6: micro-dollars), or null for no values. */
function roundedMean(values: number[], scale: number): number | null {
  if (values.length === 0) return null;
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * scale) / scale;
}

/** A plain-text table: columns padded to their widest cell. */
export function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatSummary(report: RunnerReport): string {
  const summaries = summarise(report.results);
  const rows = [
    [
      'scenario',
      'version',
      'runs',
      'completed',
      'saved',
      'failed',
      'checks passed',
      'judge',
      'first audio p50',
      'cost/run',
      'turns min/mean/max',
      'ended by',
    ],
    ...summaries.map((s) => [
      s.scenario,
      shortHash(s.version),
      String(s.runs),
      String(s.completed),
      String(s.saved),
      String(s.failed),
      s.withChecks > 0 ? `${s.checksPassed}/${s.withChecks}` : '—',
      s.meanJudgeScore === null ? '—' : `${Math.round(s.meanJudgeScore * 100)}%`,
      formatLatency(s.firstAudioP50Ms),
      formatCost(s.meanCostUsd),
      `${s.turns.min}/${s.turns.mean}/${s.turns.max}`,
      Object.entries(s.endReasons)
        .map(([reason, count]) => `${reason} ${count}`)
        .join(', '),
    ]),
  ];
  const total = report.results.length;
  const failed = report.results.filter(isFailure);
  const perMinute = report.wallMs > 0 ? (total / report.wallMs) * 60_000 : 0;
  const lines = [
    table(rows),
    '',
    `${total} runs in ${formatDuration(report.wallMs)} (${perMinute.toFixed(1)} runs/min), ${failed.length} failed`,
  ];
  for (const result of failed) {
    const why =
      result.save === 'pending'
        ? `not saved yet, kept in the outbox (${result.saveMessage ?? 'no answer'}); run \`npm run bench -- flush\``
        : result.save === 'rejected'
          ? `refused by the API: ${result.saveMessage}`
          : `ended in error: ${result.error}`;
    lines.push(`  ✗ ${result.scenario} #${result.index} ${result.runId ?? ''}: ${why}`);
  }
  const judgeErrors = new Set(report.results.map((r) => r.judgeError).filter(Boolean));
  for (const error of judgeErrors) lines.push(`  judge: ${error}`);
  for (const result of report.results) {
    for (const check of failedChecks(result)) {
      lines.push(
        `  check failed: ${result.scenario} #${result.index}: ${check.check} (${check.detail})`,
      );
    }
  }
  return lines.join('\n');
}

export function reportJson(report: RunnerReport) {
  return {
    ok: !report.results.some(isFailure),
    wall_ms: report.wallMs,
    runs: report.results.map((r) => ({
      scenario: r.scenario,
      file: r.file,
      scenario_hash: r.scenarioHash,
      index: r.index,
      run_id: r.runId,
      end_reason: r.endReason,
      turns: r.turns,
      duration_ms: r.durationMs,
      error: r.error,
      save: r.save,
      save_message: r.saveMessage,
      first_audio_p50_ms: r.firstAudioP50Ms,
      cost_usd: r.costUsd,
      checks: r.checks,
      judge_score: r.judgeScore ?? null,
      judge_error: r.judgeError ?? null,
    })),
    summary: summarise(report.results),
  };
}
