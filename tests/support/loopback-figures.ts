// What the loopback reports for a run of the default scenario with the default models, in the
// run's token buckets and USD: the figures a stored run must equal, whichever client drove it.
import { PRICING, type TokenCounts } from '@core/pricing.ts';
import { SCENARIO_DEFAULTS } from '@core/run-constants.ts';
import { LOOPBACK_INTERVIEWER_LINES, loopbackUsage } from './fake-realtime.ts';

/** The interviewer's tokens the loopback reported over its four responses, in the run's buckets. */
export function loopbackInterviewerTokens(): TokenCounts {
  const usages = LOOPBACK_INTERVIEWER_LINES.map((_, n) => loopbackUsage(n));
  const sum = (pick: (u: (typeof usages)[number]) => number | undefined) =>
    usages.reduce((total, u) => total + (pick(u) ?? 0), 0);
  const cachedText = sum((u) => u.input_token_details?.cached_tokens_details?.text_tokens);
  return {
    textInput: sum((u) => u.input_token_details?.text_tokens) - cachedText,
    textCachedInput: cachedText,
    textOutput: sum((u) => u.output_token_details?.text_tokens),
    audioInput: 0,
    audioCachedInput: 0,
    audioOutput: sum((u) => u.output_token_details?.audio_tokens),
  };
}

/** The loopback's Responses API reports 10 tokens in and 5 out for each of the three replies. */
export const LOOPBACK_SIMULATED_USER_TOKENS: TokenCounts = {
  textInput: 30,
  textCachedInput: 0,
  textOutput: 15,
  audioInput: 0,
  audioCachedInput: 0,
  audioOutput: 0,
};

/** USD of those tokens at the default models' prices, to the micro-dollar unrounded. */
export function loopbackCostUsd(
  interviewer: TokenCounts = loopbackInterviewerTokens(),
  user: TokenCounts = LOOPBACK_SIMULATED_USER_TOKENS,
): number {
  const realtime = PRICING.models[SCENARIO_DEFAULTS.interviewerModel];
  const text = PRICING.models[SCENARIO_DEFAULTS.simulatedUserModel].text;
  return (
    (interviewer.textInput * realtime.text.input +
      interviewer.textCachedInput * realtime.text.cachedInput +
      interviewer.textOutput * realtime.text.output +
      interviewer.audioOutput * realtime.audio.output +
      user.textInput * text.input +
      user.textOutput * text.output) /
    1_000_000
  );
}
