import {
  base64DecodedLength,
  MAX_RUN_AUDIO_BODY_BYTES,
  MAX_RUN_AUDIO_BYTES,
  type RunAudio,
  runAudioSchema,
  WEBM_MAGIC,
} from '@core/run-audio.ts';
import { errorResponse, jsonResponse } from '../_shared/cors.ts';
import { storeFailure } from '../_shared/db-errors.ts';
import { describeIssues, readTextRequest } from '../_shared/json-request.ts';
import { findUnstorableValue } from '../_shared/json-safety.ts';
import { type SaveLimits, saveLimits } from '../_shared/save-limits.ts';
import { AudioRejectedError, type AudioStore } from './audio-store.ts';

/** Saves one process parses, validates and stores at once. */
export const DEFAULT_MAX_CONCURRENT_AUDIO_SAVES = 2;
/** Request body bytes one process holds at once: one of the largest saves (see `handle`). */
export const DEFAULT_MAX_BUFFERED_AUDIO_BYTES = MAX_RUN_AUDIO_BODY_BYTES;

export interface RequestLogLine {
  fn: 'save-run-audio';
  run_id: string | null;
  status: number;
  bytes: number;
  ms: number;
  error?: string;
}

export interface SaveAudioDeps {
  store: AudioStore;
  log: (line: RequestLogLine) => void;
  /** Largest request body (MAX_RUN_AUDIO_BODY_BYTES by default). */
  maxBodyBytes?: number;
  /** Largest decoded audio (MAX_RUN_AUDIO_BYTES by default). */
  maxAudioBytes?: number;
  /** Saves parsed, validated and stored at once; the rest wait (holding their body). */
  maxConcurrent?: number;
  /** Body bytes held at once across requests; past it a save gets 503 + Retry-After. */
  maxBufferedBytes?: number;
  bodyIdleTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** For timing requests (performance.now by default). */
  now?: () => number;
}

interface Outcome {
  response: Response;
  runId: string | null;
  bytes: number;
  error?: string;
}

interface Limits extends SaveLimits {
  maxAudioBytes: number;
}

export function createSaveAudioHandler(
  deps: SaveAudioDeps,
): (request: Request) => Promise<Response> {
  const maxBodyBytes = deps.maxBodyBytes ?? MAX_RUN_AUDIO_BODY_BYTES;
  const limits: Limits = {
    ...saveLimits({
      maxBodyBytes,
      maxBufferedBytes:
        deps.maxBufferedBytes ?? Math.max(DEFAULT_MAX_BUFFERED_AUDIO_BYTES, maxBodyBytes),
      maxConcurrent: deps.maxConcurrent ?? DEFAULT_MAX_CONCURRENT_AUDIO_SAVES,
      bodyIdleTimeoutMs: deps.bodyIdleTimeoutMs,
      bodyTimeoutMs: deps.bodyTimeoutMs,
    }),
    maxAudioBytes: deps.maxAudioBytes ?? MAX_RUN_AUDIO_BYTES,
  };
  const now = deps.now ?? (() => performance.now());

  return async (request) => {
    const started = now();
    const outcome = await handle(request, deps.store, limits);
    deps.log({
      fn: 'save-run-audio',
      run_id: outcome.runId,
      status: outcome.response.status,
      bytes: outcome.bytes,
      ms: Math.round((now() - started) * 10) / 10,
      ...(outcome.error ? { error: outcome.error } : {}),
    });
    return outcome.response;
  };
}

/**
 * Memory: a request holds its body as text (at most maxBodyBytes, 16.5 MiB
 * by default) while it waits for a slot; in a slot the text is parsed and let go,
 * and the parsed audio's base64 string (about as large) is what remains. The
 * audio is never decoded here: it goes to Postgres as base64 text, which
 * postgres.js copies once more into its write buffer. Measured with the
 * largest audio (docs/performance.md): the isolate's heap and buffers stay
 * near 110 MB after a save; so that two such bodies are never held at once,
 * the byte budget holds one largest body by default (smaller ones share it)
 * and a second large upload meanwhile gets 503 + Retry-After.
 */
