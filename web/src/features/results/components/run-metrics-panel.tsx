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

type TokenCounts = StoredRunMetrics['tokens']['interviewer'];

const hasTokens = (tokens: TokenCounts | undefined) =>
  Boolean(tokens && Object.values(tokens).some((n) => n > 0));

/**
 * The columns of the tokens table: the interviewer and the simulated user's
 * text model always; its speech and the interviewer's input transcription
 * where they used tokens (an OpenAI voice run; the offline voice uses none).
 */
function tokenColumns(metrics: StoredRunMetrics) {
  const { tokens } = metrics;
  const columns: Array<{ label: string; model: string | null; tokens: TokenCounts }> = [
    { label: 'Interviewer', model: metrics.interviewer_model, tokens: tokens.interviewer },
    { label: 'Simulated user', model: metrics.simulated_user_model, tokens: tokens.simulated_user },
  ];
  const voice = [
    { label: 'Speech', model: tokens.voice_models?.speech ?? null, tokens: tokens.speech },
    {
      label: 'Transcription',
      model: tokens.voice_models?.transcription ?? null,
      tokens: tokens.transcription,
    },
  ];
  for (const column of voice) {
    if (column.tokens && hasTokens(column.tokens))
      columns.push({ ...column, tokens: column.tokens });
  }
  return columns;
}

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
  const columns = tokenColumns(metrics);
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
          <dd title={columns.map((column) => column.model ?? '?').join(' + ')}>
            {formatCost(metrics.cost_usd)}{' '}
            <span className="muted">(prices of {metrics.pricing_version})</span>
            {metrics.cost_usd === null && (
              <span className="muted">
                {' '}
                — a model is not in the pricing table, or a use is not reported in tokens
              </span>
            )}
          </dd>
        </div>
      </dl>
      <table className="tokens">
        <caption>Tokens ({metrics.total_tokens.toLocaleString('en-US')} in all)</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            {columns.map((column) => (
              <th key={column.label} scope="col" className="numeric">
                {column.label} ({column.model ?? 'unknown'})
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {TOKEN_KINDS.map(([key, label]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              {columns.map((column) => (
                <td key={column.label} className="numeric">
                  {column.tokens[key].toLocaleString('en-US')}
                </td>
              ))}
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
