import { modelsLifecycleWarnings, type ShutdownDates } from '@core/model-lifecycle.ts';

interface Props {
  /** The models in use (a scenario's interviewer and simulated user, or a comparison's). */
  models: ReadonlyArray<string | null | undefined>;
  /** Shutdown dates OpenAI reported (GET /v1/models through realtime-session), over the table's. */
  reported?: ShutdownDates;
  /** The day to compare with; the current time unless given. */
  now?: Date;
}

/** Says which of `models` OpenAI has shut down or shuts down within 90 days; nothing otherwise. */
export function ModelLifecycleNotice({ models, reported, now = new Date() }: Props) {
  const warnings = modelsLifecycleWarnings(models, now, { reported });
  if (warnings.length === 0) return null;
  return (
    <div className="notice warning" role="status" aria-label="Model shutdowns">
      <ul className="model-shutdowns">
        {warnings.map((warning) => (
          <li key={warning.model}>{warning.message}</li>
        ))}
      </ul>
    </div>
  );
}
