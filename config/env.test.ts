import { describe, expect, it } from 'vitest';
import { openAIFunctionEnv } from './env.ts';

describe('openAIFunctionEnv', () => {
  it('passes every OPENAI_* variable to the functions, and nothing else', () => {
    expect(
      openAIFunctionEnv({
        OPENAI_API_KEY: 'sk-x',
        OPENAI_BUDGET_USD_PER_DAY: '3',
        OPENAI_MODELS_JUDGE_RUN: 'gpt-4.1-mini',
        OPENAI_BASE_URL: '',
        SUPABASE_SERVICE_ROLE_KEY: 'secret',
        PATH: '/usr/bin',
      }),
    ).toEqual({
      OPENAI_API_KEY: 'sk-x',
      OPENAI_BUDGET_USD_PER_DAY: '3',
      OPENAI_MODELS_JUDGE_RUN: 'gpt-4.1-mini',
    });
  });

  it('stops the start on a bad limit or an unpriced model, naming the variable', () => {
    expect(() => openAIFunctionEnv({ OPENAI_CALLER_REQUESTS_PER_HOUR: 'lots' })).toThrow(
      /OPENAI_CALLER_REQUESTS_PER_HOUR/,
    );
    expect(() =>
      openAIFunctionEnv({ OPENAI_MODELS_SIMULATED_USER: 'gpt-4.1-mini, o1-pro' }),
    ).toThrow(/OPENAI_MODELS_SIMULATED_USER.*o1-pro is not in the pricing table/);
  });
});
