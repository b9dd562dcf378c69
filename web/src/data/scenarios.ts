import { canonicalScenario, type Scenario, scenarioHash } from '@core/scenario.ts';
import type { AppSupabaseClient } from '@data/client.ts';
import { getScenarioVersions } from '@data/get-scenario-versions.ts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useSupabase } from '../lib/supabase-context.tsx';
import { scenarioHashKeys, scenarioKeys } from './keys.ts';

/** The version hash of `scenario` (the same one the server derives), once computed. */
export function useScenarioHash(scenario: Scenario | null): string | undefined {
  const canonical = scenario ? canonicalScenario(scenario) : null;
  return useQuery({
    queryKey: scenarioHashKeys.of(canonical),
    queryFn: () => scenarioHash(scenario as Scenario),
    enabled: scenario !== null,
    staleTime: Number.POSITIVE_INFINITY,
  }).data;
}

export function scenarioVersionsQueryOptions(client: AppSupabaseClient) {
  return queryOptions({
    queryKey: scenarioKeys.versions(),
    queryFn: () => getScenarioVersions(client),
    staleTime: 30_000,
  });
}

export function useScenarioVersions() {
  return useQuery(scenarioVersionsQueryOptions(useSupabase()));
}
