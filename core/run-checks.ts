import type { BenchmarkRun } from './benchmark-run.ts';
import type { RunMetrics } from './run-metrics.ts';
import type { Scenario } from './scenario.ts';
import { containsPhrase } from './text-match.ts';
import type { VoiceMetrics } from './voice-metrics.ts';

export interface CheckResult {
  /** e.g. "must_mention: order number", "ended_by: cue". */
  check: string;
  passed: boolean;
  /** What was found, for the person reading why it failed. */
  detail: string;
}

type Checks = NonNullable<Scenario['checks']>;

const ENDED_BY = { cue: 'termination_cue', max_turns: 'max_turns', user_ended: 'user_ended' };

type VoiceFigures = Pick<
  VoiceMetrics,
  'voice_to_voice_p95_ms' | 'wer' | 'false_end_of_turns' | 'missed_end_of_turns'
>;

/** Why a voice check fails on a run without user speech (a voice scenario's run cut short, or made in text). */
const NOT_VOICE = 'not a voice run: no simulated-user speech in the log';

/**
 * The scenario's deterministic checks against one run: offline, no model
 * involved. A figure that could not be measured fails its check and says so,
 * as a check must not pass on nothing. `voice` is `computeVoiceMetrics(run)`:
 * null for a run without user speech.
 */
export function evaluateChecks(
  run: Pick<BenchmarkRun, 'conversation_history' | 'end_reason'>,
  metrics: Pick<RunMetrics, 'first_audio_p95_ms' | 'cost_usd'>,
  checks: Checks | undefined,
  voice: VoiceFigures | null,
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
  results.push(...voiceChecks(checks, voice));
  return results;
}

function voiceChecks(checks: Checks, voice: VoiceFigures | null): CheckResult[] {
  const results: CheckResult[] = [];
  const bound = (
    name: string,
    limit: number | undefined,
    value: (voice: VoiceFigures) => number | null,
    unmeasured: string,
    shown: (value: number) => string,
  ) => {
    if (limit === undefined) return;
    const measured = voice === null ? null : value(voice);
    results.push({
      check: `${name}: ${limit}`,
      passed: measured !== null && measured <= limit,
      detail: voice === null ? NOT_VOICE : measured === null ? unmeasured : shown(measured),
    });
  };
  bound(
    'max_voice_to_voice_ms',
    checks.max_voice_to_voice_ms,
    (v) => v.voice_to_voice_p95_ms,
    'no answered utterance',
    (ms) => `p95 ${ms} ms`,
  );
  bound(
    'max_wer',
    checks.max_wer,
    (v) => v.wer?.rate ?? null,
    'no transcription of the user to score',
    (rate) => `WER ${Number(rate.toFixed(4))}`,
  );
  bound(
    'max_false_turns',
    checks.max_false_turns,
    (v) => v.false_end_of_turns,
    '',
    (n) => `${n} false end${n === 1 ? '' : 's'} of turn`,
  );
  bound(
    'max_missed_turns',
    checks.max_missed_turns,
    (v) => v.missed_end_of_turns,
    '',
    (n) => `${n} missed end${n === 1 ? '' : 's'} of turn`,
  );
  return results;
}
