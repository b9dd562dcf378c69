import type { BenchmarkRun, EventLogEntry } from './benchmark-run.ts';
import { addTokens, costUsd, NO_TOKENS, PRICING, type TokenCounts } from './pricing.ts';
import { percentile } from './statistics.ts';
import { readSystemEvent } from './system-events.ts';
import { type InterviewerTurnSpans, type TurnTimeline, turnTimeline } from './turn-timeline.ts';

/**
 * Bumped when the way metrics are computed changes, so a backfill knows what to redo.
 * 2: the voice figures (voice-to-voice, WER, end-of-turn errors) are stored.
 * 3: a voice run's cost includes its speech and its input transcription.
 */
export const METRICS_VERSION = 3;

export interface RunMetrics {
  metrics_version: number;
  interviewer_model: string | null;
  simulated_user_model: string | null;
  /** Interviewer responses that started (response.created or a first delta). */
  interviewer_turns: number;
  /** Request (response.create) → first transcript delta: nearest-rank p50/p95 of this run's turns. */
  first_text_p50_ms: number | null;
  first_text_p95_ms: number | null;
  /** Request → first audio (output_audio_buffer.started, else the first audio delta). */
  first_audio_p50_ms: number | null;
  first_audio_p95_ms: number | null;
  responses_completed: number;
  responses_cancelled: number;
  responses_incomplete: number;
  responses_failed: number;
  /** response.done events without usage: their tokens (and cost) are not counted. */
  responses_without_usage: number;
  interviewer_tokens: TokenCounts;
  simulated_user_tokens: TokenCounts;
  /** Voice mode: the simulated user's speech model (`user_speech.started.model`), and its tokens. */
  speech_model: string | null;
  speech_tokens: TokenCounts;
  /** Voice mode: the interviewer session's input transcription model (its `session.update`), and its tokens. */
  transcription_model: string | null;
  transcription_tokens: TokenCounts;
  /**
   * USD; null when a model that used tokens is not in the pricing table, or
   * when a use is reported in what tokens cannot price: speech without usage,
   * a transcription billed by duration.
   */
  cost_usd: number | null;
  pricing_version: string;
}

type Event = EventLogEntry['event'] & Record<string, unknown>;

const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
const record = (value: unknown) =>
  value && typeof value === 'object' ? (value as Record<string, unknown>) : {};

/** A Realtime `response.done` usage, split into priced buckets (cached audio where reported). */
export function realtimeTokens(usage: unknown): TokenCounts {
  const input = record(record(usage).input_token_details);
  const output = record(record(usage).output_token_details);
  const cachedDetails = record(input.cached_tokens_details);
  const cached = num(input.cached_tokens);
  const cachedAudio = Math.min(num(cachedDetails.audio_tokens), num(input.audio_tokens));
  const cachedText = Math.min(
    'text_tokens' in cachedDetails ? num(cachedDetails.text_tokens) : cached - cachedAudio,
    num(input.text_tokens),
  );
  return {
    textInput: num(input.text_tokens) - cachedText,
    textCachedInput: cachedText,
    textOutput: num(output.text_tokens),
    audioInput: num(input.audio_tokens) - cachedAudio,
    audioCachedInput: cachedAudio,
    audioOutput: num(output.audio_tokens),
  };
}

/** A Responses API usage (the simulated user's text model). */
export function textTokens(usage: unknown): TokenCounts {
  const u = record(usage);
  const cached = Math.min(num(record(u.input_tokens_details).cached_tokens), num(u.input_tokens));
  return {
    ...NO_TOKENS,
    textInput: num(u.input_tokens) - cached,
    textCachedInput: cached,
    textOutput: num(u.output_tokens),
  };
}

/** A speech model's usage (`speech.audio.done`): the text read, the audio spoken. */
function speechTokens(usage: unknown): TokenCounts {
  const u = record(usage);
  return { ...NO_TOKENS, textInput: num(u.input_tokens), audioOutput: num(u.output_tokens) };
}

/**
 * An input transcription's usage (`…input_audio_transcription.completed`), or
 * null when it is billed by duration (whisper-1), which tokens cannot price.
 * Input without a split by kind is counted as audio, as transcription reads audio.
 */
function transcriptionTokens(usage: unknown): TokenCounts | null {
  const u = record(usage);
  if (u.type === 'duration') return null;
  const details = record(u.input_token_details);
  const text = Math.min(num(details.text_tokens), num(u.input_tokens));
  const audio = 'audio_tokens' in details ? num(details.audio_tokens) : num(u.input_tokens) - text;
  return { ...NO_TOKENS, textInput: text, audioInput: audio, textOutput: num(u.output_tokens) };
}

/** The input transcription model a client `session.update` sets (GA shape, or the beta one). */
function transcriptionModelOf(event: Event): string | undefined {
  const session = record(event.session);
  const ga = record(record(record(session.audio).input).transcription);
  return str(ga.model) ?? str(record(session.input_audio_transcription).model);
}

const hasTokens = (tokens: TokenCounts) => Object.values(tokens).some((n) => n > 0);

