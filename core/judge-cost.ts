// What judging a run is likely to cost, before judging it: the judge reads the
// instructions, the structured-output schema and the blinded transcript, and
// answers one score with a reason per criterion plus a summary. Transcripts are
// not read to estimate (lists never download them), so they are counted by turns.

import { judgeInstructions, judgementJsonSchema, type Rubric } from './judge.ts';
import { costUsd, NO_TOKENS, type TokenCounts } from './pricing.ts';

export const JUDGE_ESTIMATE = {
  /** English text runs about four characters a token. */
  charsPerToken: 4,
  /** A transcript turn: {"speaker": "Agent", "text": …} around a spoken turn of 30–60 words. */
  tokensPerTurn: 60,
  /** One score in the answer: the criterion's name, the score and a one- or two-sentence reason. */
  outputTokensPerCriterion: 70,
  /** The summary and the answer's JSON around the scores. */
  outputTokensSummary: 80,
} as const;

/** A rubric of typical size, for runs whose rubric is not known yet. */
export const TYPICAL_RUBRIC: Rubric = {
  criteria: Array.from({ length: 3 }, (_, i) => ({
    name: `Criterion ${i + 1}`,
    description: 'What the agent should do, in one sentence of about fifteen words or so.',
    weight: 1,
  })),
  scale: { min: 1, max: 5 },
};

const tokensOf = (text: string) => Math.ceil(text.length / JUDGE_ESTIMATE.charsPerToken);

/** Tokens one judging of a run with `turns` turns is expected to use (one attempt). */
export function estimateJudgeTokens(rubric: Rubric, turns: number): TokenCounts {
  const prompt =
    tokensOf(judgeInstructions(rubric)) + tokensOf(JSON.stringify(judgementJsonSchema(rubric)));
  return {
    ...NO_TOKENS,
    textInput: prompt + Math.max(0, turns) * JUDGE_ESTIMATE.tokensPerTurn,
    textOutput:
      rubric.criteria.length * JUDGE_ESTIMATE.outputTokensPerCriterion +
      JUDGE_ESTIMATE.outputTokensSummary,
  };
}

/** USD for judging one run with `model`; null when the model is not in the pricing table. */
export function estimateJudgeCostUsd(model: string, rubric: Rubric, turns: number): number | null {
  return costUsd(model, estimateJudgeTokens(rubric, turns));
}
