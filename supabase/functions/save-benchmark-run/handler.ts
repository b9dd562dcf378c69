import {
  benchmarkRunSchema,
  createdAtWindowError,
  DEFAULT_MAX_BODY_BYTES,
} from '../_shared/benchmark-run.ts';
import { errorResponse, jsonResponse } from '../_shared/cors.ts';
import { describeIssues, readJsonRequest } from '../_shared/json-request.ts';
import { findUnstorableValue } from '../_shared/json-safety.ts';
import { runMetricsRow } from '../_shared/run-metrics-row.ts';
import { scenarioHash } from '../_shared/scenario.ts';
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
  const now = deps.now ?? (() => performance.now());
  const clock = deps.clock ?? (() => Date.now());

  return async (request) => {
    const started = now();
    const outcome = await handle(request, deps.store, maxBodyBytes, clock);
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

async function handle(
  request: Request,
  store: RunStore,
  maxBodyBytes: number,
  clock: () => number,
): Promise<Outcome> {
  const body = await readJsonRequest(request, { maxBytes: maxBodyBytes });
  if (!body.ok) return { response: body.response, runId: null, bytes: body.bytes };
  const { bytes } = body;

  const unstorable = findUnstorableValue(body.value);
  if (unstorable) {
    const message = `${unstorable.path}: ${unstorable.message}`;
    return {
      response: errorResponse(400, 'invalid_run', message, [unstorable]),
      runId: null,
      bytes,
    };
  }

  const validation = benchmarkRunSchema.safeParse(body.value);
  if (!validation.success) {
    const { list, summary } = describeIssues(validation.error.issues);
    return { response: errorResponse(400, 'invalid_run', summary, list), runId: null, bytes };
  }
  const runId = validation.data.run_id;
  const createdAt = validation.data.created_at;
  const createdAtError = createdAt ? createdAtWindowError(createdAt, clock()) : null;
  if (createdAtError) {
    const issue = { path: 'created_at', message: createdAtError };
    return {
      response: errorResponse(400, 'invalid_run', `created_at: ${createdAtError}`, [issue]),
      runId: null,
      bytes,
    };
  }
  const { scenario } = validation.data;
  const version = scenario
    ? { hash: await scenarioHash(scenario), scenario, fromFile: false }
    : undefined;

  const metrics = runMetricsRow(validation.data, scenario);

  try {
    const saved = await store.save(body.text, version, metrics);
    if (saved.kind === 'conflict') {
      const message = `run ${runId} is already stored with different content; nothing was overwritten`;
      return { response: errorResponse(409, 'conflict', message), runId, bytes };
    }
    const { kind, ...payload } = saved;
    return { response: jsonResponse(kind === 'created' ? 201 : 200, payload), runId, bytes };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof RunRejectedError) {
      return {
        response: errorResponse(400, 'rejected_by_database', message),
        runId,
        bytes,
        error: message,
      };
    }
    return {
      response: errorResponse(
        503,
        'database_unavailable',
        'the run could not be stored right now; retry later',
        undefined,
        { 'Retry-After': '1' },
      ),
      runId,
      bytes,
      error: message,
    };
  }
}
