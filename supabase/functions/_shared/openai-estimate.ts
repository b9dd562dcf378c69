// What one OpenAI function request is likely to cost, estimated before the call
// from the sizes of what is sent and the pricing table, so the budget can refuse
// it first. Text runs about four characters a token.

import { costUsd, NO_TOKENS } from '@core/pricing.ts';

export const CHARS_PER_TOKEN = 4;

/** The simulated user's reply is capped at this many tokens (sent as max_output_tokens). */
export const SIMULATED_USER_MAX_OUTPUT_TOKENS = 500;

/**
 * A Realtime session is paid for by the browser's calls, after the key is
 * minted; it is estimated as a typical run: this many responses, each reading
 * the instructions and the conversation so far, and speaking this long.
 */
export const REALTIME_SESSION_ESTIMATE = {
  responses: 15,
  /** Conversation context each response reads on top of the instructions. */
  contextTokensPerResponse: 1_000,
  secondsSpokenPerResponse: 8,
  /** Realtime output audio: about 20 tokens a second. */
  audioTokensPerSecond: 20,
} as const;

export const tokensOfChars = (chars: number) => Math.ceil(chars / CHARS_PER_TOKEN);

/** Characters of a transcript's turns: what a prompt built from it costs, roughly. */
export const transcriptChars = (turns: ReadonlyArray<{ content: string }>) =>
  turns.reduce((sum, turn) => sum + turn.content.length, 0);

const usd = (model: string, textInput: number, textOutput: number, audioOutput = 0) =>
  costUsd(model, { ...NO_TOKENS, textInput, textOutput, audioOutput }) ?? 0;

export function estimateSimulatedUserUsd(model: string, promptChars: number): number {
  return usd(model, tokensOfChars(promptChars), SIMULATED_USER_MAX_OUTPUT_TOKENS);
}

export function estimateRealtimeSessionUsd(model: string, instructionsChars: number): number {
  const e = REALTIME_SESSION_ESTIMATE;
  const input = e.responses * (tokensOfChars(instructionsChars) + e.contextTokensPerResponse);
  const audio = e.responses * e.secondsSpokenPerResponse * e.audioTokensPerSecond;
  return usd(model, input, 0, audio);
}

/**
 * Text to speech: the text in, and audio out at about 20 tokens a second
 * (OpenAI's own estimate for gpt-4o-mini-tts is $0.015 a minute at $12 per 1M
 * audio tokens: 1250 a minute). How long the speech lasts is estimated from its
 * words at a slow 120 a minute whatever rate was asked for (a voice is not bound
 * to it), so the estimate errs high.
 */
const SPEECH_ESTIMATE = {
  audioTokensPerSecond: 21,
  slowWordsPerMinute: 120,
} as const;

export function estimateSpeechUsd(model: string, input: string): number {
  const words = input.split(/\s+/).filter(Boolean).length;
  const seconds = (words * 60) / SPEECH_ESTIMATE.slowWordsPerMinute;
  const audio = Math.ceil(seconds * SPEECH_ESTIMATE.audioTokensPerSecond);
  return usd(model, tokensOfChars(input.length), 0, audio);
}

/** One ask of the judge: its instructions, schema and transcript in, a score and reason per criterion out. */
export function estimateJudgeAttemptUsd(
  model: string,
  inputChars: number,
  outputTokens: number,
): number {
  return usd(model, tokensOfChars(inputChars), outputTokens);
}
