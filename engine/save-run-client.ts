import type { BenchmarkRun } from '@core/benchmark-run.ts';
import type { RunAudio } from '@core/run-audio.ts';
import { callFunction, type FunctionsEndpoint } from './functions-client.ts';
import { type DeliveryAnswer, type OutboxStore, RunOutbox } from './run-outbox.ts';

/** POSTs a run to `save-benchmark-run`; network failures reject, HTTP answers resolve. */
export async function postRun(
  endpoint: FunctionsEndpoint,
  run: BenchmarkRun,
  fetchImpl: typeof fetch = fetch,
): Promise<DeliveryAnswer> {
  const { status, error } = await callFunction(
    endpoint,
    'save-benchmark-run',
    JSON.stringify(run),
    { fetchImpl },
  );
  return { status, message: error?.message };
}

/**
 * POSTs a run's audio to `save-run-audio` (after its run is stored: 404
 * `run_not_found` otherwise); network failures reject, HTTP answers resolve.
 */
export async function postRunAudio(
  endpoint: FunctionsEndpoint,
  audio: RunAudio,
  fetchImpl: typeof fetch = fetch,
): Promise<DeliveryAnswer> {
  const { status, error } = await callFunction(endpoint, 'save-run-audio', JSON.stringify(audio), {
    fetchImpl,
  });
  return { status, message: error?.message };
}

/** The outbox that saves to the project's functions: each run, then its audio. */
export function createSavingOutbox(
  endpoint: FunctionsEndpoint,
  store: OutboxStore,
  fetchImpl: typeof fetch = fetch,
): RunOutbox {
  return new RunOutbox({
    store,
    deliver: (run) => postRun(endpoint, run, fetchImpl),
    deliverAudio: (audio) => postRunAudio(endpoint, audio, fetchImpl),
  });
}
