import { createHash } from 'node:crypto';
import { type RunAudio, WEBM_MAGIC } from '@core/run-audio.ts';
import { describe, expect, it, vi } from 'vitest';
import {
  AudioRejectedError,
  type AudioStore,
  type SaveAudioOutcome,
  StoreUnavailableError,
} from './audio-store.ts';
import { createSaveAudioHandler, type RequestLogLine } from './handler.ts';

const RUN_ID = '6f1c2a4e-8b3d-4c5e-9f7a-1b2c3d4e5f60';
const OTHER_RUN = '0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70';

function webm(length: number, fill = 7): Uint8Array {
  const bytes = new Uint8Array(length).fill(fill);
  bytes.set(WEBM_MAGIC);
  return bytes;
}

function makeAudio(overrides: Partial<RunAudio> = {}, bytes = webm(64)): RunAudio {
  return {
    run_id: RUN_ID,
    content_type: 'audio/webm;codecs=opus',
    started_at: '2026-11-20T10:00:00.000Z',
    duration_ms: 250,
    loudness: [0, 40, 100],
    segments: [{ response_id: 'resp_1', start_ms: 10, end_ms: 200 }],
    audio: Buffer.from(bytes).toString('base64'),
    ...overrides,
  };
}

/** An in-memory store with the real store's contract: the run must exist; idempotent per run_id. */
function memoryStore(runs: string[] = [RUN_ID]) {
  const rows = new Map<string, { audio: RunAudio; sha256: string; created_at: string }>();
  const store: AudioStore & { rows: typeof rows } = {
    rows,
    async save(audio): Promise<SaveAudioOutcome> {
      if (!runs.includes(audio.run_id)) return { kind: 'run_not_found', run_id: audio.run_id };
      const bytes = Buffer.from(audio.audio, 'base64');
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const existing = rows.get(audio.run_id);
      const { audio: _, ...meta } = audio;
      if (existing) {
        const { audio: __, ...storedMeta } = existing.audio;
        const same =
          existing.sha256 === sha256 && JSON.stringify(storedMeta) === JSON.stringify(meta);
        if (!same) return { kind: 'conflict', run_id: audio.run_id };
        return {
          kind: 'duplicate',
          run_id: audio.run_id,
          byte_length: bytes.length,
          sha256,
          created_at: existing.created_at,
        };
      }
      const created_at = '2026-11-20T10:05:00.000Z';
      rows.set(audio.run_id, { audio, sha256, created_at });
      return {
        kind: 'created',
        run_id: audio.run_id,
        byte_length: bytes.length,
        sha256,
        created_at,
      };
    },
  };
  return store;
}

function setup(
  options: {
    store?: AudioStore;
    maxBodyBytes?: number;
    maxAudioBytes?: number;
    maxConcurrent?: number;
    maxBufferedBytes?: number;
  } = {},
) {
  const store = options.store ?? memoryStore();
  const log = vi.fn<(line: RequestLogLine) => void>();
  const handler = createSaveAudioHandler({ ...options, store, log });
  return { store, log, handler };
}

