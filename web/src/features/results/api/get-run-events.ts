import type { EventLogEntry } from '@core/benchmark-run.ts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AppSupabaseClient } from '../../../lib/supabase.ts';
import { useSupabase } from '../../../lib/supabase-context.tsx';
import { isRunId } from './get-run.ts';
import { runKeys } from './keys.ts';

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

export function runEventsQueryOptions(client: AppSupabaseClient, runId: string) {
  return queryOptions({
    queryKey: runKeys.events(runId),
    queryFn: () => getRunEvents(client, runId),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useRunEvents(runId: string, enabled: boolean) {
  return useQuery({ ...runEventsQueryOptions(useSupabase(), runId), enabled });
}
