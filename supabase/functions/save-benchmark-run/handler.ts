import {
  benchmarkRunSchema,
  createdAtWindowError,
  DEFAULT_MAX_BODY_BYTES,
} from '@core/benchmark-run.ts';
import { type RunMetricsRow, runMetricsRow } from '@core/run-metrics-row.ts';
import { scenarioHash } from '@core/scenario.ts';
import { errorResponse, jsonResponse } from '../_shared/cors.ts';
import { storeFailure } from '../_shared/db-errors.ts';
import { describeIssues, readTextRequest } from '../_shared/json-request.ts';
import { checkJsonText, findUnstorableValue, type UnsafeValue } from '../_shared/json-safety.ts';
import { type SaveLimits, saveLimits } from '../_shared/save-limits.ts';
import type { ScenarioVersion } from '../_shared/scenario-store.ts';
import { DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_CONCURRENT_SAVES } from './limits.ts';
import { RunRejectedError, type RunStore } from './run-store.ts';

export interface RequestLogLine {
  fn: 'save-benchmark-run';
  run_id: string | null;
  status: number;
  bytes: number;
  ms: number;
  error?: string;
}

export interface SaveRunDeps {
  store: RunStore;
  log: (line: RequestLogLine) => void;
  maxBodyBytes?: number;
  /** Saves parsed, validated and stored at once; the rest wait (holding their body). */
  maxConcurrent?: number;
  /** Body bytes held at once across requests; past it a save gets 503 + Retry-After. */
  maxBufferedBytes?: number;
  bodyIdleTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** For timing requests (performance.now by default). */
  now?: () => number;
  /** The server's clock in epoch ms, to check created_at (Date.now by default). */
  clock?: () => number;
}

interface Outcome {
  response: Response;
  runId: string | null;
  bytes: number;
  error?: string;
}

export function createSaveRunHandler(deps: SaveRunDeps): (request: Request) => Promise<Response> {
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const limits = saveLimits({
    maxBodyBytes,
    maxBufferedBytes: deps.maxBufferedBytes ?? Math.max(DEFAULT_MAX_BUFFERED_BYTES, maxBodyBytes),
    maxConcurrent: deps.maxConcurrent ?? DEFAULT_MAX_CONCURRENT_SAVES,
    bodyIdleTimeoutMs: deps.bodyIdleTimeoutMs,
    bodyTimeoutMs: deps.bodyTimeoutMs,
  });
  const now = deps.now ?? (() => performance.now());
  const clock = deps.clock ?? (() => Date.now());

  return async (request) => {
    const started = now();
    const outcome = await handle(request, deps.store, limits, clock);
    deps.log({
      fn: 'save-benchmark-run',
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
 * Memory: the body is held once, as text (it goes to Postgres as is). It is
 * parsed and validated in `check`, whose parsed object is garbage by the time
 * the row is written; and only `maxConcurrent` saves are past reading at once.
 */
async function handle(
  request: Request,
  store: RunStore,
  limits: SaveLimits,
  clock: () => number,
): Promise<Outcome> {
  const body = await readTextRequest(request, {
    maxBytes: limits.maxBodyBytes,
    budget: limits.budget,
    idleTimeoutMs: limits.idleTimeoutMs,
    timeoutMs: limits.timeoutMs,
  });
  if (!body.ok) return { response: body.response, runId: null, bytes: body.bytes };
  const { bytes } = body;
  const release = await limits.slots.acquire();
  try {
    const checked = await check(body.text, clock);
    if (!checked.ok) return { response: checked.response, runId: null, bytes };
    return await write(store, body.text, checked, bytes);
  } finally {
    release();
    limits.budget.give(bytes);
  }
}

type Checked =
  | { ok: true; runId: string; version?: ScenarioVersion; metrics: RunMetricsRow }
  | { ok: false; response: Response };

/** Parses and validates a run; returns only what storing it needs, not the parsed document. */
async function check(text: string, clock: () => number): Promise<Checked> {
  const oversized = checkJsonText(text);
  if (oversized) return refuse(oversized);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = `body is not valid JSON: ${(error as Error).message}`;
    return { ok: false, response: errorResponse(400, 'invalid_json', message) };
  }
  const unsafe = findUnstorableValue(value);
  if (unsafe) return refuse(unsafe);
  const validation = benchmarkRunSchema.safeParse(value);
  if (!validation.success) {
    const { list, summary } = describeIssues(validation.error.issues);
    return { ok: false, response: errorResponse(400, 'invalid_run', summary, list) };
  }
  const createdAt = validation.data.created_at;
  const createdAtError = createdAt ? createdAtWindowError(createdAt, clock()) : null;
  if (createdAtError) {
    const issue = { path: 'created_at', message: createdAtError };
    const message = `created_at: ${createdAtError}`;
    return { ok: false, response: errorResponse(400, 'invalid_run', message, [issue]) };
  }
  const { scenario } = validation.data;
  const version = scenario
    ? { hash: await scenarioHash(scenario), scenario, fromFile: false }
    : undefined;
  return {
    ok: true,
    runId: validation.data.run_id,
    version,
    metrics: runMetricsRow(validation.data, scenario),
  };
}

function refuse(unsafe: UnsafeValue): Checked {
  const message = `${unsafe.path}: ${unsafe.message}`;
  return { ok: false, response: errorResponse(400, 'invalid_run', message, [unsafe]) };
}

async function write(
  store: RunStore,
  text: string,
  { runId, version, metrics }: Extract<Checked, { ok: true }>,
  bytes: number,
): Promise<Outcome> {
  try {
    const saved = await store.save(text, version, metrics);
    if (saved.kind === 'conflict') {
      const message = `run ${runId} is already stored with different content; nothing was overwritten`;
      return { response: errorResponse(409, 'conflict', message), runId, bytes };
    }
    const { kind, ...payload } = saved;
    return { response: jsonResponse(kind === 'created' ? 201 : 200, payload), runId, bytes };
  } catch (error) {
    return { ...storeFailure(error, error instanceof RunRejectedError, 'the run'), runId, bytes };
  }
}
