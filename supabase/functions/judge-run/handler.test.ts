import { randomUUID } from 'node:crypto';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Rubric } from '../_shared/judge.ts';
import {
  jsonPost,
  mockOpenAI,
  OPENAI_TEST_BASE,
  testOpenAIClient,
} from '../_shared/openai-test-server.ts';
import { createJudgeRunHandler } from './handler.ts';
import type { JudgeStore, NewJudgement, RunToJudge } from './judge-store.ts';

const server = mockOpenAI();
const responsesUrl = `${OPENAI_TEST_BASE}/responses`;

const RUBRIC: Rubric = {
  criteria: [
    { name: 'Collects the order number', description: 'Asks for it and reads it back.', weight: 2 },
    { name: 'Stays calm', description: 'Acknowledges frustration without arguing.', weight: 1 },
  ],
  scale: { min: 1, max: 5 },
};

const RUN: RunToJudge = {
  rubric: RUBRIC,
  conversation_history: [
    {
      speaker: 'interviewer',
      content: 'What is your order number?',
      timestamp: '2026-11-20T10:00:00Z',
    },
    { speaker: 'simulated_user', content: '48-2210.', timestamp: '2026-11-20T10:00:02Z' },
  ],
};

function memoryStore(run: RunToJudge | null = RUN) {
  const inserted: NewJudgement[] = [];
  const store: JudgeStore & { inserted: NewJudgement[] } = {
    inserted,
    load: async () => run,
    insert: async (judgement) => {
      inserted.push(judgement);
      return { ...judgement, judgement_id: randomUUID(), judged_at: '2026-11-24T00:00:00Z' };
    },
  };
  return store;
}

function answer(output: unknown) {
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  return HttpResponse.json({
    id: 'resp_1',
    object: 'response',
    created_at: 1_800_000_000,
    status: 'completed',
    model: 'gpt-4.1',
    output: [
      {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text, annotations: [] }],
      },
    ],
    usage: { input_tokens: 300, output_tokens: 60, total_tokens: 360 },
  });
}

const GOOD = {
  scores: [
    { criterion: 'Collects the order number', score: 5, reason: 'Asked first thing.' },
    { criterion: 'Stays calm', score: 3, reason: 'Neutral.' },
  ],
  summary: 'Efficient.',
};

const judge = (store = memoryStore(), openai = testOpenAIClient()) =>
  createJudgeRunHandler({ openai, store });
const request = () => jsonPost({ run_id: randomUUID() });

describe('judge-run', () => {
  it('sends a blinded transcript and the rubric with a strict schema, stores and returns the scores', async () => {
    const bodies: Array<Record<string, unknown>> = [];
    server.use(
      http.post(responsesUrl, async ({ request: sent }) => {
        bodies.push((await sent.json()) as Record<string, unknown>);
        return answer(GOOD);
      }),
    );
    const store = memoryStore();
    const response = await judge(store)(request());
    expect(response.status).toBe(201);
    // Weighted on 0–1: (1.0×2 + 0.5×1) / 3.
    expect(await response.json()).toMatchObject({
      status: 'ok',
      overall_score: 0.8333,
      judge_model: 'gpt-4.1',
    });
    expect(store.inserted[0]?.rubric_hash).toMatch(/^[0-9a-f]{64}$/);

    const sent = bodies[0] as {
      input: string;
      instructions: string;
      text: { format: { strict: boolean } };
    };
    expect(sent.input).toBe('Agent: What is your order number?\nCaller: 48-2210.');
    expect(sent.input).not.toMatch(/2026|interviewer|gpt/);
    expect(sent.instructions).toContain(
      '- Collects the order number: Asks for it and reads it back.',
    );
    expect(sent.text.format.strict).toBe(true);
  });

  it('asks again when the answer does not fit, then records a judge error', async () => {
    let calls = 0;
    server.use(
      http.post(responsesUrl, () => {
        calls++;
        return answer({
          scores: [{ criterion: 'Stays calm', score: 9, reason: 'x' }],
          summary: '',
        });
      }),
    );
    const store = memoryStore();
    const response = await judge(store)(request());
    expect(calls).toBe(2);
    expect(response.status).toBe(502);
    expect(store.inserted).toEqual([
      expect.objectContaining({
        status: 'error',
        overall_score: null,
        error: expect.stringMatching(/does not fit the rubric/),
      }),
    ]);
  });

  it('succeeds on the retry when the first answer is not JSON', async () => {
    const replies = [answer('Sure! Here are my scores…'), answer(GOOD)];
    server.use(http.post(responsesUrl, () => replies.shift()));
    const response = await judge()(request());
    expect(response.status).toBe(201);
  });

  it('stores nothing when OpenAI is down, and says so', async () => {
    // x-should-retry: false spares the client's own retry (with its backoff), not under test here.
    server.use(
      http.post(responsesUrl, () =>
        HttpResponse.json(
          { error: { message: 'overloaded' } },
          { status: 500, headers: { 'x-should-retry': 'false' } },
        ),
      ),
    );
    const store = memoryStore();
    const response = await judge(store)(request());
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'openai_error',
    );
    expect(store.inserted).toEqual([]);
  });

  it('says judging needs a key, that the run is unknown, or that its scenario has no rubric', async () => {
    const keyless = createJudgeRunHandler({ openai: null, store: memoryStore() });
    const noKey = await keyless(request());
    expect(noKey.status).toBe(503);
    expect(((await noKey.json()) as { error: { message: string } }).error.message).toMatch(
      /OPENAI_API_KEY/,
    );
    expect((await judge(memoryStore(null))(request())).status).toBe(404);
    const noRubric = await judge(memoryStore({ ...RUN, rubric: null }))(request());
    expect(noRubric.status).toBe(409);
    expect((await judge()(jsonPost({ run_id: 'nope' }))).status).toBe(400);
  });
});
