import type { Scenario } from '@core/scenario.ts';
import { scenarioToYaml } from '@core/scenario-yaml.ts';
import { diffLines } from 'diff';

export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** What changed from `before` to `after`, line by line, over the YAML a person would read. */
export function diffScenarios(before: Scenario, after: Scenario): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const change of diffLines(scenarioToYaml(before), scenarioToYaml(after))) {
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
    for (const text of change.value.replace(/\n$/, '').split('\n')) lines.push({ kind, text });
  }
  return lines.filter((line) => !line.text.startsWith('# yaml-language-server'));
}
