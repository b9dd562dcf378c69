import { formatCost, formatLatency } from '@core/format.ts';
import { PRICING } from '@core/pricing.ts';
import { FIGURE_LABELS } from '@core/statistics.ts';
import type { StoredRunMetrics } from '@data/get-run.ts';

const TOKEN_KINDS = [
  ['textInput', 'Text in'],
  ['textCachedInput', 'Text in, cached'],
  ['textOutput', 'Text out'],
  ['audioInput', 'Audio in'],
  ['audioCachedInput', 'Audio in, cached'],
  ['audioOutput', 'Audio out'],
] as const;

/** How fast the interviewer answered, what the run cost, and whether it passed its checks. */
export function RunMetricsPanel({ metrics }: { metrics: StoredRunMetrics | null }) {
  if (!metrics) {
    return (
      <section aria-labelledby="metrics-heading" className="run-metrics">
        <h2 id="metrics-heading">Metrics</h2>
        <p className="muted">
          Not measured yet: run <code>npm run bench -- backfill-metrics</code>.
        </p>
      </section>
    );
  }
  const responses = [
    ['completed', metrics.responses_completed],
    ['cancelled', metrics.responses_cancelled],
    ['incomplete', metrics.responses_incomplete],
    ['failed', metrics.responses_failed],
  ] as const;
  return (
    <section aria-labelledby="metrics-heading" className="run-metrics">
      <h2 id="metrics-heading">Metrics</h2>
      <dl className="run-facts">
        <div>
          <dt>{FIGURE_LABELS.run_first_audio}</dt>
          <dd>
            {formatLatency(metrics.first_audio_p50_ms)} /{' '}
            {formatLatency(metrics.first_audio_p95_ms)}
          </dd>
        </div>
        <div>
          <dt>{FIGURE_LABELS.run_first_text}</dt>
          <dd>
            {formatLatency(metrics.first_text_p50_ms)} / {formatLatency(metrics.first_text_p95_ms)}
          </dd>
        </div>
        <div>
          <dt>Interviewer responses</dt>
          <dd>
            {responses
              .filter(([, count]) => count > 0)
              .map(([status, count]) => `${count} ${status}`)
              .join(', ') || 'none'}
          </dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd
            title={`${metrics.interviewer_model ?? '?'} + ${metrics.simulated_user_model ?? '?'}`}
          >
            {formatCost(metrics.cost_usd)}{' '}
            <span className="muted">(prices of {metrics.pricing_version})</span>
            {metrics.cost_usd === null && (
              <span className="muted"> — a model is not in the pricing table</span>
            )}
          </dd>
        </div>
      </dl>
      <table className="tokens">
        <caption>Tokens ({metrics.total_tokens.toLocaleString('en-US')} in all)</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col" className="numeric">
              Interviewer ({metrics.interviewer_model ?? 'unknown'})
            </th>
            <th scope="col" className="numeric">
              Simulated user ({metrics.simulated_user_model ?? 'unknown'})
            </th>
          </tr>
        </thead>
        <tbody>
          {TOKEN_KINDS.map(([key, label]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              <td className="numeric">{metrics.tokens.interviewer[key].toLocaleString('en-US')}</td>
              <td className="numeric">
                {metrics.tokens.simulated_user[key].toLocaleString('en-US')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {metrics.responses_without_usage > 0 && (
        <p className="muted">
          {metrics.responses_without_usage} responses reported no usage; their tokens are not
          counted.
        </p>
      )}
      {metrics.checks_total > 0 && (
        <>
          <h3>
            Checks: {metrics.checks_passed}/{metrics.checks_total} passed
          </h3>
          <ul className="checks">
            {metrics.checks.map((check) => (
              <li key={check.check} className={check.passed ? 'pass' : 'fail'}>
                {check.passed ? '✓' : '✗'} <code>{check.check}</code> — {check.detail}
              </li>
            ))}
          </ul>
        </>
      )}
      {PRICING.version !== metrics.pricing_version && (
        <p className="muted">
          Prices have changed since ({PRICING.version}); recompute with{' '}
          <code>npm run bench -- backfill-metrics --all</code>.
        </p>
      )}
    </section>
  );
}
