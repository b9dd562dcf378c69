import { getDaily } from '@data/get-daily.ts';
import { getRegressions } from '@data/get-regressions.ts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useSupabase } from '../lib/supabase-context.tsx';
import { trendKeys } from './keys.ts';

export function useDaily(scenarioName: string, from: string) {
  const client = useSupabase();
  return useQuery(
    queryOptions({
      queryKey: trendKeys.daily(scenarioName, from),
      queryFn: () => getDaily(client, scenarioName, from),
      enabled: scenarioName !== '',
      staleTime: 10_000,
    }),
  );
}

export function useRegressions(scenarioName: string) {
  const client = useSupabase();
  return useQuery(
    queryOptions({
      queryKey: trendKeys.regressions(scenarioName),
      queryFn: () => getRegressions(client, scenarioName),
      enabled: scenarioName !== '',
      staleTime: 10_000,
    }),
  );
}
