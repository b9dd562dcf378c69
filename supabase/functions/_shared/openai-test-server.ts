import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createOpenAIClient } from './openai.ts';
import type { Admission, OpenAIBudget, Spend } from './openai-budget.ts';

export const OPENAI_TEST_BASE = 'https://api.openai.test/v1';

/** msw in front of OpenAI for one test file; unknown requests fail the test. */
export function mockOpenAI() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

export function testOpenAIClient(timeoutMs = 2000) {
  return createOpenAIClient({ apiKey: 'sk-test', baseURL: OPENAI_TEST_BASE, timeoutMs });
}

export function jsonPost(body: unknown, headers: Record<string, string> = {}): Request {
  return new Request('http://functions.test/fn', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** OpenAI's 401 as it really reads: it names the organisation, the project and a masked key. */
export const LEAKY_OPENAI_401 = {
  error: {
    message:
      'Incorrect API key provided: sk-proj-****************************wxyz. You can find your API key at https://platform.openai.com/account/api-keys. (organization org-Abc123SecretOrg, project proj_Secret456)',
    type: 'invalid_request_error',
    code: 'invalid_api_key',
  },
};
export const LEAKY_PARTS = ['sk-proj-', 'wxyz', 'org-Abc123SecretOrg', 'proj_Secret456'];

/**
 * A budget for handler tests: records every spend it is asked to admit and
 * admits it, or answers with `refusal`. The Postgres budget has its own tests.
 */
export function recordingBudget(refusal?: Extract<Admission, { ok: false }>) {
  const spends: Spend[] = [];
  const budget: OpenAIBudget & { spends: Spend[] } = {
    spends,
    admit: async (spend) => {
      spends.push(spend);
      return refusal ?? { ok: true };
    },
  };
  return budget;
}
