import type { Scenario } from '@core/scenario.ts';
import { downloadText } from './download.ts';

/** "Customer support intake" → "customer-support-intake". */
export function scenarioFileName(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${slug || 'scenario'}.yaml`;
}

/** Downloads the scenario as a YAML file for `scenarios/` (the YAML library loads on first use). */
export async function downloadScenario(scenario: Scenario): Promise<void> {
  const { scenarioToYaml } = await import('@core/scenario-yaml.ts');
  downloadText(scenarioFileName(scenario.name), scenarioToYaml(scenario), 'application/yaml');
}
