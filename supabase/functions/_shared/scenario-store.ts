import type { Sql, TransactionSql } from 'postgres';
import type { Scenario } from './scenario.ts';

export interface ScenarioVersion {
  hash: string;
  scenario: Scenario;
  /** The file as uploaded; null when the version arrives with a run. */
  sourceYaml: string | null;
}

export interface StoredVersion {
  created: boolean;
  created_at: string;
}

/**
 * Inserts the version unless its hash is stored already. Versions never
 * change; the one exception fills in the YAML of a version first seen with
 * a run. Concurrent uploads of one version leave one row.
 */
export async function upsertScenarioVersion(
  tx: Sql | TransactionSql,
  version: ScenarioVersion,
): Promise<StoredVersion> {
  const [row] = await tx<{ created: boolean; created_at: Date }[]>`
    insert into public.benchmark_scenarios (scenario_hash, name, content, source_yaml)
    values (${version.hash}, ${version.scenario.name},
            ${JSON.stringify(version.scenario)}::text::jsonb, ${version.sourceYaml})
    on conflict (scenario_hash) do update
      set source_yaml = coalesce(public.benchmark_scenarios.source_yaml, excluded.source_yaml)
    returning (xmax = 0) as created, created_at`;
  if (!row) throw new Error('scenario upsert returned no row');
  return { created: row.created, created_at: row.created_at.toISOString() };
}
