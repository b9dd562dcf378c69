import { describe, expect, it } from 'vitest';
import { judgeInstructions, judgementJsonSchema, type Rubric } from './judge.ts';
import {
  estimateJudgeCostUsd,
  estimateJudgeTokens,
  JUDGE_ESTIMATE,
  TYPICAL_RUBRIC,
} from './judge-cost.ts';

const RUBRIC: Rubric = {
  criteria: [
    { name: 'Collects the order number', description: 'Asks for it and reads it back.', weight: 2 },
    { name: 'Stays calm', description: 'Acknowledges frustration without arguing.', weight: 1 },
  ],
  scale: { min: 1, max: 5 },
};

describe('judge cost estimate', () => {
  it('counts the prompt the judge gets, 60 tokens a turn, and a scored answer per criterion', () => {
    const prompt = judgeInstructions(RUBRIC) + JSON.stringify(judgementJsonSchema(RUBRIC));
    // About four characters a token: the fixed part of this rubric's prompt is ~280 tokens.
    expect(prompt.length).toBeGreaterThan(1000);
    expect(prompt.length).toBeLessThan(1200);
    const none = estimateJudgeTokens(RUBRIC, 0);
    expect(none.textInput).toBe(279);
    expect(estimateJudgeTokens(RUBRIC, 20).textInput).toBe(279 + 20 * 60);
    expect(none.textOutput).toBe(2 * 70 + 80);
    expect(none.audioInput + none.audioOutput + none.textCachedInput).toBe(0);
  });

  it('prices the tokens at the judge model: gpt-4.1 is $2 in and $8 out per million', () => {
    // 20 turns: 1,479 input and 220 output tokens.
    expect(estimateJudgeCostUsd('gpt-4.1', RUBRIC, 20)).toBe((1479 * 2 + 220 * 8) / 1_000_000);
    expect(estimateJudgeCostUsd('gpt-4.1-mini', RUBRIC, 20)).toBe(
      Math.round(1479 * 0.4 + 220 * 1.6) / 1_000_000,
    );
    expect(estimateJudgeCostUsd('a-model-not-in-the-table', RUBRIC, 20)).toBeNull();
  });

  it('grows with turns and criteria, never below the prompt for an empty run', () => {
    expect(estimateJudgeTokens(RUBRIC, -5)).toEqual(estimateJudgeTokens(RUBRIC, 0));
    const typical = estimateJudgeTokens(TYPICAL_RUBRIC, 30);
    expect(typical.textOutput).toBe(3 * JUDGE_ESTIMATE.outputTokensPerCriterion + 80);
    expect(typical.textInput).toBeGreaterThan(estimateJudgeTokens(RUBRIC, 30).textInput);
  });
});
