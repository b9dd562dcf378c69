import { describe, expect, it } from 'vitest';
import { JudgeRunError } from './judge-client.ts';

describe('JudgeRunError', () => {
  it('stops a batch when OpenAI has no quota left: every other run would get the same answer', () => {
    const quota = new JudgeRunError(
      'OpenAI refused: no quota left',
      502,
      'openai_insufficient_quota',
    );
    expect(quota.isQuotaExhausted).toBe(true);
    expect(quota.stopsBatch).toBe(true);
  });

  it('lets a batch go on after a rate limit or a one-off OpenAI error', () => {
    expect(new JudgeRunError('rate limited', 503, 'openai_rate_limited').stopsBatch).toBe(false);
    expect(new JudgeRunError('OpenAI answered 500', 502, 'openai_error').stopsBatch).toBe(false);
  });
});
