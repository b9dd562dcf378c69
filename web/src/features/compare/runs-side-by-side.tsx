import {
  END_REASON_LABELS,
  formatCost,
  formatDuration,
  formatLatency,
  SPEAKER_LABELS,
} from '@core/format.ts';
import { shortHash } from '@core/run-constants.ts';
import { FIGURE_LABELS } from '@core/statistics.ts';
import { isRunId, type RunSummary } from '@data/get-run.ts';
import { useQueries } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Link } from 'react-router-dom';
import { runQueryOptions } from '../../data/runs.ts';
import { useSupabase } from '../../lib/supabase-context.tsx';

const ScenarioDiffView = lazy(() => import('@web/components/scenario-diff-view.tsx'));

const FACTS: Array<[string, (run: RunSummary) => string]> = [
  ['Scenario', (run) => run.scenario?.name ?? '—'],
  ['Version', (run) => (run.scenario_hash ? shortHash(run.scenario_hash) : '—')],
  ['Interviewer model', (run) => run.metrics?.interviewer_model ?? '—'],
  ['Simulated user model', (run) => run.metrics?.simulated_user_model ?? '—'],
  ['Ended by', (run) => END_REASON_LABELS[run.end_reason] ?? run.end_reason],
  ['Turns', (run) => String(run.num_turns ?? run.conversation_history.length)],
  ['Duration', (run) => formatDuration(run.duration_ms)],
  [
    FIGURE_LABELS.run_first_audio,
    (run) =>
      `${formatLatency(run.metrics?.first_audio_p50_ms)} / ${formatLatency(run.metrics?.first_audio_p95_ms)}`,
  ],
  ['Cost', (run) => formatCost(run.metrics?.cost_usd)],
  [
    'Checks passed',
    (run) =>
      run.metrics?.checks_total ? `${run.metrics.checks_passed}/${run.metrics.checks_total}` : '—',
  ],
  [
    'Judge',
    (run) => {
      const score = run.metrics?.latest_judge_score;
      return score === null || score === undefined ? '—' : `${Math.round(score * 100)}%`;
    },
  ],
];

/** Two to four runs side by side: facts, metrics, checks, judge, transcripts by turn, prompt diff. */
export function RunsSideBySide({ runIds }: { runIds: string[] }) {
  const client = useSupabase();
  const ids = runIds.filter(isRunId).slice(0, 4);
  const runs = useQueries({ queries: ids.map((id) => runQueryOptions(client, id)) });
  if (ids.length < 2) {
    return <p className="error">Choose two to four runs to compare (from the results list).</p>;
  }
  if (runs.some((query) => query.isPending)) return <p role="status">Loading runs…</p>;
  const failed = runs.find((query) => query.isError);
  if (failed?.error) {
    return (
      <p role="alert" className="error">
        Could not load a run: {failed.error.message}
      </p>
    );
  }
  const loaded = runs.map((query) => query.data).filter((run): run is RunSummary => Boolean(run));
  if (loaded.length < ids.length) {
    return <p className="error">Some of these runs do not exist.</p>;
  }
  const longest = Math.max(...loaded.map((run) => run.conversation_history.length));
  const [first, ...rest] = loaded as [RunSummary, ...RunSummary[]];
  const differing = rest.filter(
    (run) => run.scenario && first.scenario && run.scenario_hash !== first.scenario_hash,
  );

  return (
    <div className="side-by-side">
      <table className="runs-table">
        <thead>
          <tr>
            <th scope="col">Run</th>
            {loaded.map((run) => (
              <th key={run.run_id} scope="col">
                <Link to={`/results/${run.run_id}`}>
                  <code>{run.run_id.slice(0, 8)}</code>
                </Link>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {FACTS.map(([label, show]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {loaded.map((run) => (
                <td key={run.run_id}>{show(run)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Transcripts by turn</h2>
      <table className="runs-table transcripts-by-turn">
        <thead>
          <tr>
            <th scope="col">Turn</th>
            {loaded.map((run) => (
              <th key={run.run_id} scope="col">
                <code>{run.run_id.slice(0, 8)}</code>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: longest }, (_, turn) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: turn numbers are the identity here.
            <tr key={turn}>
              <th scope="row">{turn + 1}</th>
              {loaded.map((run) => {
                const said = run.conversation_history[turn];
                return (
                  <td key={run.run_id}>
                    {said && (
                      <>
                        <strong>{SPEAKER_LABELS[said.speaker]}:</strong> {said.content}
                      </>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>

      {differing.length > 0 && (
        <>
          <h2>Scenario differences</h2>
          <Suspense fallback={<p role="status">Loading the diff…</p>}>
            {differing.map((run) => (
              <section key={run.run_id} aria-label={`Diff of run ${run.run_id.slice(0, 8)}`}>
                <h3>
                  {shortHash(first.scenario_hash ?? '')} → {shortHash(run.scenario_hash ?? '')} (run{' '}
                  {run.run_id.slice(0, 8)})
                </h3>
                <ScenarioDiffView
                  current={{
                    scenario_hash: run.scenario_hash ?? '',
                    content: run.scenario?.content as never,
                  }}
                  others={[
                    {
                      scenario_hash: first.scenario_hash ?? '',
                      name: first.scenario?.name ?? '',
                      content: first.scenario?.content as never,
                      created_at: first.created_at,
                      last_run_at: null,
                      from_file: false,
                    },
                  ]}
                />
              </section>
            ))}
          </Suspense>
        </>
      )}
    </div>
  );
}