async function handle(request: Request, store: AudioStore, limits: Limits): Promise<Outcome> {
  const body = await readTextRequest(request, {
    maxBytes: limits.maxBodyBytes,
    budget: limits.budget,
    idleTimeoutMs: limits.idleTimeoutMs,
    timeoutMs: limits.timeoutMs,
  });
  if (!body.ok) {
    if (body.response.status !== 413) return { response: body.response, runId: null, bytes: 0 };
    const message = `body exceeds the limit of ${limits.maxBodyBytes} bytes: a run's audio may be at most ${limits.maxAudioBytes} bytes, sent as base64 with its metadata`;
    return { response: errorResponse(413, 'payload_too_large', message), runId: null, bytes: 0 };
  }
  const { bytes } = body;
  const release = await limits.slots.acquire();
  try {
    const checked = check(takeText(body), limits.maxAudioBytes);
    if (!checked.ok) return { response: checked.response, runId: checked.runId, bytes };
    return await write(store, checked.audio, bytes);
  } finally {
    release();
    limits.budget.give(bytes);
  }
}

/** The body's text, no longer held by `body`: once parsed it can be collected during the write. */
function takeText(body: { text: string }): string {
  const { text } = body;
  body.text = '';
  return text;
}

type Checked =
  | { ok: true; audio: RunAudio }
  | { ok: false; response: Response; runId: string | null };

function check(text: string, maxAudioBytes: number): Checked {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = `body is not valid JSON: ${(error as Error).message}`;
    return { ok: false, runId: null, response: errorResponse(400, 'invalid_json', message) };
  }
  const sent = (value ?? {}) as { run_id?: unknown; audio?: unknown };
  const runId = typeof sent.run_id === 'string' ? sent.run_id.slice(0, 64) : null;
  // Before the schema, which would scan the whole base64 string of an audio refused anyway.
  if (typeof sent.audio === 'string') {
    const decoded = base64DecodedLength(sent.audio);
    if (decoded > maxAudioBytes) {
      const message = `audio: is ${decoded} bytes; the largest accepted is ${maxAudioBytes} bytes`;
      const issues = [{ path: 'audio', message: `is ${decoded} bytes, over ${maxAudioBytes}` }];
      return { ok: false, runId, response: errorResponse(413, 'audio_too_large', message, issues) };
    }
  }
  const validation = runAudioSchema.safeParse(value);
  if (!validation.success) {
    const { list, summary } = describeIssues(validation.error.issues);
    return { ok: false, runId, response: errorResponse(400, 'invalid_audio', summary, list) };
  }
  const audio = validation.data;
  const notWebm = webmProblem(audio.audio);
  if (notWebm) return invalid(runId, { path: 'audio', message: notWebm });
  // jsonb refuses U+0000 and lone surrogates, which a string schema lets through.
  const unstorable = findUnstorableValue({ segments: audio.segments });
  if (unstorable) return invalid(runId, unstorable);
  return { ok: true, audio };
}

function invalid(runId: string | null, issue: { path: string; message: string }): Checked {
  const response = errorResponse(400, 'invalid_audio', `${issue.path}: ${issue.message}`, [issue]);
  return { ok: false, runId, response };
}

/** Why `base64` is not a WebM file, judged by its first bytes alone; null when it may be one. */
function webmProblem(base64: string): string | null {
  // 8 base64 characters are the first 6 bytes: the magic is in them.
  const head = Uint8Array.from(atob(base64.slice(0, 8)), (char) => char.charCodeAt(0));
  if (head.length < WEBM_MAGIC.length) {
    return `is ${head.length} bytes, too short for a WebM file`;
  }
  if (WEBM_MAGIC.some((byte, index) => head[index] !== byte)) {
    const hex = [...head.subarray(0, WEBM_MAGIC.length)]
      .map((byte) => byte.toString(16).padStart(2, '0'))
      .join(' ');
    return `is not a WebM file: it starts with ${hex}, not 1a 45 df a3`;
  }
  return null;
}

async function write(store: AudioStore, audio: RunAudio, bytes: number): Promise<Outcome> {
  const runId = audio.run_id;
  try {
    const saved = await store.save(audio);
    if (saved.kind === 'run_not_found') {
      const message = `run ${runId} is not stored; save the run before its audio`;
      return { response: errorResponse(404, 'run_not_found', message), runId, bytes };
    }
    if (saved.kind === 'conflict') {
      const message = `the audio of run ${runId} is already stored with different content; nothing was overwritten`;
      return { response: errorResponse(409, 'conflict', message), runId, bytes };
    }
    const { kind, ...payload } = saved;
    return { response: jsonResponse(kind === 'created' ? 201 : 200, payload), runId, bytes };
  } catch (error) {
    return {
      ...storeFailure(error, error instanceof AudioRejectedError, 'the audio'),
      runId,
      bytes,
    };
  }
}
