import {
  formatErrorRate,
  formatLatency,
  formatMeanCost,
  formatShare,
  formatUtc,
} from '@core/format.ts';
import { PRICING } from '@core/pricing.ts';
import { shortHash } from '@core/run-constants.ts';
import { FIGURE_LABELS } from '@core/statistics.ts';
import type { ComparisonRow } from '@data/get-comparison.ts';
import { groupByName } from '@data/get-scenario-versions.ts';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ModelLifecycleNotice } from '../../components/model-lifecycle-notice.tsx';
import { useComparison } from '../../data/comparison.ts';
import { useScenarioVersions } from '../../data/scenarios.ts';
import { downloadText } from '../../lib/download.ts';
import { comparisonCsv } from './comparison-csv.ts';
import { RunsSideBySide } from './runs-side-by-side.tsx';

type SortKey = keyof Pick<
  ComparisonRow,
  | 'runs'
  | 'pass_rate'
  | 'mean_judge_score'
  | 'median_first_audio_p50_ms'
  | 'median_first_audio_p95_ms'
  | 'median_voice_to_voice_p50_ms'
  | 'median_voice_to_voice_p95_ms'
  | 'wer'
  | 'mean_tokens'
  | 'mean_cost_usd'
  | 'last_run_at'
>;

interface Column {
  key: SortKey;
  label: string;
  show: (row: ComparisonRow) => string;
  /** Shown only when a row has voice runs, so text scenarios' tables stay as they were. */
  voice?: boolean;
}

/** A voice figure of a row, or a dash when the row has no voice runs. */
const ofVoiceRuns = (show: (row: ComparisonRow) => string) => (row: ComparisonRow) =>
  row.voice_runs > 0 ? show(row) : '—';

const COLUMNS: Column[] = [
  { key: 'runs', label: FIGURE_LABELS.runs, show: (row) => String(row.runs) },
  {
    key: 'pass_rate',
    label: FIGURE_LABELS.pass_rate,
    show: (row) => formatShare(row.pass_rate, row.runs_with_checks),
  },
  {
    key: 'mean_judge_score',
    label: FIGURE_LABELS.mean_judge_score,
    show: (row) => formatShare(row.mean_judge_score, row.judged_runs),
  },
  {
    key: 'median_first_audio_p50_ms',
    label: FIGURE_LABELS.median_first_audio_p50_ms,
    show: (row) => formatLatency(row.median_first_audio_p50_ms),
  },
  {
    key: 'median_first_audio_p95_ms',
    label: FIGURE_LABELS.median_first_audio_p95_ms,
    show: (row) => formatLatency(row.median_first_audio_p95_ms),
  },
  {
    key: 'median_voice_to_voice_p50_ms',
    label: FIGURE_LABELS.median_voice_to_voice_p50_ms,
    show: ofVoiceRuns((row) => formatLatency(row.median_voice_to_voice_p50_ms)),
    voice: true,
  },
  {
    key: 'median_voice_to_voice_p95_ms',
    label: FIGURE_LABELS.median_voice_to_voice_p95_ms,
    show: ofVoiceRuns((row) => formatLatency(row.median_voice_to_voice_p95_ms)),
    voice: true,
  },
  {
    key: 'wer',
    label: FIGURE_LABELS.wer,
    show: ofVoiceRuns((row) => formatErrorRate(row.wer)),
    voice: true,
  },
  {
    key: 'mean_tokens',
    label: FIGURE_LABELS.mean_tokens,
    show: (row) => row.mean_tokens?.toLocaleString('en-US') ?? '—',
  },
  {
    key: 'mean_cost_usd',
    label: FIGURE_LABELS.mean_cost_usd,
    show: (row) => formatMeanCost(row.mean_cost_usd, row.unpriced_runs),
  },
  {
    key: 'last_run_at',
    label: 'Last run',
    show: (row) => (row.last_run_at ? formatUtc(row.last_run_at) : '—'),
  },
];

/** Lower is better for latency, tokens and cost; higher for the rest. */
const BETTER_LOW = new Set<SortKey>([
  'median_first_audio_p50_ms',
  'median_first_audio_p95_ms',
  'median_voice_to_voice_p50_ms',
  'median_voice_to_voice_p95_ms',
  'wer',
  'mean_tokens',
  'mean_cost_usd',
]);

