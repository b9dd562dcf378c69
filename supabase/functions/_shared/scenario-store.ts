import type { Scenario } from '@core/scenario.ts';
import type { Sql, TransactionSql } from 'postgres';

export interface ScenarioVersion {
  hash: string;
  scenario: Scenario;
  /**
   * Whether it was uploaded as a file (upsert-scenario with YAML). The text
   * itself is not kept: a version is its canonical content.
   */
  fromFile: boolean;
}

export interface StoredVersion {
  created: boolean;
  created_at: string;
}

/**
 * Inserts the version unless its hash is stored already. Versions never
 * change; the one exception marks a version first seen with a run as
 * uploaded from a file. Concurrent uploads of one version leave one row.
 */
export async function upsertScenarioVersion(
  tx: Sql | TransactionSql,
  version: ScenarioVersion,
): Promise<StoredVersion> {
  const [row] = await tx<{ created: boolean; created_at: Date }[]>`
    insert into public.benchmark_scenarios (scenario_hash, name, content, from_file)
    values (${version.hash}, ${version.scenario.name},
            ${JSON.stringify(version.scenario)}::text::jsonb, ${version.fromFile})
    on conflict (scenario_hash) do update
      set from_file = public.benchmark_scenarios.from_file or excluded.from_file
    returning (xmax = 0) as created, created_at`;
  if (!row) throw new Error('scenario upsert returned no row');
  return { created: row.created, created_at: row.created_at.toISOString() };
}
