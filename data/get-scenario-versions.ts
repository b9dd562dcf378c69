import type { Scenario } from '@core/scenario.ts';
import type { AppSupabaseClient } from './client.ts';
import type { ViewRow } from './rows.ts';

export interface ScenarioVersion extends Omit<ViewRow<'benchmark_scenario_versions'>, 'content'> {
  content: Scenario;
}

/** Versions are few (one per edit of a scenario); more than this is not a picker's job. */
export const MAX_SCENARIO_VERSIONS = 1000;

/** Every stored version, by name, newest first within a name. */
export async function getScenarioVersions(client: AppSupabaseClient): Promise<ScenarioVersion[]> {
  const { data, error } = await client
    .from('benchmark_scenario_versions')
    .select('scenario_hash, name, content, created_at, last_run_at, from_file')
    .order('name')
    .order('created_at', { ascending: false })
    .limit(MAX_SCENARIO_VERSIONS)
    .overrideTypes<Array<{ content: Scenario }>>();
  if (error) throw new Error(error.message);
  return data;
}

/** Versions grouped by scenario name, in name order. */
export function groupByName(versions: readonly ScenarioVersion[]): Map<string, ScenarioVersion[]> {
  const groups = new Map<string, ScenarioVersion[]>();
  for (const version of versions) {
    const group = groups.get(version.name) ?? [];
    group.push(version);
    groups.set(version.name, group);
  }
  return groups;
}

export const STALE_AFTER_DAYS = 90;

/** A scenario is stale when none of its versions has run in STALE_AFTER_DAYS (never-run ones are not). */
export function staleness(
  versions: readonly ScenarioVersion[],
  now = Date.now(),
): { stale: boolean; lastRunAt: string | null } {
  const lastRunAt = versions
    .map((version) => version.last_run_at)
    .filter((at): at is string => at !== null)
    .sort()
    .at(-1);
  if (!lastRunAt) return { stale: false, lastRunAt: null };
  return { stale: now - Date.parse(lastRunAt) > STALE_AFTER_DAYS * 86_400_000, lastRunAt };
}
