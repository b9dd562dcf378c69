import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { openAIErrorResponse, openAIFromEnv } from './openai.ts';
import { mockOpenAI, OPENAI_TEST_BASE, testOpenAIClient } from './openai-test-server.ts';

const server = mockOpenAI();

/** What openAIErrorResponse makes of OpenAI answering a Responses call with this status and body. */
async function answerTo(status: number, body: Record<string, unknown>) {
  server.use(http.post(`${OPENAI_TEST_BASE}/responses`, () => HttpResponse.json(body, { status })));
  const client = testOpenAIClient();
  const error = await client.responses
    .create({ model: 'gpt-4.1-mini', input: 'hello' }, { maxRetries: 0 })
    .then(
      () => null,
      (e: unknown) => e,
    );
  const response = openAIErrorResponse(error);
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as { error: { code: string; message: string } },
  };
}

describe('openAIErrorResponse', () => {
  it('reports a 429 for want of quota as such: no retry, what to do about it', async () => {
    const answer = await answerTo(429, {
      error: {
        message: 'You exceeded your current quota, please check your plan and billing details.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
    });
    expect(answer.status).toBe(502);
    expect(answer.retryAfter).toBeNull();
    expect(answer.body.error.code).toBe('openai_insufficient_quota');
    expect(answer.body.error.message).toMatch(/no quota left \(429, insufficient_quota\)/);
    expect(answer.body.error.message).toMatch(/retrying will not help/);
  });

  it('still reports a rate limit as one to retry shortly', async () => {
    const answer = await answerTo(429, {
      error: {
        message: 'Rate limit reached for gpt-4.1-mini on requests per min (RPM).',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
    expect(answer).toMatchObject({ status: 503, retryAfter: '5' });
    expect(answer.body.error.code).toBe('openai_rate_limited');
  });
});

describe('openAIFromEnv', () => {
  const env =
    (values: Record<string, string>) =>
    (name: string): string | undefined =>
      ({ OPENAI_API_KEY: 'sk-test', ...values })[name];

  it('gives the judge a longer OpenAI timeout than the chat calls', () => {
    expect(openAIFromEnv(env({}))?.timeout).toBe(20_000);
    expect(openAIFromEnv(env({}), 'judge')?.timeout).toBe(60_000);
  });

  it('takes each timeout from its own variable', () => {
    const get = env({ OPENAI_TIMEOUT_MS: '5000', OPENAI_JUDGE_TIMEOUT_MS: '90000' });
    expect(openAIFromEnv(get)?.timeout).toBe(5000);
    expect(openAIFromEnv(get, 'judge')?.timeout).toBe(90_000);
    expect(() => openAIFromEnv(env({ OPENAI_JUDGE_TIMEOUT_MS: 'soon' }), 'judge')).toThrow(
      /OPENAI_JUDGE_TIMEOUT_MS/,
    );
  });
});
