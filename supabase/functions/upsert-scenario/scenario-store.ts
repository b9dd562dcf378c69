import type { Sql } from 'postgres';
import {
  type ScenarioVersion,
  type StoredVersion,
  upsertScenarioVersion,
} from '../_shared/scenario-store.ts';

export interface ScenarioStore {
  upsert(version: ScenarioVersion): Promise<StoredVersion>;
}

export function createPostgresScenarioStore(sql: Sql): ScenarioStore {
  return {
    upsert: (version) =>
      sql.begin(async (tx) => {
        await tx`set local role service_role`;
        return upsertScenarioVersion(tx, version);
      }),
  };
}
