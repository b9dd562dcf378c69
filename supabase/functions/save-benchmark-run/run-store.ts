import type { RunMetricsRow } from '@core/run-metrics-row.ts';
import type { Sql } from 'postgres';
import { isDataError } from '../_shared/db-errors.ts';
import { writeRunMetrics } from '../_shared/run-metrics-store.ts';
import { type ScenarioVersion, upsertScenarioVersion } from '../_shared/scenario-store.ts';

export type SaveOutcome =
  | {
      kind: 'created' | 'duplicate';
      run_id: string;
      created_at: string;
      num_turns: number;
      scenario_hash: string | null;
    }
  | { kind: 'conflict'; run_id: string };

export interface RunStore {
  /**
   * Stores the run exactly as the client sent it (`body` is the request's JSON
   * text, already validated). Idempotent per run_id. The scenario version,
   * when there is one, is stored in the same transaction.
   */
  save(body: string, scenario?: ScenarioVersion, metrics?: RunMetricsRow): Promise<SaveOutcome>;
}

/** A database error caused by the row itself (bad data), not by the database being unreachable. */
export class RunRejectedError extends Error {}
export class StoreUnavailableError extends Error {}

interface StoredRow {
  run_id: string;
  created_at: Date;
  num_turns: number;
  scenario_hash: string | null;
  identical?: boolean;
}

/**
 * Writes through postgres.js as `service_role`. The body goes in as text and is
 * parsed by Postgres itself, so what lands in the jsonb columns is what the
 * client sent (no JavaScript number rounding, no re-serialisation).
 */
export function createPostgresRunStore(sql: Sql): RunStore {
  return {
    async save(body, scenario, metrics) {
      const scenarioHash = scenario?.hash ?? null;
      try {
        const inserted = await sql.begin(async (tx) => {
          await tx`set local role service_role`;
          if (scenario) await upsertScenarioVersion(tx, scenario);
          const rows = await tx<StoredRow[]>`
            with input as materialized (select ${body}::text::jsonb as b)
            insert into public.benchmark_runs (
              run_id, created_at, mode, conversation_history, event_log,
              interviewer_prompt, simulated_user_prompt, end_reason, scenario_hash
            )
            select (b->>'run_id')::uuid,
                   coalesce((b->>'created_at')::timestamptz, now()),
                   b->>'mode', b->'conversation_history', b->'event_log',
                   b->>'interviewer_prompt', b->>'simulated_user_prompt', b->>'end_reason',
                   ${scenarioHash}::text
            from input
            -- A stored run_id never reaches the insert triggers, whose checks
            -- (dates, durations) would answer a retry with 400 instead of 409.
            where not exists (
              select 1 from public.benchmark_runs r where r.run_id = (b->>'run_id')::uuid
            )
            on conflict (run_id) do nothing
            returning run_id, created_at, num_turns, scenario_hash`;
          // Metrics come with a new run only; a retried save finds them stored already.
          const [row] = rows;
          if (row && metrics) {
            await writeRunMetrics(tx, [
              { ...metrics, scenario_hash: scenarioHash, created_at: row.created_at.toISOString() },
            ]);
          }
          return rows;
        });
        const created = inserted[0];
        if (created) return { kind: 'created', ...toSaved(created) };

        const existing = await sql.begin(async (tx) => {
          await tx`set local role service_role`;
          return tx<StoredRow[]>`
            with input as materialized (select ${body}::text::jsonb as b)
            select r.run_id, r.created_at, r.num_turns, r.scenario_hash,
                   (r.mode = b->>'mode'
                    and r.conversation_history = b->'conversation_history'
                    and r.event_log = b->'event_log'
                    and r.interviewer_prompt = b->>'interviewer_prompt'
                    and r.simulated_user_prompt = b->>'simulated_user_prompt'
                    and r.end_reason = b->>'end_reason'
                    and r.scenario_hash is not distinct from ${scenarioHash}::text
                    and (b->'created_at' is null
                         or r.created_at = (b->>'created_at')::timestamptz)) as identical
            from public.benchmark_runs r, input
            where r.run_id = (b->>'run_id')::uuid`;
        });
        const row = existing[0];
        if (!row) throw new StoreUnavailableError('run neither inserted nor found; retry');
        if (!row.identical) return { kind: 'conflict', run_id: row.run_id };
        return { kind: 'duplicate', ...toSaved(row) };
      } catch (error) {
        throw classify(error);
      }
    },
  };
}

function toSaved(row: StoredRow) {
  return {
    run_id: row.run_id,
    created_at: row.created_at.toISOString(),
    num_turns: row.num_turns,
    scenario_hash: row.scenario_hash,
  };
}

function classify(error: unknown): Error {
  if (error instanceof StoreUnavailableError) return error;
  if (isDataError(error)) {
    return new RunRejectedError((error as Error).message);
  }
  return new StoreUnavailableError(error instanceof Error ? error.message : String(error));
}
