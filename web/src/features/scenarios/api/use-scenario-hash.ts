import { canonicalScenario, type Scenario, scenarioHash } from '@core/scenario.ts';
import { useQuery } from '@tanstack/react-query';

/** The version hash of `scenario` (the same one the server derives), once computed. */
export function useScenarioHash(scenario: Scenario | null): string | undefined {
  const canonical = scenario ? canonicalScenario(scenario) : null;
  return useQuery({
    queryKey: ['scenario-hash', canonical],
    queryFn: () => scenarioHash(scenario as Scenario),
    enabled: scenario !== null,
    staleTime: Number.POSITIVE_INFINITY,
  }).data;
}
