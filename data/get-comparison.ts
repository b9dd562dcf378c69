import type { GroupFigures } from '@core/statistics.ts';
import type { AppSupabaseClient } from './client.ts';
import type { ViewRow, WithNonNull } from './rows.ts';

/**
 * A row of `benchmark_comparison`: a group's figures as statistics.ts defines
 * them (`satisfies GroupFigures` below keeps the view and statistics.ts agreeing).
 */
export type ComparisonRow = WithNonNull<
  ViewRow<'benchmark_comparison'>,
  'runs' | 'runs_with_checks' | 'unpriced_runs' | 'judged_runs' | 'voice_runs'
>;

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
  return data as ComparisonRow[] satisfies GroupFigures[];
}
