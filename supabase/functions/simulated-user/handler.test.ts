import { SPEECH_LIMITS } from '@core/scenario.ts';
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
import { SPEECH_WORDS_PER_MINUTE, sseBodyLimit } from './speech.ts';

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

describe('simulated-user speaks a line (voice mode)', () => {
  const speechUrl = `${OPENAI_TEST_BASE}/audio/speech`;
  const limits = readOpenAILimitsEnv(
    (name) =>
      ({
        OPENAI_MAX_SPEECH_CHARS: '40',
        OPENAI_MAX_SPEECH_BYTES: '9600',
      })[name],
  );
  const handler = (budget = recordingBudget()) =>
    createSimulatedUserHandler({ openai: testOpenAIClient(), budget, limits });
  /** Little-endian PCM16 bytes of these samples. */
  const pcm = (...samples: number[]) => new Uint8Array(new Int16Array(samples).buffer);
  const usage = { input_tokens: 11, output_tokens: 96, total_tokens: 107 };
  /** A Server-Sent Event of OpenAI's speech stream, as it frames them. */
  const sse = (event: unknown) => `data: ${JSON.stringify(event)}\n\n`;
  const delta = (bytes: Uint8Array) =>
    sse({ type: 'speech.audio.delta', audio: Buffer.from(bytes).toString('base64') });
  const done = (reported: unknown = usage) => sse({ type: 'speech.audio.done', usage: reported });
  /** OpenAI's SSE answer, its text cut at `cuts` (so events and lines span network chunks). */
  const sseAnswer = (text: string, cuts: number[] = []) => {
    const bytes = new TextEncoder().encode(text);
    const ends = [...cuts, bytes.length];
    return new HttpResponse(
      new ReadableStream({
        start(controller) {
          ends.reduce((from, to) => {
            controller.enqueue(bytes.slice(from, to));
            return to;
          }, 0);
          controller.close();
        },
      }),
      { headers: { 'content-type': 'text/event-stream' } },
    );
  };
  /**
   * `allowed` with tts-1 allowed as well: no environment can allow it (it is
   * billed by the character, which the pricing table does not model), but the
   * function keeps its raw path.
   */
  const withTts1 = (allowed: typeof limits) => ({
    ...allowed,
    OPENAI_MODELS_SPEECH: [...allowed.OPENAI_MODELS_SPEECH, 'tts-1'],
  });
  const samplesOf = (audio: string) => [
    ...new Int16Array(Uint8Array.from(Buffer.from(audio, 'base64')).buffer),
  ];

  it('asks the speech API for PCM as Server-Sent Events, and answers the audio base64 with its format and usage', async () => {
    let sent: Record<string, unknown> = {};
    const text = `${delta(pcm(1, -2))}: keep-alive\n\n${delta(pcm(300))}${done()}`;
    server.use(
      http.post(speechUrl, async ({ request }) => {
        sent = (await request.json()) as Record<string, unknown>;
        return sseAnswer(text.replaceAll('\n', '\r\n'), [3, 17, 40, 41, text.length + 5]);
      }),
    );
    const response = await handler()(
      jsonPost({ speak: { input: 'A notebook.', voice: 'ash', words_per_minute: 180 } }),
    );
    expect(response.status).toBe(200);
    const answer = await response.json();
    expect(answer).toMatchObject({
      format: 'pcm16',
      sample_rate: 24000,
      model: 'gpt-4o-mini-tts',
      usage,
    });
    expect(samplesOf(answer.audio)).toEqual([1, -2, 300]);
    expect(sent).toEqual({
      model: 'gpt-4o-mini-tts',
      voice: 'ash',
      input: 'A notebook.',
      response_format: 'pcm',
      stream_format: 'sse',
      instructions: 'Speak at about 180 words per minute.',
    });
  });

  it('asks tts-1 for raw PCM, as it streams no events, and answers no usage', async () => {
    let sent: Record<string, unknown> = {};
    server.use(
      http.post(speechUrl, async ({ request }) => {
        sent = (await request.json()) as Record<string, unknown>;
        return new HttpResponse(pcm(1, -2, 300), {
          headers: { 'content-type': 'application/octet-stream' },
        });
      }),
    );
    const response = await createSimulatedUserHandler({
      openai: testOpenAIClient(),
      budget: recordingBudget(),
      limits: withTts1(limits),
    })(
      jsonPost({
        speak: { input: 'A notebook.', voice: 'ash', model: 'tts-1', words_per_minute: 180 },
      }),
    );
    expect(response.status).toBe(200);
    const answer = await response.json();
    expect(answer).toEqual({
      audio: expect.any(String),
      format: 'pcm16',
      sample_rate: 24000,
      model: 'tts-1',
    });
    expect(samplesOf(answer.audio)).toEqual([1, -2, 300]);
    expect(sent).toEqual({
      model: 'tts-1',
      voice: 'ash',
      input: 'A notebook.',
      response_format: 'pcm',
    });
  });

  it('answers no usage when the last event reports none it can read', async () => {
    server.use(
      http.post(speechUrl, () => sseAnswer(`${delta(pcm(7))}${done({ input_tokens: 'many' })}`)),
    );
    const response = await handler()(jsonPost({ speak: { input: 'Hi.', voice: 'ash' } }));
    expect(response.status).toBe(200);
    const answer = await response.json();
    expect(answer.usage).toBeUndefined();
    expect(samplesOf(answer.audio)).toEqual([7]);
  });

  it('counts one request and the estimated cost of the text in and the audio out', async () => {
    server.use(http.post(speechUrl, () => sseAnswer(`${delta(pcm(1, 2))}${done()}`)));
    const budget = recordingBudget();
    const response = await handler(budget)(
      jsonPost(
        { speak: { input: 'one two three four five six', voice: 'cedar' } },
        { 'x-forwarded-for': '203.0.113.7' },
      ),
    );
    expect(response.status).toBe(200);
    // 26 characters = 7 text tokens at $0.60/M; 6 words at 120 a minute = 3 s = 63 audio tokens at $12/M.
    expect(budget.spends).toEqual([{ caller: '203.0.113.7', requests: 1, usd: 0.00076 }]);
  });

  it('refuses a text over its cap, an unknown voice or a model outside the allowlist, naming the field, spending nothing', async () => {
    const budget = recordingBudget();
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ input: 'x'.repeat(41), voice: 'ash' }, 'speak.input', /OPENAI_MAX_SPEECH_CHARS/],
      [{ input: 'Hi.', voice: 'nova-x' }, 'speak.voice', /./],
      [
        { input: 'Hi.', voice: 'ash', model: 'tts-1-hd' },
        'speak.model',
        /use one of gpt-4o-mini-tts/,
      ],
      [{ input: 'Hi.', voice: 'ash', words_per_minute: 20 }, 'speak.words_per_minute', /./],
      [{ input: '   ', voice: 'ash' }, 'speak.input', /./],
    ];
    for (const [speech, path, message] of cases) {
      const response = await handler(budget)(jsonPost({ speak: speech }));
      expect(response.status, path).toBe(400);
      const { error } = await response.json();
      expect(error.issues[0].path, path).toBe(path);
      expect(error.issues[0].message, path).toMatch(message);
    }
    expect(budget.spends).toEqual([]);
  });

  it('refuses speech longer than OPENAI_MAX_SPEECH_BYTES without passing it on', async () => {
    const tooLong = async (answer: () => Response, model?: string) => {
      server.use(http.post(speechUrl, answer));
      const response = await createSimulatedUserHandler({
        openai: testOpenAIClient(),
        budget: recordingBudget(),
        limits: withTts1(limits),
      })(jsonPost({ speak: { input: 'Hi.', voice: 'ash', model } }));
      expect(response.status).toBe(502);
      expect((await response.json()).error).toMatchObject({
        code: 'openai_speech_too_long',
        message: expect.stringContaining('OPENAI_MAX_SPEECH_BYTES'),
      });
    };
    // The audio of the events, past the cap by one sample, in deltas that each fit.
    await tooLong(() => sseAnswer(`${delta(new Uint8Array(4800))}${delta(new Uint8Array(4802))}`));
    // The events themselves, past the body's cap, whatever audio they carry.
    const filler = sse({ type: 'speech.audio.progress', padding: 'x'.repeat(1000) });
    await tooLong(() => sseAnswer(filler.repeat(Math.ceil(sseBodyLimit(9600) / filler.length))));
    await tooLong(
      () =>
        new Response(delta(pcm(1)), {
          headers: { 'content-length': String(sseBodyLimit(9600) + 1) },
        }),
    );
    // tts-1's raw PCM.
    await tooLong(() => new Response(new Uint8Array(9602)), 'tts-1');
  });

  it('answers 502 when the speech is not whole 16-bit samples, or its stream is not whole', async () => {
    const bad = async (text: string, message: RegExp) => {
      server.use(http.post(speechUrl, () => sseAnswer(text)));
      const response = await handler()(jsonPost({ speak: { input: 'Hi.', voice: 'ash' } }));
      expect(response.status).toBe(502);
      const { error } = await response.json();
      expect(error.code).toBe('openai_bad_speech');
      expect(error.message).toMatch(message);
    };
    await bad(`${delta(new Uint8Array(3))}${done()}`, /not 16-bit PCM \(3 bytes\)/);
    await bad(`${delta(pcm(1, 2))}`, /ended before speech\.audio\.done/);
    // The last event is not whole: the body ends inside it.
    await bad(`${delta(pcm(1, 2))}${done().trimEnd()}`, /ended before speech\.audio\.done/);
    await bad(`${delta(pcm(1))}data: {"type":\n\n${done()}`, /not JSON/);
    await bad(`${sse({ type: 'speech.audio.delta' })}${done()}`, /delta without audio/);
  });

  it("reports OpenAI's 400 as its status and code, and 503 without a key", async () => {
    server.use(
      http.post(speechUrl, () =>
        HttpResponse.json(
          {
            error: {
              message: "Invalid value: 'x'. Supported values are: 'alloy'…",
              type: 'invalid_request_error',
              param: 'voice',
              code: 'invalid_value',
            },
          },
          { status: 400 },
        ),
      ),
    );
    const failed = await handler()(jsonPost({ speak: { input: 'Hi.', voice: 'ash' } }));
    expect(failed.status).toBe(502);
    expect((await failed.json()).error).toMatchObject({
      code: 'openai_error',
      message: expect.stringContaining('400, invalid_value'),
    });
    const keyless = await createSimulatedUserHandler({ openai: null, budget: recordingBudget() })(
      jsonPost({ speak: { input: 'Hi.', voice: 'ash' } }),
    );
    expect(keyless.status).toBe(503);
  });

  it('takes every speaking rate a scenario may set, and no other', () => {
    expect(SPEECH_WORDS_PER_MINUTE).toEqual(SPEECH_LIMITS.wordsPerMinute);
  });

  it('answers 429 when the budget is spent, without calling OpenAI', async () => {
    const budget = recordingBudget({
      ok: false,
      scope: 'caller',
      window: 'day',
      limit: 'requests',
      max: 5,
      retryAfterSeconds: 60,
    });
    const response = await handler(budget)(jsonPost({ speak: { input: 'Hi.', voice: 'ash' } }));
    expect(response.status).toBe(429);
    expect((await response.json()).error.code).toBe('openai_budget_exceeded');
  });
});
