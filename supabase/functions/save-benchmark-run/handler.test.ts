import { scenarioHash, scenarioSchema } from '@core/scenario.ts';
import { describe, expect, it, vi } from 'vitest';
import {
  makeRun,
  makeScenarioInput,
  makeScenarioRun,
} from '../../../engine/testing/benchmark-runs.ts';
import type { ScenarioVersion } from '../_shared/scenario-store.ts';
import { createSaveRunHandler, type RequestLogLine } from './handler.ts';
import {
  RunRejectedError,
  type RunStore,
  type SaveOutcome,
  StoreUnavailableError,
} from './run-store.ts';

/** An in-memory store with the real store's contract: idempotent per run_id, conflict on different content. */
function memoryStore() {
  const rows = new Map<
    string,
    { body: string; created_at: string; num_turns: number; scenario_hash: string | null }
  >();
  const scenarios = new Map<string, ScenarioVersion>();
  const store: RunStore & { rows: typeof rows; scenarios: typeof scenarios } = {
    rows,
    scenarios,
    async save(body, scenario): Promise<SaveOutcome> {
      if (scenario && !scenarios.has(scenario.hash)) scenarios.set(scenario.hash, scenario);
      const run = JSON.parse(body);
      const existing = rows.get(run.run_id);
      if (existing) {
        return existing.body === body
          ? {
              kind: 'duplicate',
              run_id: run.run_id,
              created_at: existing.created_at,
              num_turns: existing.num_turns,
              scenario_hash: existing.scenario_hash,
            }
          : { kind: 'conflict', run_id: run.run_id };
      }
      const saved = {
        body,
        created_at: run.created_at ?? '2026-11-23T00:00:00.000Z',
        num_turns: run.conversation_history.length,
        scenario_hash: scenario?.hash ?? null,
      };
      rows.set(run.run_id, saved);
      return {
        kind: 'created',
        run_id: run.run_id,
        created_at: saved.created_at,
        num_turns: saved.num_turns,
        scenario_hash: saved.scenario_hash,
      };
    },
  };
  return store;
}

/** The server clock of these tests: after every fixture's created_at. */
const SERVER_NOW = Date.parse('2026-12-01T12:00:00.000Z');

function setup(
  options: {
    store?: RunStore;
    maxBodyBytes?: number;
    maxConcurrent?: number;
    maxBufferedBytes?: number;
    bodyIdleTimeoutMs?: number;
  } = {},
) {
  const store = options.store ?? memoryStore();
  const log = vi.fn<(line: RequestLogLine) => void>();
  const handler = createSaveRunHandler({
    ...options,
    store,
    log,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    clock: () => SERVER_NOW,
  });
  return { store, log, handler };
}

