import { formatUtc } from '@core/format.ts';
import { PRICING } from '@core/pricing.ts';
import { describeRegressionCheck, REGRESSION_METRIC_NAMES } from '@core/regressions.ts';
import { FIGURE_LABELS } from '@core/statistics.ts';
import { type DailyRow, modelsLabel, pivot } from '@data/get-daily.ts';
import { type ScenarioRegressions, scenarioVerdict } from '@data/get-regressions.ts';
import { groupByName, STALE_AFTER_DAYS, staleness } from '@data/get-scenario-versions.ts';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useScenarioVersions } from '../../data/scenarios.ts';
import { useDaily, useRegressions } from '../../data/trends.ts';
import { filtersToSearchParams } from '../../lib/run-filters.ts';

const COLORS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bc4c00', '#1b7c83'];
const DAY_OPTIONS = [30, 90, 365] as const;

interface Chart {
  title: string;
  unit: string;
  value: (row: DailyRow) => number | null;
  /** Charted only when a day had voice runs, so text scenarios' trends stay as they were. */
  voice?: boolean;
}

/** A share (0–1) as a percentage to one decimal. */
const percent = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);

const CHARTS: Chart[] = [
  {
    title: 'Runs passing all checks',
    unit: '%',
    value: (row) => percent(row.pass_rate),
  },
  {
    title: FIGURE_LABELS.median_first_audio_p50_ms,
    unit: ' ms',
    value: (row) => row.median_first_audio_p50_ms,
  },
  {
    title: FIGURE_LABELS.median_voice_to_voice_p50_ms,
    unit: ' ms',
    value: (row) => row.median_voice_to_voice_p50_ms,
    voice: true,
  },
  { title: FIGURE_LABELS.wer, unit: '%', value: (row) => percent(row.wer), voice: true },
  { title: 'Cost per run', unit: ' $', value: (row) => row.mean_cost_usd },
  { title: 'Runs', unit: '', value: (row) => row.runs },
];

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** How a scenario's pass rate, first audio and cost moved, per model pair, and what regressed. */
export function TrendsPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const scenario = params.get('scenario') ?? '';
  const days = Number(params.get('days')) || 90;
  const groups = groupByName(useScenarioVersions().data ?? []);
  const names = [...groups.keys()];
  const versions = groups.get(scenario) ?? [];
  const { stale, lastRunAt } = staleness(versions);
  const daily = useDaily(scenario, daysAgo(days));
  const regressions = useRegressions(scenario);

  const set = (changes: Record<string, string>) =>
    setParams({ ...Object.fromEntries(params), ...changes });
  const openDay = (day: unknown) => {
    if (typeof day !== 'string') return;
    navigate(`/results?${filtersToSearchParams({ scenario, from: day, to: day })}`);
  };

  return (
    <section aria-labelledby="trends-heading">
      <header className="page-header">
        <h1 id="trends-heading">Trends</h1>
      </header>
      <div className="field-row">
        <label>
          Scenario{' '}
          <select value={scenario} onChange={(event) => set({ scenario: event.target.value })}>
            <option value="">Choose a scenario…</option>
            {names.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <label>
          Period{' '}
          <select value={days} onChange={(event) => set({ days: event.target.value })}>
            {DAY_OPTIONS.map((option) => (
              <option key={option} value={option}>
                last {option} days
              </option>
            ))}
          </select>
        </label>
      </div>

      {stale && lastRunAt && (
        <p className="notice">
          No run of this scenario in {STALE_AFTER_DAYS} days (last {formatUtc(lastRunAt)}).{' '}
          <Link to={`/?scenario=${versions[0]?.scenario_hash}`}>Run again</Link>
        </p>
      )}
      {scenario && (
        <section aria-label="Regressions" className="regressions">
          {regressions.isPending ? (
            <p role="status">Checking for regressions…</p>
          ) : regressions.isError ? (
            <p role="alert" className="error">
              Could not check for regressions: {regressions.error.message}
            </p>
          ) : (
            <RegressionList result={regressions.data} />
          )}
        </section>
      )}

      {!scenario ? (
        <p className="empty">Choose a scenario to see how its runs moved over time.</p>
      ) : daily.isPending ? (
        <p role="status">Loading trends…</p>
      ) : daily.isError ? (
        <p role="alert" className="error">
          Could not load the trends: {daily.error.message}
        </p>
      ) : daily.data.length === 0 ? (
        <p className="empty">No measured runs of this scenario in the last {days} days.</p>
      ) : (
        <div className="charts">
          {CHARTS.filter(
            (chart) => !chart.voice || daily.data.some((row) => row.voice_runs > 0),
          ).map((chart) => {
            const { series, points } = pivot(daily.data, chart.value);
            return (
              <figure key={chart.title} className="chart">
                <figcaption>
                  {chart.title}
                  {chart.title === 'Cost per run' && ` (prices of ${PRICING.version})`}
                </figcaption>
                <ResponsiveContainer width="100%" height={220}>
                  <LineChart
                    data={points}
                    onClick={(state) => openDay(state?.activeLabel)}
                    margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
                  >
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="day" />
                    <YAxis unit={chart.unit} width={70} />
                    <Tooltip />
                    <Legend />
                    {series.map((name, index) => (
                      <Line
                        key={name}
                        type="monotone"
                        dataKey={name}
                        stroke={COLORS[index % COLORS.length]}
                        connectNulls
                        isAnimationActive={false}
                      />
                    ))}
                  </LineChart>
                </ResponsiveContainer>
              </figure>
            );
          })}
          <p className="muted">Click a day to list its runs.</p>
        </div>
      )}
    </section>
  );
}

/** Per model pair: each regression with its evidence, or what was compared, or why nothing was. */
function RegressionList({ result }: { result: ScenarioRegressions }) {
  const verdict = scenarioVerdict(result);
  if (verdict) {
    return <p className={result.found ? 'muted' : 'error'}>Regressions: {verdict}.</p>;
  }
  return (
    <ul>
      {result.groups.flatMap((group) => {
        const key = `${group.interviewer_model}|${group.simulated_user_model}`;
        const { check } = group;
        if (check.regressions.length === 0) {
          return [
            <li key={key} className={check.compared.length > 0 ? 'pass' : 'muted'}>
              {modelsLabel(group)}: {describeRegressionCheck(check)}.
            </li>,
          ];
        }
        return check.regressions.map((regression) => (
          <li key={`${key}|${regression.metric}`} className="fail">
            Regression in {REGRESSION_METRIC_NAMES[regression.metric]} for {modelsLabel(group)}:{' '}
            {regression.evidence}
          </li>
        ));
      })}
    </ul>
  );
}
