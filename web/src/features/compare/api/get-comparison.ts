import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AppSupabaseClient } from '../../../lib/supabase.ts';
import { useSupabase } from '../../../lib/supabase-context.tsx';

export interface ComparisonRow {
  scenario_hash: string | null;
  scenario_name: string | null;
  interviewer_model: string | null;
  simulated_user_model: string | null;
  runs: number;
  runs_with_checks: number;
  pass_rate: number | null;
  first_audio_p50_ms: number | null;
  first_audio_p95_ms: number | null;
  mean_tokens: number | null;
  mean_cost_usd: number | null;
  unpriced_runs: number;
  last_run_at: string | null;
  mean_judge_score: number | null;
  judged_runs: number;
}

/** The comparison table of one scenario (all its versions), aggregated by Postgres. */
export async function getComparison(
  client: AppSupabaseClient,
  scenarioName: string,
): Promise<ComparisonRow[]> {
  const { data, error } = await client
    .from('benchmark_comparison')
    .select('*')
    .eq('scenario_name', scenarioName)
    .order('last_run_at', { ascending: false })
    .limit(500);
  if (error) throw new Error(error.message);
  return data as ComparisonRow[];
}

export function comparisonQueryOptions(client: AppSupabaseClient, scenarioName: string) {
  return queryOptions({
    queryKey: ['comparison', scenarioName],
    queryFn: () => getComparison(client, scenarioName),
    enabled: scenarioName !== '',
    staleTime: 10_000,
  });
}

export function useComparison(scenarioName: string) {
  return useQuery(comparisonQueryOptions(useSupabase(), scenarioName));
}
