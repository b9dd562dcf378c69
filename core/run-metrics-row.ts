import type { BenchmarkRun } from './benchmark-run.ts';
import type { TokenCounts } from './pricing.ts';
import { type CheckResult, evaluateChecks } from './run-checks.ts';
import { computeRunMetrics, type RunMetrics } from './run-metrics.ts';
import type { Scenario } from './scenario.ts';
import { turnTimeline } from './turn-timeline.ts';
import { computeVoiceMetrics, type VoiceMetrics } from './voice-metrics.ts';
import { errorCount } from './word-error-rate.ts';

/** The figures of `RunMetrics` a row keeps in its `tokens` jsonb rather than in columns. */
type TokenFields =
  | 'interviewer_tokens'
  | 'simulated_user_tokens'
  | 'speech_model'
  | 'speech_tokens'
  | 'transcription_model'
  | 'transcription_tokens';

/** A `public.run_metrics` row, as the save function and the backfill write it (see run-metrics-store.ts). */
export interface RunMetricsRow extends Omit<RunMetrics, TokenFields> {
  run_id: string;
  /** Copied from the stored run when the row is written. */
  scenario_hash: string | null;
  created_at: string | null;
  /** Each model's tokens; speech and transcription since metrics version 3 (absent before). */
  tokens: {
    interviewer: TokenCounts;
    simulated_user: TokenCounts;
    speech?: TokenCounts;
    transcription?: TokenCounts;
    /** The models of a voice run's speech and transcription (null when it had none). */
    voice_models?: { speech: string | null; transcription: string | null };
  };
  total_tokens: number;
  checks: CheckResult[];
  checks_passed: number;
  checks_total: number;
  /** A voice run's figures (voice-metrics.ts); all null for a text run. */
  voice_to_voice_p50_ms: number | null;
  voice_to_voice_p95_ms: number | null;
  /** The run's WER: wer_errors / wer_words; null when no utterance could be scored. */
  wer: number | null;
  /** Substitutions + deletions + insertions over all scored utterances. */
  wer_errors: number | null;
  /** Reference words over all scored utterances. */
  wer_words: number | null;
  false_end_of_turns: number | null;
  missed_end_of_turns: number | null;
}

/** The voice columns of a run_metrics row, null for a text run. */
export function voiceColumns(
  voice: VoiceMetrics | null,
): Pick<
  RunMetricsRow,
  | 'voice_to_voice_p50_ms'
  | 'voice_to_voice_p95_ms'
  | 'wer'
  | 'wer_errors'
  | 'wer_words'
  | 'false_end_of_turns'
  | 'missed_end_of_turns'
> {
  const wer = voice?.wer ?? null;
  return {
    voice_to_voice_p50_ms: voice?.voice_to_voice_p50_ms ?? null,
    voice_to_voice_p95_ms: voice?.voice_to_voice_p95_ms ?? null,
    wer: wer?.rate ?? null,
    wer_errors: wer ? errorCount(wer) : null,
    wer_words: wer ? wer.reference_words : null,
    false_end_of_turns: voice?.false_end_of_turns ?? null,
    missed_end_of_turns: voice?.missed_end_of_turns ?? null,
  };
}

type MeasuredRun = Pick<
  BenchmarkRun,
  'run_id' | 'event_log' | 'conversation_history' | 'end_reason' | 'created_at'
>;

export function runMetricsRow(
  run: MeasuredRun,
  scenario?: Pick<Scenario, 'checks'> | null,
): RunMetricsRow {
  return measureRunRow(run, scenario).row;
}

/** The run's metrics row, and its voice figures in full (null for a text run) for a caller that reports them. */
export function measureRunRow(
  run: MeasuredRun,
  scenario?: Pick<Scenario, 'checks'> | null,
): { row: RunMetricsRow; voice: VoiceMetrics | null } {
  // One timeline for both: a save measures a run of up to 100,000 events once.
  const timeline = turnTimeline(run);
  const {
    interviewer_tokens,
    simulated_user_tokens,
    speech_model,
    speech_tokens,
    transcription_model,
    transcription_tokens,
    ...metrics
  } = computeRunMetrics(run, timeline);
  const voice = computeVoiceMetrics(run, timeline);
  const checks = evaluateChecks(run, metrics, scenario?.checks, voice);
  const sum = (tokens: TokenCounts) => Object.values(tokens).reduce((total, n) => total + n, 0);
  const row: RunMetricsRow = {
    run_id: run.run_id,
    scenario_hash: null,
    created_at: run.created_at ?? null,
    ...metrics,
    tokens: {
      interviewer: interviewer_tokens,
      simulated_user: simulated_user_tokens,
      speech: speech_tokens,
      transcription: transcription_tokens,
      voice_models: { speech: speech_model, transcription: transcription_model },
    },
    total_tokens:
      sum(interviewer_tokens) +
      sum(simulated_user_tokens) +
      sum(speech_tokens) +
      sum(transcription_tokens),
    checks,
    checks_passed: checks.filter((check) => check.passed).length,
    checks_total: checks.length,
    ...voiceColumns(voice),
  };
  return { row, voice };
}
