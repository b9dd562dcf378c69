import type { GroupFigures } from '@core/statistics.ts';
import type { AppSupabaseClient } from './client.ts';

/** A row of `benchmark_comparison`: a group's figures as statistics.ts defines them. */
export interface ComparisonRow extends GroupFigures {
  scenario_hash: string | null;
  scenario_name: string | null;
  interviewer_model: string | null;
  simulated_user_model: string | null;
  last_run_at: string | null;
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
