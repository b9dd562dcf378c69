import { createHash, randomBytes } from 'node:crypto';
import { apiKeyHeaders } from '@core/api-keys.ts';
import { MAX_RUN_AUDIO_BYTES, type RunAudio, WEBM_MAGIC } from '@core/run-audio.ts';
import { DEFAULT_MAX_BODY_BYTES } from '@core/run-constants.ts';
import { getRunAudioBlob, getRunAudioInfo } from '@data/get-run-audio.ts';
import { postRunAudio } from '@engine/save-run-client.ts';
import { makeRun } from '@engine/testing/benchmark-runs.ts';
import { afterAll, describe, expect, it } from 'vitest';
import {
  adminSql,
  anonClient,
  apiUrl,
  LOCAL_PUBLISHABLE_KEY,
  saveRun,
} from '../support/stack-clients.ts';

const sql = adminSql();
afterAll(() => sql.end({ timeout: 1 }));

const endpoint = () => ({
  functionsUrl: `${apiUrl()}/functions/v1`,
  anonKey: LOCAL_PUBLISHABLE_KEY,
});

/** Bytes that start like a WebM file (the server checks the header, it does not decode audio). */
function webmBytes(length: number): Buffer {
  const bytes = randomBytes(length);
  bytes.set(WEBM_MAGIC);
  return bytes;
}

function audioFor(runId: string, bytes: Buffer, overrides: Partial<RunAudio> = {}): RunAudio {
  return {
    run_id: runId,
    content_type: 'audio/webm;codecs=opus',
    started_at: '2026-11-20T10:00:00.125Z',
    duration_ms: 1_250,
    loudness: [0, 5, 10, 20, 40, 60, 80, 100, 90, 50, 30, 10, 0],
    segments: [
      { response_id: 'resp_1', start_ms: 0, end_ms: 600 },
      { response_id: 'resp_2', start_ms: 700, end_ms: 1_250 },
    ],
    audio: bytes.toString('base64'),
    ...overrides,
  };
}

async function storedRun(): Promise<string> {
  const run = makeRun();
  expect((await saveRun(run)).status).toBe(201);
  return run.run_id;
}

function postRaw(body: string) {
  return fetch(`${apiUrl()}/functions/v1/save-run-audio`, {
    method: 'POST',
    headers: { ...apiKeyHeaders(LOCAL_PUBLISHABLE_KEY), 'content-type': 'application/json' },
    body,
  });
}

