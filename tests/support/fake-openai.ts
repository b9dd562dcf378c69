import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeRealtime, type IssuedSession } from './fake-realtime.ts';
import {
  createFakeRealtimeCalls,
  type FakeCall,
  type FakeCallsControls,
} from './fake-realtime-webrtc.ts';
import { fakeSpeech, speechEvents } from './fake-speech.ts';

export const FAKE_OPENAI_KEY = 'sk-loopback-test';

/**
 * What the loopback's GET /v1/models lists: some accepted models, one with an
 * announced shutdown (`shutdown_date`, as OpenAI documents it), and one the
 * functions do not accept.
 */
export const FAKE_OPENAI_MODELS = [
  { id: 'gpt-realtime-2.1', object: 'model', created: 1_780_000_000, owned_by: 'system' },
  {
    id: 'gpt-realtime',
    object: 'model',
    created: 1_756_000_000,
    owned_by: 'system',
    shutdown_date: '2027-01-20',
  },
  {
    id: 'gpt-4.1-mini',
    object: 'model',
    created: 1_744_000_000,
    owned_by: 'system',
    shutdown_date: '2027-01-14',
  },
  { id: 'whisper-1', object: 'model', created: 1_677_000_000, owned_by: 'openai-internal' },
];

/** The header the test stack's OpenAI functions take the caller from (OPENAI_CALLER_HEADER). */
export const TEST_CALLER_HEADER = 'x-bench-test-caller';

/**
 * A loopback stand-in for OpenAI at `{baseUrl}`: the HTTP endpoints the
 * edge functions call (client secrets, Responses, speech, the model list), answering with the documented shapes (it refuses any
 * other key with 401, so a test sees whether the function sent the configured
 * one), and the GA Realtime WebSocket and WebRTC calls for the ephemeral keys
 * it minted (fake-realtime.ts, fake-realtime-webrtc.ts).
 */
export async function startFakeOpenAI(): Promise<
  FakeCallsControls & {
    baseUrl: string;
    /** The WebRTC calls answered so far. */
    calls(): readonly FakeCall[];
    close(): Promise<void>;
  }
> {
  const issued = new Map<string, IssuedSession>();
  const realtime = createFakeRealtime(issued);
  const calls = createFakeRealtimeCalls(issued);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      // Authorized with an ephemeral key, from the browser (CORS): see fake-realtime-webrtc.ts.
      if (calls.handles(req)) return void calls.handle(req, res, Buffer.concat(chunks));
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${FAKE_OPENAI_KEY}`) {
        return send(401, {
          error: {
            message: 'Incorrect API key provided.',
            type: 'invalid_request_error',
            code: 'invalid_api_key',
          },
        });
      }
      if (req.method === 'GET' && req.url === '/v1/models') {
        return send(200, { object: 'list', data: FAKE_OPENAI_MODELS });
      }
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      if (req.method === 'POST' && req.url === '/v1/realtime/client_secrets') {
        const value = `ek_fake_${body.session.model}_${body.session.audio.output.voice}`;
        issued.set(value, {
          model: body.session.model,
          voice: body.session.audio.output.voice,
          instructions: body.session.instructions,
        });
        return send(200, {
          value,
          expires_at: Math.floor(Date.now() / 1000) + body.expires_after.seconds,
          session: { ...body.session, id: 'sess_fake', object: 'realtime.session' },
        });
      }
      if (
        req.method === 'POST' &&
        req.url === '/v1/responses' &&
        body.text?.format?.type === 'json_schema'
      ) {
        // A judge: every criterion of the schema gets the top score.
        const item = body.text.format.schema.properties.scores.items.properties;
        const judgement = {
          scores: item.criterion.enum.map((criterion: string) => ({
            criterion,
            score: item.score.maximum,
            reason: `fake judge: ${criterion}`,
          })),
          summary: 'fake judge summary',
        };
        return send(200, responseWith(body.model, JSON.stringify(judgement)));
      }
      if (req.method === 'POST' && req.url === '/v1/responses') {
        const lastQuestion = [...body.input]
          .reverse()
          .find((m: { role: string }) => m.role === 'user');
        return send(
          200,
          responseWith(body.model, `(${body.instructions}) You asked: ${lastQuestion?.content}`),
        );
      }
      if (req.method === 'POST' && req.url === '/v1/audio/speech') {
        const spoken = fakeSpeech(body);
        if (!spoken.ok) return send(spoken.status, { error: spoken.error });
        if (spoken.stream === 'sse') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          return void res.end(speechEvents(spoken.pcm, spoken.usage));
        }
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': spoken.pcm.byteLength,
        });
        return void res.end(spoken.pcm);
      }
      send(404, { error: { message: `no fake for ${req.method} ${req.url}` } });
    });
  });
  server.on('upgrade', realtime.upgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    calls: calls.calls,
    offers: calls.offers,
    refuseReceiveOnlyAudio: calls.refuseReceiveOnlyAudio,
    close: () =>
      new Promise((resolve) => {
        realtime.close();
        void calls.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Responses API answer with one text output. */
function responseWith(model: string, text: string) {
  return {
    id: 'resp_fake',
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    model,
    output: [
      {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text, annotations: [] }],
      },
    ],
    usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 },
  };
}
