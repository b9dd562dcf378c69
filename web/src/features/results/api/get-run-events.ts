import { queryOptions, useQuery } from '@tanstack/react-query';
import type { EventLogEntry } from '../../../../../supabase/functions/_shared/benchmark-run.ts';
import type { AppSupabaseClient } from '../../../lib/supabase.ts';
import { useSupabase } from '../../../lib/supabase-context.tsx';
import { isRunId } from './get-run.ts';
import { runKeys } from './keys.ts';

/** The run's event log (tens of thousands of events for long runs). */
export async function getRunEvents(
  client: AppSupabaseClient,
  runId: string,
): Promise<EventLogEntry[] | null> {
  if (!isRunId(runId)) return null;
  const { data, error } = await client
    .from('benchmark_runs')
    .select('event_log')
    .eq('run_id', runId)
    .maybeSingle();
  if (error) throw new Error(error.message);
  return (data?.event_log as EventLogEntry[] | undefined) ?? null;
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