describe('save-run-audio through the gateway, read back through PostgREST', () => {
  it('stores a run’s audio once (201, then 200), refuses other content (409), keeps the first', async () => {
    const runId = await storedRun();
    const bytes = webmBytes(50_000);
    const audio = audioFor(runId, bytes);
    expect(await postRunAudio(endpoint(), audio)).toEqual({ status: 201, message: undefined });
    expect(await postRunAudio(endpoint(), audio)).toEqual({ status: 200, message: undefined });

    const changedBytes = await postRunAudio(endpoint(), audioFor(runId, webmBytes(50_000)));
    expect(changedBytes.status).toBe(409);
    expect(changedBytes.message).toContain('nothing was overwritten');
    const changedSegments = await postRunAudio(
      endpoint(),
      audioFor(runId, bytes, { segments: [{ response_id: 'resp_1', start_ms: 0, end_ms: 601 }] }),
    );
    expect(changedSegments.status).toBe(409);

    const info = await getRunAudioInfo(anonClient(), runId);
    expect(info).toEqual({
      run_id: runId,
      content_type: 'audio/webm;codecs=opus',
      started_at: expect.any(String),
      duration_ms: 1_250,
      byte_length: 50_000,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      loudness: audio.loudness,
      user_loudness: null,
      segments: audio.segments,
      created_at: expect.any(String),
    });
    // The same instant, in whatever time zone the database writes it.
    expect(Date.parse(info?.started_at ?? '')).toBe(Date.parse('2026-11-20T10:00:00.125Z'));
    const blob = await getRunAudioBlob(anonClient(), runId, info?.content_type ?? '');
    expect(blob?.type).toBe('audio/webm;codecs=opus');
    expect(Buffer.from(await (blob as Blob).arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('keeps a stereo recording’s user loudness, and a retry with another is a conflict', async () => {
    const runId = await storedRun();
    const bytes = webmBytes(10_000);
    const stereo = audioFor(runId, bytes);
    const userLoudness = stereo.loudness.map((level) => 100 - level);
    const first = await postRunAudio(endpoint(), { ...stereo, user_loudness: userLoudness });
    expect(first.status).toBe(201);
    expect((await getRunAudioInfo(anonClient(), runId))?.user_loudness).toEqual(userLoudness);
    const again = await postRunAudio(endpoint(), { ...stereo, user_loudness: userLoudness });
    expect(again.status).toBe(200);
    const mono = await postRunAudio(endpoint(), stereo);
    expect(mono.status).toBe(409);
    const short = await postRunAudio(endpoint(), { ...stereo, user_loudness: [1] });
    expect(short.status).toBe(400);
    expect(short.message).toMatch(/^user_loudness: has 1 values/);
  });

  it('sends the bytes raw: the answer is the file, not JSON, and weighs what it holds', async () => {
    const runId = await storedRun();
    const bytes = webmBytes(20_000);
    expect((await postRunAudio(endpoint(), audioFor(runId, bytes))).status).toBe(201);
    const response = await fetch(`${apiUrl()}/rest/v1/rpc/run_audio?run_id=${runId}`, {
      headers: { ...apiKeyHeaders(LOCAL_PUBLISHABLE_KEY), accept: 'audio/webm' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/webm');
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.length).toBe(20_000);
    expect(body.equals(bytes)).toBe(true);
  });

  it('gives null, not an error, for a run without audio and for an unknown run', async () => {
    const runId = await storedRun();
    expect(await getRunAudioInfo(anonClient(), runId)).toBeNull();
    expect(await getRunAudioBlob(anonClient(), runId, 'audio/webm;codecs=opus')).toBeNull();
    const unknown = crypto.randomUUID();
    expect(await getRunAudioInfo(anonClient(), unknown)).toBeNull();
    expect(await getRunAudioBlob(anonClient(), unknown, 'audio/webm;codecs=opus')).toBeNull();
  });

  it('answers 404 run_not_found for the audio of a run not stored, and stores nothing', async () => {
    const runId = crypto.randomUUID();
    const answer = await postRunAudio(endpoint(), audioFor(runId, webmBytes(1_000)));
    expect(answer.status).toBe(404);
    expect(answer.message).toContain(`run ${runId} is not stored`);
    const [row] =
      await sql`select count(*)::int as n from public.benchmark_run_audio where run_id = ${runId}`;
    expect(row?.n).toBe(0);
  });

  it('takes audio larger than a run body may be (the gateway lets its larger limit through)', async () => {
    const runId = await storedRun();
    const bytes = webmBytes(DEFAULT_MAX_BODY_BYTES);
    expect(JSON.stringify(audioFor(runId, bytes)).length).toBeGreaterThan(DEFAULT_MAX_BODY_BYTES);
    expect((await postRunAudio(endpoint(), audioFor(runId, bytes))).status).toBe(201);
    const [row] =
      await sql`select byte_length from public.benchmark_run_audio where run_id = ${runId}`;
    expect(row?.byte_length).toBe(DEFAULT_MAX_BODY_BYTES);
  });

  it('answers 413 naming audio past MAX_RUN_AUDIO_BYTES, and 413 for a body past its limit', async () => {
    const runId = await storedRun();
    const tooLong = await postRunAudio(
      endpoint(),
      audioFor(runId, webmBytes(MAX_RUN_AUDIO_BYTES + 1)),
    );
    expect(tooLong.status).toBe(413);
    expect(tooLong.message).toBe(
      `audio: is ${MAX_RUN_AUDIO_BYTES + 1} bytes; the largest accepted is ${MAX_RUN_AUDIO_BYTES} bytes`,
    );
    const padded = JSON.stringify({
      ...audioFor(runId, webmBytes(1_000)),
      padding: 'x'.repeat(18 * 1024 * 1024),
    });
    const tooBig = await postRaw(padded);
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const [row] =
      await sql`select count(*)::int as n from public.benchmark_run_audio where run_id = ${runId}`;
    expect(row?.n).toBe(0);
  });

  it('answers 400 naming audio for bytes that are not WebM', async () => {
    const runId = await storedRun();
    const answer = await postRunAudio(
      endpoint(),
      audioFor(runId, Buffer.from('OggS and then some Ogg pages')),
    );
    expect(answer.status).toBe(400);
    expect(answer.message).toMatch(/^audio: is not a WebM file/);
  });

  it('lets anon read the metadata only: not the audio column, no insert, update or delete', async () => {
    const runId = await storedRun();
    const bytes = webmBytes(1_000);
    expect((await postRunAudio(endpoint(), audioFor(runId, bytes))).status).toBe(201);
    const client = anonClient();

    const wide = await client.from('benchmark_run_audio').select('*').eq('run_id', runId);
    expect(wide.error?.code).toBe('42501');
    const column = await client.from('benchmark_run_audio').select('audio').eq('run_id', runId);
    expect(column.error?.code).toBe('42501');

    const inserted = await client.from('benchmark_run_audio').insert({
      run_id: await storedRun(),
      content_type: 'audio/webm;codecs=opus',
      started_at: '2026-11-20T10:00:00Z',
      duration_ms: 0,
      byte_length: 4,
      sha256: createHash('sha256').update(Buffer.from(WEBM_MAGIC)).digest('hex'),
      loudness: [],
      segments: [],
      audio: '\\x1a45dfa3',
    });
    expect(inserted.error?.code).toBe('42501');
    const updated = await client
      .from('benchmark_run_audio')
      .update({ duration_ms: 1 })
      .eq('run_id', runId);
    expect(updated.error?.code).toBe('42501');
    const deleted = await client.from('benchmark_run_audio').delete().eq('run_id', runId);
    expect(deleted.error?.code).toBe('42501');

    const [row] =
      await sql`select duration_ms, sha256 from public.benchmark_run_audio where run_id = ${runId}`;
    expect(row).toEqual({
      duration_ms: 1_250,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  });

  it('refuses a direct write that breaks the limits (the table checks them itself)', async () => {
    const runId = await storedRun();
    const insert = (audio: Buffer, sha256: string, byteLength = audio.length) =>
      sql.begin(async (tx) => {
        await tx`set local role service_role`;
        await tx`insert into public.benchmark_run_audio
          (run_id, content_type, started_at, duration_ms, byte_length, sha256, loudness, segments, audio)
          values (${runId}, 'audio/webm;codecs=opus', now(), 0, ${byteLength}, ${sha256},
                  '{}', '[]', ${audio})`;
      });
    const hash = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    const notWebm = Buffer.from('OggS');
    await expect(insert(notWebm, hash(notWebm))).rejects.toMatchObject({ code: '23514' });
    const webm = webmBytes(10);
    await expect(insert(webm, 'ab'.repeat(32))).rejects.toMatchObject({ code: '23514' });
    await expect(insert(webm, hash(webm), 11)).rejects.toMatchObject({ code: '23514' });
    const huge = webmBytes(MAX_RUN_AUDIO_BYTES + 1);
    await expect(insert(huge, hash(huge))).rejects.toMatchObject({ code: '23514' });
    await insert(webm, hash(webm));
  });

  it('deletes a run’s audio with its run', async () => {
    const runId = await storedRun();
    expect((await postRunAudio(endpoint(), audioFor(runId, webmBytes(1_000)))).status).toBe(201);
    await sql.begin(async (tx) => {
      // run_metrics does not go with its run (no cascade): an operator deletes it first.
      await tx`delete from public.run_metrics where run_id = ${runId}`;
      await tx`delete from public.benchmark_runs where run_id = ${runId}`;
    });
    const [row] =
      await sql`select count(*)::int as n from public.benchmark_run_audio where run_id = ${runId}`;
    expect(row?.n).toBe(0);
  });
});
