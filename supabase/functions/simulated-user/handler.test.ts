import { delay, HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  jsonPost,
  mockOpenAI,
  OPENAI_TEST_BASE,
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
    const handler = createSimulatedUserHandler({ openai: testOpenAIClient() });
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
    const response = await createSimulatedUserHandler({ openai: null })(
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
    const response = await createSimulatedUserHandler({ openai: testOpenAIClient() })(
      jsonPost({ persona: 'p', history }),
    );
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
    const response = await createSimulatedUserHandler({ openai: testOpenAIClient(100) })(
      jsonPost({ persona: 'p', history }),
    );
    expect(response.status).toBe(504);
  });

  it('refuses a bad speaker, naming the field', async () => {
    const response = await createSimulatedUserHandler({ openai: testOpenAIClient() })(
      jsonPost({ persona: 'p', history: [{ speaker: 'narrator', content: 'x' }] }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error.issues[0].path).toBe('history.0.speaker');
  });

  it('answers 502 when the model returns no text', async () => {
    server.use(http.post(responsesUrl, () => HttpResponse.json(responsesApiReply('   '))));
    const response = await createSimulatedUserHandler({ openai: testOpenAIClient() })(
      jsonPost({ persona: 'p', history }),
    );
    expect(response.status).toBe(502);
    expect((await response.json()).error.code).toBe('openai_empty_reply');
  });
});
