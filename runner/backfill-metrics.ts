import type { BenchmarkRun } from '@core/benchmark-run.ts';
import { METRICS_VERSION } from '@core/run-metrics.ts';
import { runMetricsRow } from '@core/run-metrics-row.ts';
import type { Scenario } from '@core/scenario.ts';
import type { Sql } from 'postgres';
import { writeRunMetrics } from '../supabase/functions/_shared/run-metrics-store.ts';

export interface BackfillReport {
  computed: number;
  batches: number;
}

type StoredRun = Pick<
  BenchmarkRun,
  'run_id' | 'event_log' | 'conversation_history' | 'end_reason'
> & {
  checks: Scenario['checks'] | null;
  scenario_hash: string | null;
  created_at: Date;
};

/**
 * Computes metrics for runs that have none, or older ones than METRICS_VERSION
 * (or all runs with `all`), a batch at a time by run_id so memory stays flat.
 */
export async function backfillMetrics(
  sql: Sql,
  { batchSize = 50, all = false, onBatch = (_done: number) => {} } = {},
): Promise<BackfillReport> {
  let after = '00000000-0000-0000-0000-000000000000';
  const report: BackfillReport = { computed: 0, batches: 0 };
  for (;;) {
    const runs = await sql<StoredRun[]>`
      select r.run_id, r.event_log, r.conversation_history, r.end_reason,
             r.scenario_hash, r.created_at, s.content -> 'checks' as checks
      from public.benchmark_runs r
      left join public.run_metrics m using (run_id)
      left join public.benchmark_scenarios s on s.scenario_hash = r.scenario_hash
      where r.run_id > ${after}
        and (${all} or m.run_id is null or m.metrics_version < ${METRICS_VERSION})
      order by r.run_id
      limit ${batchSize}`;
    if (runs.length === 0) return report;
    const rows = runs.map((run) => ({
      ...runMetricsRow({ ...run, created_at: undefined }, { checks: run.checks ?? undefined }),
      scenario_hash: run.scenario_hash,
      created_at: run.created_at.toISOString(),
    }));
    await sql.begin(async (tx) => {
      await tx`set local role service_role`;
      await writeRunMetrics(tx, rows);
    });
    report.computed += rows.length;
    report.batches++;
    onBatch(report.computed);
    after = (runs.at(-1) as StoredRun).run_id;
  }
}
