import { queryOptions, useQuery } from '@tanstack/react-query';
import {
  DEFAULT_REGRESSION_OPTIONS,
  detectRegressions,
  type MeasuredRun,
  type Regression,
} from '../../../../../supabase/functions/_shared/regressions.ts';
import type { AppSupabaseClient } from '../../../lib/supabase.ts';
import { useSupabase } from '../../../lib/supabase-context.tsx';

export interface ModelRegressions {
  interviewer_model: string | null;
  simulated_user_model: string | null;
  runs: number;
  regressions: Regression[];
}

/** Newest runs looked at per scenario: enough for a recent and a baseline window per model pair. */
const RECENT_RUNS = 400;

/**
 * For each interviewer × simulated-user model pair of a scenario (all its
 * versions: a prompt edit that made things worse is what this is for), the
 * newest runs against the ones before them.
 */
export async function getRegressions(
  client: AppSupabaseClient,
  scenarioName: string,
  options = DEFAULT_REGRESSION_OPTIONS,
): Promise<ModelRegressions[]> {
  // run_metrics carries each run's scenario and time: no need to read the wide runs table.
  const { data, error } = await client
    .from('run_metrics')
    .select(
      'created_at, interviewer_model, simulated_user_model, first_audio_p50_ms, cost_usd, checks_passed, checks_total, scenario:benchmark_scenarios!inner(name)',
    )
    .eq('scenario.name', scenarioName)
    .order('created_at', { ascending: false })
    .limit(RECENT_RUNS);
  if (error) throw new Error(error.message);

  const groups = new Map<string, { key: [string | null, string | null]; runs: MeasuredRun[] }>();
  for (const metrics of data) {
    const id = `${metrics.interviewer_model}\u0000${metrics.simulated_user_model}`;
    const group = groups.get(id) ?? {
      key: [metrics.interviewer_model, metrics.simulated_user_model],
      runs: [],
    };
    group.runs.push({
      created_at: metrics.created_at,
      passed: metrics.checks_total > 0 ? metrics.checks_passed === metrics.checks_total : null,
      first_audio_p50_ms: metrics.first_audio_p50_ms,
      cost_usd: metrics.cost_usd === null ? null : Number(metrics.cost_usd),
    });
    groups.set(id, group);
  }
  return [...groups.values()].map(({ key: [interviewer, user], runs }) => ({
    interviewer_model: interviewer,
    simulated_user_model: user,
    runs: runs.length,
    regressions: detectRegressions(runs, options),
  }));
}

export function useRegressions(scenarioName: string) {
  const client = useSupabase();
  return useQuery(
    queryOptions({
      queryKey: ['regressions', scenarioName],
      queryFn: () => getRegressions(client, scenarioName),
      enabled: scenarioName !== '',
      staleTime: 10_000,
    }),
  );
}