function post(body: string | unknown, headers: Record<string, string> = {}): Request {
  return new Request('http://functions.test/save-run-audio', {
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

describe('save-run-audio handler', () => {
  it('stores the audio of a stored run: 201 with its length and hash, one log line', async () => {
    const { handler, store, log } = setup();
    const bytes = webm(64);
    const audio = makeAudio({}, bytes);
    const response = await handler(post(audio));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      run_id: RUN_ID,
      byte_length: 64,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      created_at: '2026-11-20T10:05:00.000Z',
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect((store as ReturnType<typeof memoryStore>).rows.get(RUN_ID)?.audio).toEqual(audio);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith({
      fn: 'save-run-audio',
      run_id: RUN_ID,
      status: 201,
      bytes: JSON.stringify(audio).length,
      ms: expect.any(Number),
    });
  });

  it('answers 200 to the same audio again and 409 to other content, keeping the first', async () => {
    const { handler, store } = setup();
    const audio = makeAudio();
    expect((await handler(post(audio))).status).toBe(201);
    expect((await handler(post(audio))).status).toBe(200);

    const otherBytes = await handler(post(makeAudio({}, webm(64, 9))));
    expect(otherBytes.status).toBe(409);
    expect((await errorOf(otherBytes)).message).toContain('nothing was overwritten');
    const otherLoudness = await handler(post(makeAudio({ loudness: [0, 41, 100] })));
    expect(otherLoudness.status).toBe(409);
    expect((store as ReturnType<typeof memoryStore>).rows.get(RUN_ID)?.audio).toEqual(audio);
  });

  it('answers 404 run_not_found for the audio of a run not stored', async () => {
    const { handler } = setup();
    const response = await handler(post(makeAudio({ run_id: OTHER_RUN })));
    expect(response.status).toBe(404);
    const error = await errorOf(response);
    expect(error.code).toBe('run_not_found');
    expect(error.message).toContain(OTHER_RUN);
  });

  it('refuses a body over the limit with 413 before storing anything', async () => {
    const store = memoryStore();
    const save = vi.spyOn(store, 'save');
    const { handler } = setup({ store, maxBodyBytes: 2048 });
    const response = await handler(post(makeAudio({}, webm(4096))));
    expect(response.status).toBe(413);
    const error = await errorOf(response);
    expect(error.code).toBe('payload_too_large');
    expect(error.message).toMatch(
      /body exceeds the limit of 2048 bytes: a run's audio may be at most/,
    );
    expect(save).not.toHaveBeenCalled();
  });

  it('refuses decoded audio over the limit with 413 naming audio', async () => {
    const { handler } = setup({ maxAudioBytes: 100 });
    const response = await handler(post(makeAudio({}, webm(101))));
    expect(response.status).toBe(413);
    const error = await errorOf(response);
    expect(error.code).toBe('audio_too_large');
    expect(error.message).toBe('audio: is 101 bytes; the largest accepted is 100 bytes');
    expect(error.issues?.[0]?.path).toBe('audio');
    // Exactly at the limit is accepted.
    expect((await handler(post(makeAudio({}, webm(100))))).status).toBe(201);
  });

  it.each([
    ['run_id', { run_id: 'not-a-uuid' }],
    ['content_type', { content_type: 'audio/ogg' }],
    ['started_at', { started_at: 'yesterday' }],
    ['duration_ms', { duration_ms: -1 }],
    ['loudness', { loudness: [0, 40] }],
    ['loudness.1', { loudness: [0, 101, 3] }],
    ['segments.0.end_ms', { segments: [{ response_id: 'r', start_ms: 10, end_ms: 5 }] }],
    ['audio', { audio: 'not base64!' }],
  ] as const)('answers 400 naming %s when it does not fit the schema', async (path, overrides) => {
    const { handler } = setup();
    const response = await handler(post({ ...makeAudio(), ...overrides }));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_audio');
    expect(error.issues?.map((issue) => issue.path)).toContain(path);
    expect(error.message).toContain(`${path}:`);
  });

  it('answers 400 naming audio for bytes that are not WebM', async () => {
    const { handler } = setup();
    const ogg = new TextEncoder().encode('OggS and more bytes');
    const response = await handler(post(makeAudio({}, ogg)));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.message).toBe(
      'audio: is not a WebM file: it starts with 4f 67 67 53, not 1a 45 df a3',
    );

    const short = await handler(post(makeAudio({ audio: 'GkXf' })));
    expect(short.status).toBe(400);
    expect((await errorOf(short)).message).toBe('audio: is 3 bytes, too short for a WebM file');
  });

  it('answers 400 naming the segment for text Postgres cannot store', async () => {
    const { handler } = setup();
    const response = await handler(
      post(makeAudio({ segments: [{ response_id: 'a\u0000b', start_ms: 0, end_ms: 10 }] })),
    );
    expect(response.status).toBe(400);
    expect((await errorOf(response)).issues?.[0]?.path).toBe('segments.0.response_id');
  });

  it('answers 400 to a body that is not JSON, 415 to another content type, 405 to GET', async () => {
    const { handler } = setup();
    const notJson = await handler(post('{"run_id":'));
    expect(notJson.status).toBe(400);
    expect((await errorOf(notJson)).code).toBe('invalid_json');
    expect((await handler(post('x', { 'content-type': 'audio/webm' }))).status).toBe(415);
    const get = await handler(new Request('http://functions.test/save-run-audio'));
    expect(get.status).toBe(405);
  });

  it('answers 503 with Retry-After when the database is down, and logs why', async () => {
    const store: AudioStore = {
      save: () => Promise.reject(new StoreUnavailableError('connect ECONNREFUSED')),
    };
    const { handler, log } = setup({ store });
    const response = await handler(post(makeAudio()));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(log).toHaveBeenCalledWith(
      expect.objectContaining({ status: 503, run_id: RUN_ID, error: 'connect ECONNREFUSED' }),
    );
  });

  it('answers 400 when the database refuses the row itself', async () => {
    const store: AudioStore = {
      save: () => Promise.reject(new AudioRejectedError('violates check constraint')),
    };
    const { handler } = setup({ store });
    const response = await handler(post(makeAudio()));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('rejected_by_database');
  });

  it('stores at most maxConcurrent audios at once; the others wait their turn', async () => {
    const gates: Array<() => void> = [];
    let active = 0;
    let peak = 0;
    const inner = memoryStore([RUN_ID, OTHER_RUN]);
    const store: AudioStore = {
      async save(audio) {
        active++;
        peak = Math.max(peak, active);
        await new Promise<void>((resolve) => gates.push(resolve));
        active--;
        return inner.save(audio);
      },
    };
    const { handler } = setup({ store, maxConcurrent: 1 });
    const first = handler(post(makeAudio()));
    const second = handler(post(makeAudio({ run_id: OTHER_RUN })));
    await vi.waitFor(() => expect(gates).toHaveLength(1));
    gates.shift()?.();
    await vi.waitFor(() => expect(gates).toHaveLength(1));
    gates.shift()?.();
    expect((await first).status).toBe(201);
    expect((await second).status).toBe(201);
    expect(peak).toBe(1);
  });

  it('answers 503 busy when the bodies held at once would pass the byte budget', async () => {
    let release: () => void = () => {};
    const store: AudioStore = {
      save: (audio) =>
        new Promise((resolve) => {
          release = () => resolve(memoryStore().save(audio));
        }),
    };
    const body = JSON.stringify(makeAudio());
    const { handler } = setup({
      store,
      maxBodyBytes: body.length + 10,
      maxBufferedBytes: body.length + 10,
    });
    const first = handler(post(body, { 'content-length': String(body.length) }));
    await vi.waitFor(() => expect(release).not.toBe(undefined));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = await handler(post(body, { 'content-length': String(body.length) }));
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('1');
    release();
    expect((await first).status).toBe(201);
  });
});
