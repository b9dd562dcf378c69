import type { AppSupabaseClient } from '@data/client.ts';
import { getRun } from '@data/get-run.ts';
import { getRunEvents } from '@data/get-run-events.ts';
import { getRuns, RUNS_PAGE_SIZE, type RunsCursor } from '@data/get-runs.ts';
import type { RunFilters } from '@data/run-filters.ts';
import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useQuery,
} from '@tanstack/react-query';
import { useSupabase } from '../lib/supabase-context.tsx';
import { runKeys } from './keys.ts';

export function runsQueryOptions(
  client: AppSupabaseClient,
  filters: RunFilters = {},
  pageSize = RUNS_PAGE_SIZE,
) {
  return infiniteQueryOptions({
    queryKey: runKeys.list(filters, pageSize),
    queryFn: ({ pageParam }) => getRuns(client, { cursor: pageParam, filters, pageSize }),
    initialPageParam: null as RunsCursor | null,
    getNextPageParam: (lastPage) => lastPage.next,
    // New runs land all the time: show the cached list at once, refresh it on a later visit.
    staleTime: 5_000,
  });
}

export function useRuns(filters: RunFilters = {}, pageSize = RUNS_PAGE_SIZE) {
  return useInfiniteQuery(runsQueryOptions(useSupabase(), filters, pageSize));
}

export function runQueryOptions(client: AppSupabaseClient, runId: string) {
  return queryOptions({
    queryKey: runKeys.detail(runId),
    queryFn: () => getRun(client, runId),
    // A saved run never changes.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useRun(runId: string) {
  return useQuery(runQueryOptions(useSupabase(), runId));
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