function post(body: string | unknown, headers: Record<string, string> = {}): Request {
  return new Request('http://functions.test/save-benchmark-run', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function errorOf(response: Response) {
  const body = (await response.json()) as {
    error: { code: string; message: string; issues?: Array<{ path: string; message: string }> };
  };
  return body.error;
}

describe('save-benchmark-run handler', () => {
  it('stores a valid run and answers 201 with its id, time and turn count', async () => {
    const { handler, store, log } = setup();
    const run = makeRun({ created_at: '2026-11-20T10:00:00.000Z' });
    const response = await handler(post(run));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      run_id: run.run_id,
      created_at: '2026-11-20T10:00:00.000Z',
      num_turns: 3,
      scenario_hash: null,
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect((store as ReturnType<typeof memoryStore>).rows.get(run.run_id)?.body).toBe(
      JSON.stringify(run),
    );
    expect(log).toHaveBeenCalledWith(
      expect.objectContaining({
        run_id: run.run_id,
        status: 201,
        bytes: JSON.stringify(run).length,
      }),
    );
  });

  it('hands the store the body exactly as sent, unknown keys in turns and events included', async () => {
    const { handler, store } = setup();
    const run = makeRun();
    const body = JSON.stringify({
      ...run,
      conversation_history: [{ ...run.conversation_history[0], item_id: 'item_9' }],
      event_log: [
        { ...run.event_log[0], event: { type: 'x.custom', nested: { keep: [1, 2.5, null] } } },
      ],
    });
    const spy = vi.spyOn(store, 'save');
    expect((await handler(post(body))).status).toBe(201);
    expect(spy).toHaveBeenCalledWith(
      body,
      undefined,
      expect.objectContaining({ run_id: run.run_id }),
    );
  });

  it('stores the scenario version with the run, its hash derived on the server', async () => {
    const { handler, store } = setup();
    const scenario = makeScenarioInput();
    const response = await handler(post(makeScenarioRun(scenario)));
    expect(response.status).toBe(201);
    const { scenario_hash } = (await response.json()) as { scenario_hash: string };
    expect(scenario_hash).toBe(await scenarioHash(scenarioSchema.parse(scenario)));
    const stored = (store as ReturnType<typeof memoryStore>).scenarios.get(scenario_hash);
    expect(stored?.scenario.termination.max_turns).toBe(30);
    expect(stored?.fromFile).toBe(false);
  });

  it('refuses a run whose prompts are not those of its scenario, naming the field', async () => {
    const { handler, store } = setup();
    const run = makeScenarioRun(makeScenarioInput(), { interviewer_prompt: 'Something else.' });
    const response = await handler(post(run));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.issues?.map((issue) => issue.path)).toEqual(['scenario.interviewer.prompt']);
    expect((store as ReturnType<typeof memoryStore>).rows.size).toBe(0);
  });

  it('refuses an invalid scenario with the path of the bad field', async () => {
    const { handler } = setup();
    const scenario = makeScenarioInput({ termination: { max_turns: 0 } });
    const response = await handler(post(makeScenarioRun(scenario)));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toMatch(/^scenario\.termination\.max_turns: /);
  });

  it('answers 200 for the same run sent again and keeps one copy', async () => {
    const { handler, store } = setup();
    const body = JSON.stringify(makeRun());
    expect((await handler(post(body))).status).toBe(201);
    const again = await handler(post(body));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ num_turns: 3 });
    expect((store as ReturnType<typeof memoryStore>).rows.size).toBe(1);
  });

  it('answers 409 when the run_id exists with different content', async () => {
    const { handler } = setup();
    const run = makeRun();
    await handler(post(run));
    const response = await handler(post({ ...run, interviewer_prompt: 'changed' }));
    expect(response.status).toBe(409);
    expect((await errorOf(response)).code).toBe('conflict');
  });

  it('answers the CORS preflight', async () => {
    const { handler } = setup();
    const response = await handler(new Request('http://functions.test/', { method: 'OPTIONS' }));
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('refuses %s with 405', async (method) => {
    const { handler } = setup();
    const response = await handler(new Request('http://functions.test/', { method }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', ''])(
    'refuses content-type "%s" with 415',
    async (type) => {
      const { handler } = setup();
      const response = await handler(post(makeRun(), { 'content-type': type }));
      expect(response.status).toBe(415);
      expect((await errorOf(response)).message).toMatch(/application\/json/);
    },
  );

  it('accepts application/json with a charset', async () => {
    const { handler } = setup();
    expect(
      (await handler(post(makeRun(), { 'content-type': 'application/json; charset=utf-8' })))
        .status,
    ).toBe(201);
  });

  it('refuses a declared oversize body with 413 before reading it', async () => {
    const { handler } = setup({ maxBodyBytes: 1000 });
    let pulled = false;
    const body = new ReadableStream<Uint8Array>(
      {
        pull() {
          pulled = true;
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request('http://functions.test/', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '5000' },
      body,
      duplex: 'half',
    } as RequestInit);
    const response = await handler(request);
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('payload_too_large');
    expect(pulled).toBe(false);
  });

  it('cuts off a streamed body at the limit with 413', async () => {
    const { handler } = setup({ maxBodyBytes: 1000 });
    let chunksPulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        chunksPulled++;
        controller.enqueue(new Uint8Array(400).fill(32));
        if (chunksPulled === 100) controller.close();
      },
    });
    const request = new Request('http://functions.test/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect((await handler(request)).status).toBe(413);
    expect(chunksPulled).toBeLessThan(10);
  });

  it('refuses invalid JSON with 400', async () => {
    const { handler } = setup();
    const response = await handler(post('{"run_id": '));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_json');
  });

  it('refuses a body that is not UTF-8 with 400', async () => {
    const { handler } = setup();
    const request = new Request('http://functions.test/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    });
    const response = await handler(request);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_encoding');
  });

  it.each([
    ['run_id', { run_id: 'not-a-uuid' }],
    ['run_id', { run_id: '8f2a5c1e-3b4d-1e6f-9a8b-1c2d3e4f5a6b' }],
    ['mode', { mode: 'practice' }],
    ['end_reason', { end_reason: 'bored' }],
    ['created_at', { created_at: 'yesterday' }],
    ['interviewer_prompt', { interviewer_prompt: 42 }],
    ['simulated_user_prompt', { simulated_user_prompt: undefined }],
    ['conversation_history', { conversation_history: {} }],
    ['event_log', { event_log: 'none' }],
    ['num_turns', { num_turns: 7 }],
  ])('names the field %s when it is wrong', async (field, overrides) => {
    const { handler, store } = setup();
    const response = await handler(post(makeRun(overrides)));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_run');
    expect(error.issues?.map((issue) => issue.path)).toContain(field);
    expect(error.message).toContain(field);
    expect((store as ReturnType<typeof memoryStore>).rows.size).toBe(0);
  });

  it.each([
    [
      '9999-12-31T00:00:00Z',
      'more than 1 day ahead of the server clock (2026-12-01T12:00:00.000Z)',
    ],
    [
      '2026-12-02T12:00:00.001Z',
      'more than 1 day ahead of the server clock (2026-12-01T12:00:00.000Z)',
    ],
    ['2019-12-31T23:59:59.999Z', 'before 2020-01-01T00:00:00Z, the earliest a run may be dated'],
    ['0001-01-01T00:00:00Z', 'before 2020-01-01T00:00:00Z, the earliest a run may be dated'],
  ])('refuses created_at %s, outside [2020-01-01, now + 1 day]', async (createdAt, reason) => {
    const { handler, store } = setup();
    const response = await handler(post(makeRun({ created_at: createdAt })));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_run');
    expect(error.issues?.map((issue) => issue.path)).toEqual(['created_at']);
    expect(error.message).toBe(`created_at: ${createdAt} is ${reason}`);
    expect((store as ReturnType<typeof memoryStore>).rows.size).toBe(0);
  });

  it.each(['2020-01-01T00:00:00Z', '2026-12-02T12:00:00.000Z'])(
    'accepts created_at %s, at the edge of the window',
    async (createdAt) => {
      const { handler } = setup();
      expect((await handler(post(makeRun({ created_at: createdAt })))).status).toBe(201);
    },
  );

  it('names the path inside turns and events', async () => {
    const { handler } = setup();
    const run = makeRun();
    const body = {
      ...run,
      conversation_history: [
        run.conversation_history[0],
        { ...run.conversation_history[1], speaker: 'narrator' },
      ],
      event_log: [
        { direction: 'server', timestamp: run.event_log[0]?.timestamp, event: { nope: true } },
      ],
    };
    const paths = (await errorOf(await handler(post(body)))).issues?.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['conversation_history.1.speaker', 'event_log.0.event.type']),
    );
  });

  it('refuses unknown top-level fields instead of dropping them', async () => {
    const { handler } = setup();
    const error = await errorOf(await handler(post({ ...makeRun(), transcript: [] })));
    expect(error.message).toContain('transcript');
  });

  it('accepts num_turns when it matches the transcript', async () => {
    const { handler } = setup();
    expect((await handler(post(makeRun({ num_turns: 3 })))).status).toBe(201);
  });

  it('refuses U+0000, which Postgres cannot store, naming the field', async () => {
    const { handler } = setup();
    const run = makeRun();
    const body = {
      ...run,
      conversation_history: [{ ...run.conversation_history[0], content: 'a\u0000b' }],
    };
    const error = await errorOf(await handler(post(body)));
    expect(error.issues).toEqual([
      { path: 'conversation_history.0.content', message: expect.stringContaining('U+0000') },
    ]);
  });

  it('refuses U+0000 in an object key and a lone surrogate in an event', async () => {
    const { handler } = setup();
    const run = makeRun();
    const withKey = '{"bad\\u0000key": 1}';
    const keyBody = JSON.stringify(run).replace('"session":', `"x": ${withKey}, "session":`);
    expect((await errorOf(await handler(post(keyBody)))).issues?.[0]?.path).toBe(
      'event_log.0.event.x.bad\u0000key',
    );

    const surrogateBody = JSON.stringify(run).replace('"Interview."', '"\\ud800 broken"');
    const error = await errorOf(await handler(post(surrogateBody)));
    expect(error.issues?.[0]).toEqual({
      path: 'event_log.0.event.session.instructions',
      message: expect.stringContaining('surrogate'),
    });
  });

  it('refuses absurdly deep nesting with 400, not a crash', async () => {
    const { handler } = setup({ maxBodyBytes: 1024 * 1024 });
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const body = JSON.stringify(makeRun()).replace('"Interview."', deep);
    const response = await handler(post(body));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toMatch(/nested deeper/);
  });

  it('answers 503 with Retry-After when the database is unreachable', async () => {
    const store: RunStore = {
      save: () => Promise.reject(new StoreUnavailableError('connect ECONNREFUSED')),
    };
    const { handler, log } = setup({ store });
    const response = await handler(post(makeRun()));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect((await errorOf(response)).code).toBe('database_unavailable');
    expect(log).toHaveBeenCalledWith(
      expect.objectContaining({ status: 503, error: 'connect ECONNREFUSED' }),
    );
  });

  it('answers 400 when the database rejects the row itself', async () => {
    const store: RunStore = { save: () => Promise.reject(new RunRejectedError('value too long')) };
    const { handler } = setup({ store });
    const response = await handler(post(makeRun()));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toBe('value too long');
  });

  it('refuses a number that would read back megabytes long, naming its path', async () => {
    const { handler, store } = setup();
    const body = JSON.stringify(makeRun()).replace('"output_index":0', '"output_index":1e131071');
    const response = await handler(post(body));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_run');
    expect(error.issues).toEqual([
      {
        path: 'event_log.1.event.output_index',
        message: 'number 1e131071 has 131,072 digits written out in full; at most 40 are accepted',
      },
    ]);
    expect((store as ReturnType<typeof memoryStore>).rows.size).toBe(0);
  });

  it('accepts numbers up to 40 digits written out, in any notation', async () => {
    const { handler } = setup();
    const numbers = '[1E2,-0.5e-3,1e39,1e-39,1234567890123456789012345678901234567890,1.50]';
    const body = JSON.stringify(makeRun()).replace('"Interview."', numbers);
    expect((await handler(post(body))).status).toBe(201);
    for (const tooLong of ['1e40', '1e-40', '0.12345678901234567890123456789012345678901']) {
      const refused = JSON.stringify(makeRun()).replace('"Interview."', `[0,${tooLong}]`);
      const response = await handler(post(refused));
      expect(response.status).toBe(400);
      expect((await errorOf(response)).issues?.[0]?.path).toBe(
        'event_log.0.event.session.instructions.1',
      );
    }
  });

  it('answers 408 to an upload that stops sending, and frees its place', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-20T10:00:00Z') });
    try {
      const { handler } = setup({ bodyIdleTimeoutMs: 5_000, maxBufferedBytes: 64 * 1024 });
      const half = JSON.stringify(makeRun()).slice(0, 200);
      let sent = false;
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (sent) return new Promise<void>(() => {});
            sent = true;
            controller.enqueue(new TextEncoder().encode(half));
          },
        },
        { highWaterMark: 0 },
      );
      const request = new Request('http://functions.test/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);
      const answer = handler(request);
      await vi.advanceTimersByTimeAsync(5_000);
      const response = await answer;
      expect(response.status).toBe(408);
      expect((await errorOf(response)).code).toBe('request_timeout');
      vi.useRealTimers();
      expect((await handler(post(makeRun()))).status).toBe(201);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stores at most maxConcurrent runs at once; later saves wait their turn', async () => {
    const inner = memoryStore();
    let active = 0;
    let most = 0;
    const gates: Array<() => void> = [];
    const store: RunStore = {
      async save(...args) {
        active++;
        most = Math.max(most, active);
        await new Promise<void>((resolve) => gates.push(resolve));
        active--;
        return inner.save(...args);
      },
    };
    const { handler } = setup({ store, maxConcurrent: 2 });
    const answers = Array.from({ length: 5 }, () => handler(post(makeRun())));
    for (let opened = 0; opened < 5; ) {
      await vi.waitFor(() => expect(gates.length).toBeGreaterThan(0));
      expect(active).toBeLessThanOrEqual(2);
      const gate = gates.shift() as () => void;
      gate();
      opened++;
    }
    const statuses = await Promise.all(answers.map(async (answer) => (await answer).status));
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    expect(most).toBe(2);
  });

  it('answers 503 + Retry-After when the bodies it holds would pass the cap, and recovers', async () => {
    const gates: Array<() => void> = [];
    const inner = memoryStore();
    const store: RunStore = {
      async save(...args) {
        await new Promise<void>((resolve) => gates.push(resolve));
        return inner.save(...args);
      },
    };
    const size = JSON.stringify(makeRun()).length;
    const cap = size * 2 + 100;
    const { handler } = setup({
      store,
      maxConcurrent: 1,
      maxBufferedBytes: cap,
      maxBodyBytes: cap,
    });
    const declared = (run: ReturnType<typeof makeRun>) =>
      post(run, { 'content-length': String(JSON.stringify(run).length) });
    const first = handler(declared(makeRun()));
    const second = handler(declared(makeRun()));
    await vi.waitFor(() => expect(gates.length).toBe(1));

    const refused = await handler(declared(makeRun()));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await errorOf(refused)).code).toBe('busy');

    (gates.shift() as () => void)();
    expect((await first).status).toBe(201);
    await vi.waitFor(() => expect(gates.length).toBe(1));
    (gates.shift() as () => void)();
    expect((await second).status).toBe(201);

    const later = handler(declared(makeRun()));
    await vi.waitFor(() => expect(gates.length).toBe(1));
    (gates.shift() as () => void)();
    expect((await later).status).toBe(201);
  });
});
