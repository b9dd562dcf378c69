import type { AppSupabaseClient } from '@data/client.ts';
import { getComparison } from '@data/get-comparison.ts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useSupabase } from '../lib/supabase-context.tsx';
import { comparisonKeys } from './keys.ts';

export function comparisonQueryOptions(client: AppSupabaseClient, scenarioName: string) {
  return queryOptions({
    queryKey: comparisonKeys.scenario(scenarioName),
    queryFn: () => getComparison(client, scenarioName),
    enabled: scenarioName !== '',
    staleTime: 10_000,
  });
}

export function useComparison(scenarioName: string) {
  return useQuery(comparisonQueryOptions(useSupabase(), scenarioName));
}
