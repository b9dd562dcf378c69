import type { BenchmarkRun } from './benchmark-run.ts';
import type { RunMetrics } from './run-metrics.ts';
import type { Scenario } from './scenario.ts';
import { containsPhrase } from './text-match.ts';

export interface CheckResult {
  /** e.g. "must_mention: order number", "ended_by: cue". */
  check: string;
  passed: boolean;
  /** What was found, for the person reading why it failed. */
  detail: string;
}

type Checks = NonNullable<Scenario['checks']>;

const ENDED_BY = { cue: 'termination_cue', max_turns: 'max_turns', user_ended: 'user_ended' };

/** The scenario's deterministic checks against one run: offline, no model involved. */
export function evaluateChecks(
  run: Pick<BenchmarkRun, 'conversation_history' | 'end_reason'>,
  metrics: Pick<RunMetrics, 'first_audio_p95_ms' | 'cost_usd'>,
  checks: Checks | undefined,
): CheckResult[] {
  if (!checks) return [];
  const interviewer = run.conversation_history
    .filter((turn) => turn.speaker === 'interviewer')
    .map((turn) => turn.content)
    .join('\n');
  const results: CheckResult[] = [];
  for (const phrase of checks.must_mention ?? []) {
    const said = containsPhrase(interviewer, phrase);
    results.push({
      check: `must_mention: ${phrase}`,
      passed: said,
      detail: said ? 'said' : 'never said',
    });
  }
  for (const phrase of checks.must_not_mention ?? []) {
    const said = containsPhrase(interviewer, phrase);
    results.push({
      check: `must_not_mention: ${phrase}`,
      passed: !said,
      detail: said ? 'said' : 'not said',
    });
  }
  if (checks.ended_by) {
    results.push({
      check: `ended_by: ${checks.ended_by}`,
      passed: run.end_reason === ENDED_BY[checks.ended_by],
      detail: `ended by ${run.end_reason}`,
    });
  }
  if (checks.max_turns !== undefined) {
    const turns = run.conversation_history.length;
    results.push({
      check: `max_turns: ${checks.max_turns}`,
      passed: turns <= checks.max_turns,
      detail: `${turns} turns`,
    });
  }
  if (checks.max_time_to_first_audio_ms !== undefined) {
    const p95 = metrics.first_audio_p95_ms;
    results.push({
      check: `max_time_to_first_audio_ms: ${checks.max_time_to_first_audio_ms}`,
      passed: p95 !== null && p95 <= checks.max_time_to_first_audio_ms,
      detail: p95 === null ? 'no audio measured' : `p95 ${p95} ms`,
    });
  }
  if (checks.max_cost_usd !== undefined) {
    const cost = metrics.cost_usd;
    results.push({
      check: `max_cost_usd: ${checks.max_cost_usd}`,
      passed: cost !== null && cost <= checks.max_cost_usd,
      detail: cost === null ? 'cost unknown (unpriced model)' : `$${cost}`,
    });
  }
  return results;
}
