import { delay, HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  jsonPost,
  mockOpenAI,
  OPENAI_TEST_BASE,
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
    const handler = createRealtimeSessionHandler({ openai: testOpenAIClient() });
    const response = await handler(
      jsonPost({ instructions: 'Interview the user.', voice: 'cedar' }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      value: 'ek_test_123',
      expires_at: 1_800_000_000,
      model: 'gpt-realtime',
      voice: 'cedar',
    });
    expect(auth).toBe('Bearer sk-test');
    expect(sent).toEqual({
      expires_after: { anchor: 'created_at', seconds: 600 },
      session: {
        type: 'realtime',
        model: 'gpt-realtime',
        instructions: 'Interview the user.',
        audio: { output: { voice: 'cedar' } },
      },
    });
  });

  it('says whether OpenAI is configured on GET', async () => {
    const configured = await createRealtimeSessionHandler({ openai: testOpenAIClient() })(
      new Request('http://functions.test/fn'),
    );
    expect(await configured.json()).toMatchObject({ openai_configured: true });
    const missing = await createRealtimeSessionHandler({ openai: null })(
      new Request('http://functions.test/fn'),
    );
    expect(await missing.json()).toMatchObject({ openai_configured: false });
  });

  it('answers 503 with a clear message when no key is configured', async () => {
    const response = await createRealtimeSessionHandler({ openai: null })(
      jsonPost({ instructions: 'x' }),
    );
    expect(response.status).toBe(503);
    const { error } = await response.json();
    expect(error.code).toBe('openai_key_missing');
    expect(error.message).toContain('OPENAI_API_KEY');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('reports a 401 from OpenAI as a refused key (502), not a crash', async () => {
    server.use(
      http.post(secretsUrl, () =>
        HttpResponse.json(
          {
            error: {
              message: 'Incorrect API key provided: sk-test.',
              type: 'invalid_request_error',
              code: 'invalid_api_key',
            },
          },
          { status: 401 },
        ),
      ),
    );
    const response = await createRealtimeSessionHandler({ openai: testOpenAIClient() })(
      jsonPost({ instructions: 'x' }),
    );
    expect(response.status).toBe(502);
    const { error } = await response.json();
    expect(error.code).toBe('openai_unauthorized');
    expect(error.message).toContain('Incorrect API key');
  });

  it('answers 504 when OpenAI does not answer in time', async () => {
    server.use(
      http.post(secretsUrl, async () => {
        await delay(2000);
        return HttpResponse.json({});
      }),
    );
    const response = await createRealtimeSessionHandler({ openai: testOpenAIClient(100) })(
      jsonPost({ instructions: 'x' }),
    );
    expect(response.status).toBe(504);
    expect((await response.json()).error.code).toBe('openai_timeout');
  });

  it('names the field of a bad request', async () => {
    const response = await createRealtimeSessionHandler({ openai: testOpenAIClient() })(
      jsonPost({ instructions: 7 }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error.issues[0].path).toBe('instructions');
  });
});
