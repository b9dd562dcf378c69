import type { EventLogEntry } from '@core/benchmark-run.ts';
import type { AppSupabaseClient } from './client.ts';
import { isRunId } from './get-run.ts';

/**
 * The run's event log (tens of thousands of events for long runs). Clients
 * may not select the event_log column (a list of runs with their logs would
 * weigh gigabytes); `run_event_log` returns one run's log per call.
 */
export async function getRunEvents(
  client: AppSupabaseClient,
  runId: string,
): Promise<EventLogEntry[] | null> {
  if (!isRunId(runId)) return null;
  const { data, error } = await client.rpc('run_event_log', { run_id: runId }, { get: true });
  if (error) throw new Error(error.message);
  return (data as EventLogEntry[] | null) ?? null;
}
