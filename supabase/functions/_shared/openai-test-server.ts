import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createOpenAIClient } from './openai.ts';

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

export function jsonPost(body: unknown): Request {
  return new Request('http://functions.test/fn', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
