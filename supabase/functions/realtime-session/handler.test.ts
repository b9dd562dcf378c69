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
import { createRealtimeSessionHandler } from './handler.ts';

const server = mockOpenAI();
const secretsUrl = `${OPENAI_TEST_BASE}/realtime/client_secrets`;

describe('realtime-session', () => {
  it('creates an ephemeral client secret for a GA realtime session', async () => {
    let sent: unknown;
    let auth: string | null = null;
    server.use(
      http.post(secretsUrl, async ({ request }) => {
        sent = await request.json();
        auth = request.headers.get('authorization');
        return HttpResponse.json({
          value: 'ek_test_123',
          expires_at: 1_800_000_000,
          session: { type: 'realtime', model: 'gpt-realtime', id: 'sess_1' },
        });
      }),
    );
    const handler = createRealtimeSessionHandler({
      openai: testOpenAIClient(),
      budget: recordingBudget(),
    });
    const response = await handler(
      jsonPost({ instructions: 'Interview the user.', voice: 'cedar' }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      value: 'ek_test_123',
      expires_at: 1_800_000_000,
      model: 'gpt-realtime-2.1',
      voice: 'cedar',
      // Where to use the key: the functions' own OpenAI base, never a URL the client builds.
      realtime_url: 'wss://api.openai.test/v1/realtime?model=gpt-realtime-2.1',
      calls_url: 'https://api.openai.test/v1/realtime/calls',
    });
    expect(auth).toBe('Bearer sk-test');
    expect(sent).toEqual({
      expires_after: { anchor: 'created_at', seconds: 600 },
      session: {
        type: 'realtime',
        model: 'gpt-realtime-2.1',
        instructions: 'Interview the user.',
        audio: { output: { voice: 'cedar' } },
      },
    });
  });

  it('says whether OpenAI is configured on GET, and which accepted models OpenAI serves', async () => {
    let listed = 0;
    server.use(
      http.get(`${OPENAI_TEST_BASE}/models`, () => {
        listed += 1;
        return HttpResponse.json({
          object: 'list',
          data: [
            { id: 'gpt-realtime-2.1', object: 'model', created: 1, owned_by: 'system' },
            {
              id: 'gpt-realtime',
              object: 'model',
              created: 1,
              owned_by: 'system',
              shutdown_date: '2027-01-20',
            },
            {
              id: 'gpt-4.1-mini',
              object: 'model',
              created: 1,
              owned_by: 'system',
              shutdown_date: null,
            },
            { id: 'dall-e-2', object: 'model', created: 1, owned_by: 'system' },
          ],
        });
      }),
    );
    let clock = Date.parse('2026-12-01T09:00:00Z');
    const handler = createRealtimeSessionHandler({
      openai: testOpenAIClient(),
      budget: recordingBudget(),
      now: () => clock,
    });
    const configured = await handler(new Request('http://functions.test/fn'));
    expect(await configured.json()).toEqual({
      openai_configured: true,
      defaults: { model: 'gpt-realtime-2.1', voice: 'marin' },
      // The console counts only judgements by judges judge-run accepts.
      allowed_models: {
        realtime_session: [
          'gpt-realtime-2.1',
          'gpt-realtime-2.1-mini',
          'gpt-realtime-2',
          'gpt-realtime-1.5',
          'gpt-realtime',
          'gpt-realtime-mini',
        ],
        simulated_user: ['gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o-mini', 'gpt-4.1'],
        judge_run: ['gpt-4.1', 'gpt-4.1-mini'],
      },
      // GET /v1/models, narrowed to the accepted models; nothing else OpenAI lists.
      openai_models: {
        available: ['gpt-realtime-2.1', 'gpt-realtime', 'gpt-4.1-mini'],
        shutdown_dates: {
          'gpt-realtime-2.1': null,
          'gpt-realtime': '2027-01-20',
          'gpt-4.1-mini': null,
        },
        checked_at: '2026-12-01T09:00:00.000Z',
      },
    });
    // Asked once per ten minutes, however often the console loads.
    await handler(new Request('http://functions.test/fn'));
    expect(listed).toBe(1);
    clock += 10 * 60_000;
    await handler(new Request('http://functions.test/fn'));
    expect(listed).toBe(2);

    const missing = await createRealtimeSessionHandler({ openai: null, budget: recordingBudget() })(
      new Request('http://functions.test/fn'),
    );
    expect(await missing.json()).toMatchObject({ openai_configured: false, openai_models: null });
  });

  it('still answers GET when OpenAI does not list its models', async () => {
    server.use(
      http.get(`${OPENAI_TEST_BASE}/models`, () =>
        HttpResponse.json({ error: { message: 'down' } }, { status: 500 }),
      ),
    );
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const response = await createRealtimeSessionHandler({
        openai: testOpenAIClient(),
        budget: recordingBudget(),
      })(new Request('http://functions.test/fn'));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ openai_configured: true, openai_models: null });
    } finally {
      logged.mockRestore();
    }
  });

  it('answers 503 with a clear message when no key is configured', async () => {
    const response = await createRealtimeSessionHandler({
      openai: null,
      budget: recordingBudget(),
    })(jsonPost({ instructions: 'x' }));
    expect(response.status).toBe(503);
    const { error } = await response.json();
    expect(error.code).toBe('openai_key_missing');
    expect(error.message).toContain('OPENAI_API_KEY');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('reports a 401 from OpenAI as a refused key (502) without repeating what OpenAI said', async () => {
    server.use(http.post(secretsUrl, () => HttpResponse.json(LEAKY_OPENAI_401, { status: 401 })));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const response = await createRealtimeSessionHandler({
        openai: testOpenAIClient(),
        budget: recordingBudget(),
      })(jsonPost({ instructions: 'x' }));
      expect(response.status).toBe(502);
      const text = await response.text();
      for (const part of LEAKY_PARTS) expect(text).not.toContain(part);
      expect(JSON.parse(text).error).toEqual({
        code: 'openai_unauthorized',
        message:
          'OpenAI refused the configured API key (401): check OPENAI_API_KEY of the edge functions',
      });
      // The operator still finds OpenAI's own words in the function's log.
      expect(logged.mock.calls.flat().join(' ')).toContain('proj_Secret456');
    } finally {
      logged.mockRestore();
    }
  });

  it("names OpenAI's status and error code for other failures, nothing more", async () => {
    server.use(
      http.post(secretsUrl, () =>
        HttpResponse.json(
          {
            error: {
              message:
                'The model gpt-realtime does not exist or project proj_Secret456 lacks access.',
              type: 'invalid_request_error',
              code: 'model_not_found',
            },
          },
          { status: 404 },
        ),
      ),
    );
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const response = await createRealtimeSessionHandler({
        openai: testOpenAIClient(),
        budget: recordingBudget(),
      })(jsonPost({ instructions: 'x' }));
      expect(response.status).toBe(502);
      expect((await response.json()).error).toEqual({
        code: 'openai_error',
        message: "OpenAI answered 404, model_not_found; the details are in the function's log",
      });
    } finally {
      logged.mockRestore();
    }
  });

  it('answers 504 when OpenAI does not answer in time', async () => {
    server.use(
      http.post(secretsUrl, async () => {
        await delay(2000);
        return HttpResponse.json({});
      }),
    );
    const response = await createRealtimeSessionHandler({
      openai: testOpenAIClient(100),
      budget: recordingBudget(),
    })(jsonPost({ instructions: 'x' }));
    expect(response.status).toBe(504);
    expect((await response.json()).error.code).toBe('openai_timeout');
  });

  it('names the field of a bad request', async () => {
    const response = await createRealtimeSessionHandler({
      openai: testOpenAIClient(),
      budget: recordingBudget(),
    })(jsonPost({ instructions: 7 }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.issues[0].path).toBe('instructions');
  });
});

