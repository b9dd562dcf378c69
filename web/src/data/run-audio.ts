import type { AppSupabaseClient } from '@data/client.ts';
import { getRunAudioBlob, getRunAudioInfo, type RunAudioInfo } from '@data/get-run-audio.ts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useSupabase } from '../lib/supabase-context.tsx';
import { runKeys } from './keys.ts';

function runAudioInfoQueryOptions(client: AppSupabaseClient, runId: string) {
  return queryOptions({
    queryKey: runKeys.audio(runId),
    queryFn: () => getRunAudioInfo(client, runId),
    // A stored recording never changes; one still on its way (in an outbox) is looked for again.
    staleTime: (query) => (query.state.data ? Number.POSITIVE_INFINITY : 0),
  });
}

/** The metadata of a run's audio (null when it has none). */
export function useRunAudioInfo(runId: string, enabled: boolean) {
  return useQuery({ ...runAudioInfoQueryOptions(useSupabase(), runId), enabled });
}

/** The recording itself, once its metadata says there is one. */
export function useRunAudioFile(runId: string, info: RunAudioInfo | null | undefined) {
  const client = useSupabase();
  return useQuery({
    queryKey: runKeys.audioFile(runId),
    queryFn: ({ signal }) => getRunAudioBlob(client, runId, info?.content_type ?? '', { signal }),
    enabled: Boolean(info),
    staleTime: Number.POSITIVE_INFINITY,
    // Megabytes: not kept long once no page shows them.
    gcTime: 60_000,
  });
}
