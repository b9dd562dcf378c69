import {
  formatDuration,
  formatLatency,
  formatMeanCost,
  formatShare,
  formatWer,
} from '@core/format.ts';
import { shortHash } from '@core/run-constants.ts';
import {
  FIGURE_LABELS,
  type GroupFigures,
  groupFigures,
  type RunFigures,
} from '@core/statistics.ts';
import { errorCount } from '@core/word-error-rate.ts';
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
  /**
   * The same figures /compare shows for these runs (statistics.ts, and the
   * `benchmark_comparison` view), under the same names. The judge score is
   * there when --judge was given.
   */
  figures: GroupFigures;
}

/** A run's figures as run_metrics would store them. */
export const runFigures = (result: RunResult): RunFigures => ({
  first_audio_p50_ms: result.firstAudioP50Ms,
  first_audio_p95_ms: result.firstAudioP95Ms,
  total_tokens: result.totalTokens,
  cost_usd: result.costUsd,
  checks_passed: result.checks.filter((check) => check.passed).length,
  checks_total: result.checks.length,
  latest_judge_score: result.judgeScore ?? null,
  voice_to_voice_p50_ms: result.voice?.voiceToVoiceP50Ms ?? null,
  voice_to_voice_p95_ms: result.voice?.voiceToVoiceP95Ms ?? null,
  wer_errors: result.voice?.wer ? errorCount(result.voice.wer) : null,
  wer_words: result.voice?.wer?.reference_words ?? null,
  false_end_of_turns: result.voice?.falseEndOfTurns ?? null,
});

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
      figures: groupFigures(group.map(runFigures)),
    };
  });
}

/** A voice run's line under the table: what the user waited for, and how much was misheard. */
function voiceLine(result: RunResult): string | null {
  const { voice } = result;
  if (!voice) return null;
  return `  voice: ${result.scenario} #${result.index} ${result.runId ?? ''}: voice to voice p50 ${formatLatency(voice.voiceToVoiceP50Ms)}, p95 ${formatLatency(voice.voiceToVoiceP95Ms)}; WER ${formatWer(voice.wer)}`;
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
      ...[
        FIGURE_LABELS.pass_rate,
        FIGURE_LABELS.mean_judge_score,
        FIGURE_LABELS.median_first_audio_p50_ms,
        FIGURE_LABELS.median_first_audio_p95_ms,
        FIGURE_LABELS.mean_tokens,
        FIGURE_LABELS.mean_cost_usd,
      ].map((label) => label.toLowerCase()),
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
      formatShare(s.figures.pass_rate, s.figures.runs_with_checks),
      formatShare(s.figures.mean_judge_score, s.figures.judged_runs),
      formatLatency(s.figures.median_first_audio_p50_ms),
      formatLatency(s.figures.median_first_audio_p95_ms),
      s.figures.mean_tokens?.toLocaleString('en-US') ?? '—',
      formatMeanCost(s.figures.mean_cost_usd, s.figures.unpriced_runs),
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
  for (const result of report.results) {
    const line = voiceLine(result);
    if (line) lines.push(line);
  }
  for (const warning of report.modelWarnings ?? []) {
    lines.push(`  ⚠ ${warning.scenario}: ${warning.message}`);
  }
  if (summaries.some((s) => s.figures.unpriced_runs > 0)) {
    lines.push('  * some runs used an unpriced model and are left out of cost/run');
  }
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
      first_audio_p95_ms: r.firstAudioP95Ms,
      // Voice runs only (null for text runs): end of the user's speech → first audio, and WER (0–1+).
      voice_to_voice_p50_ms: r.voice?.voiceToVoiceP50Ms ?? null,
      voice_to_voice_p95_ms: r.voice?.voiceToVoiceP95Ms ?? null,
      wer: r.voice?.wer?.rate ?? null,
      total_tokens: r.totalTokens,
      cost_usd: r.costUsd,
      checks: r.checks,
      judge_score: r.judgeScore ?? null,
      judge_error: r.judgeError ?? null,
    })),
    summary: summarise(report.results),
    model_warnings: (report.modelWarnings ?? []).map((w) => ({
      scenario: w.scenario,
      model: w.model,
      shutdown: w.shutdown,
      days_left: w.daysLeft,
      replacement: w.replacement ?? null,
      message: w.message,
    })),
  };
}