function sortRows(rows: ComparisonRow[], key: SortKey): ComparisonRow[] {
  const direction = BETTER_LOW.has(key) ? 1 : -1;
  return [...rows].sort((a, b) => {
    const [x, y] = [a[key], b[key]];
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : x > y ? 1 : 0) * direction;
  });
}

/** One scenario's versions and models side by side: which passes more, answers faster, costs less. */
export function ComparePage() {
  const [params] = useSearchParams();
  const runIds = params.get('runs');
  if (runIds) {
    return (
      <section aria-labelledby="compare-heading">
        <header className="page-header">
          <h1 id="compare-heading">Compare runs</h1>
        </header>
        <RunsSideBySide runIds={runIds.split(',')} />
      </section>
    );
  }
  return <ComparisonTable />;
}

function ComparisonTable() {
  const [params, setParams] = useSearchParams();
  const scenario = params.get('scenario') ?? '';
  const [sortKey, setSortKey] = useState<SortKey>('pass_rate');
  const names = [...groupByName(useScenarioVersions().data ?? []).keys()];
  const comparison = useComparison(scenario);
  const rows = sortRows(comparison.data ?? [], sortKey);
  const voice = rows.some((row) => row.voice_runs > 0);
  const columns = COLUMNS.filter((column) => voice || !column.voice);

  const exportCsv = () => downloadText('comparison.csv', comparisonCsv(rows));

  return (
    <section aria-labelledby="compare-heading">
      <header className="page-header">
        <h1 id="compare-heading">Compare</h1>
      </header>
      <label>
        Scenario{' '}
        <select
          value={scenario}
          onChange={(event) =>
            setParams(event.target.value ? { scenario: event.target.value } : {})
          }
        >
          <option value="">Choose a scenario…</option>
          {names.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </label>
      {!scenario ? (
        <p className="empty">Choose a scenario to compare its versions and models.</p>
      ) : comparison.isPending ? (
        <p role="status">Loading the comparison…</p>
      ) : comparison.isError ? (
        <p role="alert" className="error">
          Could not load the comparison: {comparison.error.message}
        </p>
      ) : rows.length === 0 ? (
        <p className="empty">No measured runs of this scenario yet.</p>
      ) : (
        <>
          <div className="summary">
            <p>
              One row per scenario version and models; each run counts once (first audio is the
              median over runs of each run's own p50 or p95
              {voice &&
                ", as is voice to voice; WER is all the runs' word errors over all their words"}
              ); costs at the prices of {PRICING.version}
              {rows.some((row) => row.unpriced_runs > 0) &&
                ' (* some runs used an unpriced model and are left out of the mean)'}
              .
            </p>
            <button type="button" className="secondary" onClick={exportCsv}>
              Export CSV
            </button>
          </div>
          <ModelLifecycleNotice
            models={rows.flatMap((row) => [row.interviewer_model, row.simulated_user_model])}
          />
          <table className="runs-table comparison">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Interviewer</th>
                <th scope="col">Simulated user</th>
                {columns.map((column) => (
                  <th
                    key={column.key}
                    scope="col"
                    className="numeric"
                    aria-sort={
                      sortKey !== column.key
                        ? 'none'
                        : BETTER_LOW.has(column.key)
                          ? 'ascending'
                          : 'descending'
                    }
                  >
                    <button type="button" className="link" onClick={() => setSortKey(column.key)}>
                      {column.label}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr
                  key={`${row.scenario_hash}|${row.interviewer_model}|${row.simulated_user_model}`}
                >
                  <td>
                    {row.scenario_hash ? (
                      <Link to={`/results?version=${row.scenario_hash}`} title={row.scenario_hash}>
                        <code>{shortHash(row.scenario_hash)}</code>
                      </Link>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{row.interviewer_model ?? '—'}</td>
                  <td>{row.simulated_user_model ?? '—'}</td>
                  {columns.map((column) => (
                    <td key={column.key} className="numeric">
                      {column.show(row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
