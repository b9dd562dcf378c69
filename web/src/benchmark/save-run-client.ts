import type { BenchmarkRun } from '../../../supabase/functions/_shared/benchmark-run.ts';
import type { FunctionsEndpoint } from '../realtime/client-secret.ts';
import type { DeliveryAnswer } from './run-outbox.ts';

/** POSTs a run to `save-benchmark-run`; network failures reject, HTTP answers resolve. */
export async function postRun(
  endpoint: FunctionsEndpoint,
  run: BenchmarkRun,
  fetchImpl: typeof fetch = fetch,
): Promise<DeliveryAnswer> {
  const response = await fetchImpl(`${endpoint.functionsUrl}/save-benchmark-run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${endpoint.anonKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(run),
    keepalive: false,
  });
  const body = (await response.json().catch(() => null)) as {
    error?: { message?: string };
    message?: string;
  } | null;
  return { status: response.status, message: body?.error?.message ?? body?.message };
}
