import { delay, HttpResponse, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { readOpenAILimitsEnv } from '../_shared/function-env.ts';
import {
  jsonPost,
  LEAKY_OPENAI_401,
  LEAKY_PARTS,
  mockOpenAI,
  OPENAI_TEST_BASE,
  recordingBudget,
  testOpenAIClient,
} from '../_shared/openai-test-server.ts';
import { createSimulatedUserHandler } from './handler.ts';

const server = mockOpenAI();
const responsesUrl = `${OPENAI_TEST_BASE}/responses`;

function responsesApiReply(text: string) {
  return {
    id: 'resp_1',
    object: 'response',
    created_at: 1_800_000_000,
    status: 'completed',
    model: 'gpt-4.1-mini-2025-04-14',
    output: [
      {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text, annotations: [] }],
      },
    ],
    usage: { input_tokens: 50, output_tokens: 12, total_tokens: 62 },
  };
}

const history = [
  { speaker: 'interviewer', content: 'What do you use to plan your week?' },
  { speaker: 'simulated_user', content: 'A notebook.' },
  { speaker: 'interviewer', content: 'Why a notebook?' },
];

describe('simulated-user', () => {
  it('asks the text model with the persona as instructions and the talk seen from the user side', async () => {
    let sent: Record<string, unknown> = {};
    server.use(
      http.post(responsesUrl, async ({ request }) => {
        sent = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json(
          responsesApiReply('  Because I can see the whole week at once.  '),
        );
      }),
    );
    const handler = createSimulatedUserHandler({
      openai: testOpenAIClient(),
      budget: recordingBudget(),
    });
    const response = await handler(jsonPost({ persona: 'You are Sam, a nurse.', history }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      utterance: 'Because I can see the whole week at once.',
      model: 'gpt-4.1-mini-2025-04-14',
      usage: { input_tokens: 50, output_tokens: 12, total_tokens: 62 },
    });
    expect(sent).toMatchObject({
      model: 'gpt-4.1-mini',
      instructions: 'You are Sam, a nurse.',
      input: [
        { role: 'user', content: 'What do you use to plan your week?' },
        { role: 'assistant', content: 'A notebook.' },
        { role: 'user', content: 'Why a notebook?' },
      ],
    });
  });

  it('answers 503 with a clear message when no key is configured', async () => {
    const response = await createSimulatedUserHandler({ openai: null, budget: recordingBudget() })(
      jsonPost({ persona: 'p', history }),
    );
    expect(response.status).toBe(503);
    expect((await response.json()).error).toMatchObject({
      code: 'openai_key_missing',
      message: expect.stringContaining('OPENAI_API_KEY'),
    });
  });

  it('reports a 401 from OpenAI as a refused key', async () => {
    server.use(
      http.post(responsesUrl, () =>
        HttpResponse.json(
          {
            error: {
              message: 'Incorrect API key provided.',
              type: 'invalid_request_error',
              code: 'invalid_api_key',
            },
          },
          { status: 401 },
        ),
      ),
    );
    const response = await createSimulatedUserHandler({
      openai: testOpenAIClient(),
      budget: recordingBudget(),
    })(jsonPost({ persona: 'p', history }));
    expect(response.status).toBe(502);
    expect((await response.json()).error.code).toBe('openai_unauthorized');
  });

  it('answers 504 on timeout', async () => {
    server.use(
      http.post(responsesUrl, async () => {
        await delay(2000);
        return HttpResponse.json(responsesApiReply('late'));
      }),
    );
    const response = await createSimulatedUserHandler({
      openai: testOpenAIClient(100),
      budget: recordingBudget(),
    })(jsonPost({ persona: 'p', history }));
    expect(response.status).toBe(504);
  });

  it('refuses a bad speaker, naming the field', async () => {
    const response = await createSimulatedUserHandler({
      openai: testOpenAIClient(),
      budget: recordingBudget(),
    })(jsonPost({ persona: 'p', history: [{ speaker: 'narrator', content: 'x' }] }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.issues[0].path).toBe('history.0.speaker');
  });

  it('answers 502 when the model returns no text', async () => {
    server.use(http.post(responsesUrl, () => HttpResponse.json(responsesApiReply('   '))));
    const response = await createSimulatedUserHandler({
      openai: testOpenAIClient(),
      budget: recordingBudget(),
    })(jsonPost({ persona: 'p', history }));
    expect(response.status).toBe(502);
    expect((await response.json()).error.code).toBe('openai_empty_reply');
  });
});

describe('simulated-user spends only what it is allowed to', () => {
  const limits = readOpenAILimitsEnv(
    (name) =>
      ({
        OPENAI_MODELS_SIMULATED_USER: 'gpt-4.1-mini',
        OPENAI_MAX_PROMPT_CHARS: '100',
        OPENAI_MAX_TRANSCRIPT_CHARS: '100',
      })[name],
  );
  const handler = (budget = recordingBudget()) =>
    createSimulatedUserHandler({ openai: testOpenAIClient(), budget, limits });

  it('refuses a model outside the allowlist, naming the field, without calling OpenAI', async () => {
    const budget = recordingBudget();
    const response = await handler(budget)(jsonPost({ persona: 'p', model: 'gpt-4.1', history }));
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.issues[0]).toEqual({
      path: 'model',
      message: 'this model is not allowed here; use one of gpt-4.1-mini',
    });
    expect(budget.spends).toEqual([]);
  });

  it('accepts a dated snapshot of an allowed model', async () => {
    server.use(http.post(responsesUrl, () => HttpResponse.json(responsesApiReply('Sure.'))));
    const response = await handler()(
      jsonPost({ persona: 'p', model: 'gpt-4.1-mini-2025-04-14', history }),
    );
    expect(response.status).toBe(200);
  });

  it('refuses a persona or a history over its cap with a 400 naming the field', async () => {
    const longPersona = await handler()(jsonPost({ persona: 'x'.repeat(101), history }));
    expect(longPersona.status).toBe(400);
    const persona = (await longPersona.json()).error;
    expect(persona.issues[0].path).toBe('persona');
    expect(persona.message).toMatch(/longer than 100 characters \(OPENAI_MAX_PROMPT_CHARS\)/);

    const longHistory = await handler()(
      jsonPost({
        persona: 'p',
        history: [
          { speaker: 'interviewer', content: 'x'.repeat(30) },
          { speaker: 'simulated_user', content: 'y'.repeat(71) },
        ],
      }),
    );
    expect(longHistory.status).toBe(400);
    const historyError = (await longHistory.json()).error;
    expect(historyError.issues[0].path).toBe('history');
    expect(historyError.message).toMatch(/longer than 100 characters in all/);
  });

  it('counts one request and its estimated cost for the caller the nearest proxy saw', async () => {
    server.use(http.post(responsesUrl, () => HttpResponse.json(responsesApiReply('Sure.'))));
    const budget = recordingBudget();
    const response = await handler(budget)(
      jsonPost(
        { persona: 'p'.repeat(40), history: [{ speaker: 'interviewer', content: 'q'.repeat(40) }] },
        { 'x-forwarded-for': '198.51.100.9, 203.0.113.7' },
      ),
    );
    expect(response.status).toBe(200);
    // 80 characters = 20 input tokens at $0.40/M, and at most 500 output tokens at $1.60/M.
    expect(budget.spends).toEqual([{ caller: '203.0.113.7', requests: 1, usd: 0.000808 }]);
  });

  it('answers 429 with Retry-After and a clear message when the budget is spent, without calling OpenAI', async () => {
    const budget = recordingBudget({
      ok: false,
      scope: 'global',
      window: 'hour',
      limit: 'usd',
      max: 10,
      retryAfterSeconds: 1260,
    });
    const response = await handler(budget)(jsonPost({ persona: 'p', history }));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1260');
    expect(await response.json()).toEqual({
      error: {
        code: 'openai_budget_exceeded',
        message:
          'OpenAI budget reached: all callers together have used the estimated OpenAI spend of $10 allowed per hour (OPENAI_BUDGET_USD_PER_HOUR); try again in 21 min.',
        retry_after_seconds: 1260,
      },
    });
  });

  it('answers 503 and spends nothing when the budget cannot be checked', async () => {
    const response = await createSimulatedUserHandler({
      openai: testOpenAIClient(),
      budget: { admit: () => Promise.reject(new Error('database down')) },
      limits,
    })(jsonPost({ persona: 'p', history }));
    expect(response.status).toBe(503);
    expect((await response.json()).error.code).toBe('budget_unavailable');
  });

  it("keeps OpenAI's error text (organisation, project, masked key) in the log, not in the answer", async () => {
    server.use(http.post(responsesUrl, () => HttpResponse.json(LEAKY_OPENAI_401, { status: 401 })));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const response = await handler()(jsonPost({ persona: 'p', history }));
      expect(response.status).toBe(502);
      const text = await response.text();
      for (const part of LEAKY_PARTS) expect(text).not.toContain(part);
      expect(JSON.parse(text).error.code).toBe('openai_unauthorized');
      expect(logged.mock.calls.flat().join(' ')).toContain('org-Abc123SecretOrg');
    } finally {
      logged.mockRestore();
    }
  });
});