/**
 * What a saved run measured, from its event log alone: per-turn latency,
 * response outcomes, tokens and cost. The latencies are the turns' spans of
 * `turnTimeline`: events paired by response id, not by position, and
 * timestamps that run backwards skipped rather than trusted.
 */
export function computeRunMetrics(
  run: Pick<BenchmarkRun, 'event_log'>,
  /** The run's turn timeline, when the caller has it already. */
  timeline: TurnTimeline = turnTimeline(run),
): RunMetrics {
  const outcomes = { completed: 0, cancelled: 0, incomplete: 0, failed: 0 };
  let withoutUsage = 0;
  let interviewerTokens = NO_TOKENS;
  let userTokens = NO_TOKENS;
  let interviewerModel: string | null = null;
  let userModel: string | null = null;
  let speechTokensSum = NO_TOKENS;
  let speechModel: string | null = null;
  let transcriptionTokensSum = NO_TOKENS;
  let transcriptionModel: string | null = null;
  let agents: string | undefined;
  /** A use that tokens cannot price was reported: the run's cost is unknown. */
  let unpriceable = false;

  for (const entry of run.event_log) {
    const event = entry.event as Event;
    if (entry.direction === 'client' && event.type === 'session.update') {
      transcriptionModel = transcriptionModelOf(event) ?? transcriptionModel;
      continue;
    }
    if (
      entry.direction === 'server' &&
      event.type === 'conversation.item.input_audio_transcription.completed' &&
      event.usage
    ) {
      const tokens = transcriptionTokens(event.usage);
      if (tokens) transcriptionTokensSum = addTokens(transcriptionTokensSum, tokens);
      else unpriceable = true;
      continue;
    }
    if (entry.direction === 'system') {
      const system = readSystemEvent(entry.event);
      if (system?.type === 'run.started') {
        agents = system.agents ?? agents;
        interviewerModel = system.model ?? interviewerModel;
        userModel = system.simulated_user_model ?? userModel;
      }
      if (system?.type === 'turn.completed' && system.speaker === 'simulated_user') {
        userTokens = addTokens(userTokens, textTokens(system.usage));
        userModel = system.model ?? userModel;
      }
      // Said by a speech model: priced by its usage, unknown without one. The
      // offline voice names none and costs nothing; an OpenAI run's utterance
      // that names none was logged before speech usage was (its cost is unknown).
      if (system?.type === 'user_speech.started') {
        speechModel = system.model ?? speechModel;
        if (system.model && system.usage)
          speechTokensSum = addTokens(speechTokensSum, speechTokens(system.usage));
        else if (system.model || agents === 'openai') unpriceable = true;
      }
      continue;
    }
    if (entry.direction !== 'server' || event.type !== 'response.done') continue;
    const response = record(event.response);
    if (!(str(event.response_id) ?? str(response.id))) continue;
    const status = str(response.status);
    if (status && status in outcomes) outcomes[status as keyof typeof outcomes]++;
    if (!response.usage) withoutUsage++;
    interviewerTokens = addTokens(interviewerTokens, realtimeTokens(response.usage));
  }

  // Per-turn latencies: the same spans the run page draws (core/turn-timeline.ts).
  const interviewer = timeline.turns.filter((turn) => turn.speaker === 'interviewer');
  const latencies = (pick: (turn: InterviewerTurnSpans) => number | null) =>
    interviewer.map(pick).filter((ms): ms is number => ms !== null);
  const text = latencies((turn) => turn.first_text_latency_ms);
  const audio = latencies((turn) => turn.first_audio_latency_ms);

  const priced = [
    [interviewerModel, interviewerTokens],
    [userModel, userTokens],
    [speechModel, speechTokensSum],
    [transcriptionModel, transcriptionTokensSum],
  ] as const;
  let cost: number | null = unpriceable ? null : 0;
  for (const [model, tokens] of priced) {
    if (!hasTokens(tokens)) continue;
    const part = model ? costUsd(model, tokens) : null;
    cost = cost === null || part === null ? null : cost + part;
  }

  return {
    metrics_version: METRICS_VERSION,
    interviewer_model: interviewerModel,
    simulated_user_model: userModel,
    interviewer_turns: interviewer.filter((turn) => turn.claimed_request).length,
    first_text_p50_ms: percentile(text, 0.5),
    first_text_p95_ms: percentile(text, 0.95),
    first_audio_p50_ms: percentile(audio, 0.5),
    first_audio_p95_ms: percentile(audio, 0.95),
    responses_completed: outcomes.completed,
    responses_cancelled: outcomes.cancelled,
    responses_incomplete: outcomes.incomplete,
    responses_failed: outcomes.failed,
    responses_without_usage: withoutUsage,
    interviewer_tokens: interviewerTokens,
    simulated_user_tokens: userTokens,
    speech_model: speechModel,
    speech_tokens: speechTokensSum,
    transcription_model: transcriptionModel,
    transcription_tokens: transcriptionTokensSum,
    cost_usd: cost === null ? null : Math.round(cost * 1_000_000) / 1_000_000,
    pricing_version: PRICING.version,
  };
}