describe('realtime-session spends only what it is allowed to', () => {
  const limits = readOpenAILimitsEnv(
    (name) =>
      ({ OPENAI_MODELS_REALTIME_SESSION: 'gpt-realtime-mini', OPENAI_MAX_PROMPT_CHARS: '1000' })[
        name
      ],
  );

  it('refuses a model outside the allowlist and instructions over the cap, naming the field', async () => {
    const budget = recordingBudget();
    const handler = createRealtimeSessionHandler({ openai: testOpenAIClient(), budget, limits });
    const model = await handler(jsonPost({ instructions: 'x', model: 'gpt-realtime' }));
    expect(model.status).toBe(400);
    expect((await model.json()).error.issues[0]).toEqual({
      path: 'model',
      message: 'this model is not allowed here; use one of gpt-realtime-mini',
    });
    const long = await handler(
      jsonPost({ instructions: 'x'.repeat(1001), model: 'gpt-realtime-mini' }),
    );
    expect(long.status).toBe(400);
    expect((await long.json()).error.issues[0]).toEqual({
      path: 'instructions',
      message: 'the instructions are longer than 1000 characters (OPENAI_MAX_PROMPT_CHARS)',
    });
    expect(budget.spends).toEqual([]);
  });

  it('refuses by default the most expensive way to call it: an unlisted model with a huge prompt', async () => {
    const response = await createRealtimeSessionHandler({
      openai: testOpenAIClient(),
      budget: recordingBudget(),
    })(jsonPost({ instructions: 'x'.repeat(200_000), model: 'gpt-4o-realtime-preview' }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.issues.map((i: { path: string }) => i.path)).toEqual([
      'model',
      'instructions',
    ]);
  });

  it('counts a session at its estimated cost and answers 429 once the caller has used its share', async () => {
    const budget = recordingBudget({
      ok: false,
      scope: 'caller',
      window: 'day',
      limit: 'requests',
      max: 6000,
      retryAfterSeconds: 7300,
    });
    const response = await createRealtimeSessionHandler({
      openai: testOpenAIClient(),
      budget,
      limits,
    })(
      jsonPost(
        { instructions: 'x'.repeat(400), model: 'gpt-realtime-mini' },
        { 'x-forwarded-for': '203.0.113.7' },
      ),
    );
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7300');
    expect((await response.json()).error.message).toBe(
      'OpenAI budget reached: this caller has used 6000 OpenAI requests allowed per day (OPENAI_CALLER_REQUESTS_PER_DAY); try again in 3 h.',
    );
    // 15 responses × (100 + 1000) text tokens at $0.60/M, 15 × 8 s × 20 audio tokens at $20/M.
    expect(budget.spends).toEqual([{ caller: '203.0.113.7', requests: 1, usd: 0.0579 }]);
  });
});
