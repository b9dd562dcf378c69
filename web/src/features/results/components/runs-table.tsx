import {
  END_REASON_LABELS,
  formatCost,
  formatDuration,
  formatErrorRate,
  formatLatency,
  formatUtc,
} from '@core/format.ts';
import { PRICING } from '@core/pricing.ts';
import { shortHash } from '@core/run-constants.ts';
import type { RunListItem, RunListMetrics } from '@data/get-runs.ts';
import { Link, useNavigate } from 'react-router-dom';
import { CopyButton } from '../../../components/copy-button.tsx';

export const MAX_COMPARED_RUNS = 4;

interface Props {
  runs: RunListItem[];
  /** Runs ticked for /compare, and how to tick one. */
  selected: ReadonlySet<string>;
  onToggle(runId: string): void;
}

/** Every voice run has false_end_of_turns (0 or more); a text run has none. */
const isVoiceRun = (metrics: RunListMetrics | null) =>
  metrics !== null && metrics.false_end_of_turns !== null;

export function RunsTable({ runs, selected, onToggle }: Props) {
  const navigate = useNavigate();
  // The voice columns only when a listed run is a voice run: text-only lists stay as they were.
  const voice = runs.some((run) => isVoiceRun(run.metrics));
  return (
    <table className="runs-table">
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Compare</span>
          </th>
          <th scope="col">Run ID</th>
          <th scope="col">Created (UTC)</th>
          <th scope="col" className="numeric">
            Turns
          </th>
          <th scope="col">Scenario</th>
          <th scope="col">Ended by</th>
          <th scope="col" title="The interviewer's model">
            Model
          </th>
          <th scope="col" className="numeric">
            Duration
          </th>
          <th
            scope="col"
            className="numeric"
            title="Median time from a turn request to first audio"
          >
            First audio
          </th>
          {voice && (
            <>
              <th
                scope="col"
                className="numeric"
                title="Voice runs: median time from the end of the user's speech to the interviewer's first audio"
              >
                Voice to voice
              </th>
              <th
                scope="col"
                className="numeric"
                title="Voice runs: word error rate of what the interviewer heard, all errors over all words said"
              >
                WER
              </th>
            </>
          )}
          <th scope="col" className="numeric">
            Checks
          </th>
          <th scope="col" className="numeric" title={`At the prices of ${PRICING.version}`}>
            Cost
          </th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr
            key={run.run_id}
            className="clickable"
            onClick={() => navigate(`/results/${run.run_id}`)}
          >
            <td>
              <input
                type="checkbox"
                aria-label={`Compare run ${run.run_id.slice(0, 8)}`}
                checked={selected.has(run.run_id)}
                disabled={!selected.has(run.run_id) && selected.size >= MAX_COMPARED_RUNS}
                onClick={(event) => event.stopPropagation()}
                onChange={() => onToggle(run.run_id)}
              />
            </td>
            <td>
              <Link
                to={`/results/${run.run_id}`}
                title={run.run_id}
                onClick={(event) => event.stopPropagation()}
              >
                <code className="run-id">{run.run_id.slice(0, 8)}</code>
              </Link>{' '}
              <CopyButton text={run.run_id} label="Copy ID" />
            </td>
            <td>
              <time dateTime={run.created_at}>{formatUtc(run.created_at)}</time>
            </td>
            <td className="numeric">{run.num_turns ?? 0}</td>
            <td>
              {run.scenario ? (
                <>
                  {run.scenario.name}{' '}
                  <code className="scenario-hash" title={run.scenario_hash ?? undefined}>
                    {shortHash(run.scenario_hash ?? '')}
                  </code>
                </>
              ) : (
                '—'
              )}
            </td>
            <td>{END_REASON_LABELS[run.end_reason] ?? run.end_reason}</td>
            <td>{run.metrics?.interviewer_model ?? '—'}</td>
            <td className="numeric">{formatDuration(run.duration_ms)}</td>
            <td className="numeric">{formatLatency(run.metrics?.first_audio_p50_ms)}</td>
            {voice && (
              <>
                <td className="numeric">{formatLatency(run.metrics?.voice_to_voice_p50_ms)}</td>
                <td className="numeric">{formatErrorRate(run.metrics?.wer)}</td>
              </>
            )}
            <td className="numeric">
              {run.metrics?.checks_total ? (
                <span
                  className={
                    run.metrics.checks_passed === run.metrics.checks_total ? 'pass' : 'fail'
                  }
                >
                  {run.metrics.checks_passed}/{run.metrics.checks_total}
                </span>
              ) : (
                '—'
              )}
            </td>
            <td
              className="numeric"
              title={
                run.metrics && run.metrics.cost_usd === null
                  ? 'Not priced: a model of this run is not in the pricing table, or a use is not reported in tokens'
                  : undefined
              }
            >
              {formatCost(run.metrics?.cost_usd)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
