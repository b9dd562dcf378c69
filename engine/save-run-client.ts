import type { BenchmarkRun } from '@core/benchmark-run.ts';
import { callFunction, type FunctionsEndpoint } from './functions-client.ts';
import type { DeliveryAnswer } from './run-outbox.ts';

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
