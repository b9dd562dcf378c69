// When the models a scenario can use stop working. OpenAI announces a shutdown
// date for every deprecated model (https://developers.openai.com/api/docs/deprecations);
// after it, requests to the model fail. The console, the runner and /compare
// warn when a scenario's model is past or near its date. Dates are compared with
// a `now` the caller passes, so nothing here reads the clock.
//
// `GET /v1/models` reports a model's `shutdown_date` too; realtime-session passes
// what OpenAI says on to the console, which takes it over this table.

export interface ModelShutdown {
  /** The day the model stops answering (YYYY-MM-DD, UTC). */
  shutdown: string;
  /** What OpenAI recommends instead, when the source names it. */
  replacement?: string;
  /** Where the date was read, and when. */
  source: string;
}

const DEPRECATIONS_2026_10_15 =
  "OpenAI's deprecations page as quoted on 2026-10-15 (dev.to/importstatic, 'Every OpenAI model shutdown date until January 2027') and 2026-10-22 (codersera.com, 'GPT-4o/GPT-4.1 API shutdown')";
const DEPRECATIONS_2026_10_28 =
  "OpenAI's deprecations page and GET /v1/models shutdown_date as quoted on 2026-10-28 (dev.to/max_bob, 'OpenAI API deprecations 2026-2027'): the legacy realtime models on 20 January 2027; Retell migrates gpt-realtime(-mini) to gpt-realtime-2.1(-mini) on 2027-01-19 (docs.retellai.com deprecation notice)";

/**
 * Announced shutdowns of the models the pricing table knows, by model id; a
 * dated snapshot without its own row takes its undated name's. Checked on
 * 2026-12-01. Models without a row have no announced shutdown that we know of.
 */
export const MODEL_SHUTDOWNS: Readonly<Record<string, ModelShutdown>> = {
  'gpt-4.1-nano': {
    shutdown: '2026-10-23',
    replacement: 'gpt-5.6-luna',
    source: DEPRECATIONS_2026_10_15,
  },
  'gpt-4.1': { shutdown: '2027-01-14', replacement: 'gpt-6-luna', source: DEPRECATIONS_2026_10_15 },
  'gpt-4.1-mini': {
    shutdown: '2027-01-14',
    replacement: 'gpt-6-luna',
    source: DEPRECATIONS_2026_10_15,
  },
  'gpt-4o-mini': {
    shutdown: '2027-01-14',
    replacement: 'gpt-6-luna',
    source: DEPRECATIONS_2026_10_15,
  },
  'gpt-realtime': {
    shutdown: '2027-01-20',
    replacement: 'gpt-realtime-2.1',
    source: DEPRECATIONS_2026_10_28,
  },
  'gpt-realtime-mini': {
    shutdown: '2027-01-20',
    replacement: 'gpt-realtime-2.1-mini',
    source: DEPRECATIONS_2026_10_28,
  },
};

/** Warn this many days before a shutdown. */
export const SHUTDOWN_WARNING_DAYS = 90;

/** A model's shutdown as the caller knows it: this table, or what `GET /v1/models` said. */
export type ShutdownDates = Readonly<Record<string, string | null>>;

export interface ModelLifecycleWarning {
  model: string;
  /** YYYY-MM-DD. */
  shutdown: string;
  /** Whole days from `now` to the shutdown; zero or less once it has passed. */
  daysLeft: number;
  replacement?: string;
  message: string;
}

const DAY_MS = 86_400_000;
const undated = (model: string) => model.replace(/-\d{4}-\d{2}-\d{2}$/, '');

/**
 * The shutdown of `model` (a snapshot's own, else its undated name's): from
 * `reported` (GET /v1/models, which wins; null there means none announced) or
 * from the table.
 */
export function shutdownOf(
  model: string,
  reported: ShutdownDates = {},
): Pick<ModelShutdown, 'shutdown' | 'replacement'> | undefined {
  for (const id of [model, undated(model)]) {
    if (id in reported) {
      const date = reported[id];
      return date ? { shutdown: date, replacement: MODEL_SHUTDOWNS[id]?.replacement } : undefined;
    }
    if (MODEL_SHUTDOWNS[id]) return MODEL_SHUTDOWNS[id];
  }
  return undefined;
}

/**
 * A warning when `model` shuts down within `warnDays` of `now` or already has;
 * null otherwise. A shutdown date is a UTC day: the model is gone from its start.
 */
export function modelLifecycleWarning(
  model: string,
  now: Date,
  options: { reported?: ShutdownDates; warnDays?: number } = {},
): ModelLifecycleWarning | null {
  const known = shutdownOf(model, options.reported);
  if (!known) return null;
  const shutdownMs = Date.parse(`${known.shutdown}T00:00:00Z`);
  if (Number.isNaN(shutdownMs)) return null;
  const daysLeft = Math.ceil((shutdownMs - now.getTime()) / DAY_MS);
  if (daysLeft > (options.warnDays ?? SHUTDOWN_WARNING_DAYS)) return null;
  const instead = known.replacement ? `; OpenAI recommends ${known.replacement}` : '';
  const message =
    daysLeft <= 0
      ? `${model} was shut down on ${known.shutdown}: OpenAI no longer serves it${instead}`
      : `${model} shuts down on ${known.shutdown} (in ${daysLeft} day${daysLeft === 1 ? '' : 's'})${instead}`;
  return { model, shutdown: known.shutdown, daysLeft, replacement: known.replacement, message };
}

/** The warnings for every distinct model of `models` (a scenario's interviewer and simulated user). */
export function modelsLifecycleWarnings(
  models: ReadonlyArray<string | null | undefined>,
  now: Date,
  options: { reported?: ShutdownDates; warnDays?: number } = {},
): ModelLifecycleWarning[] {
  const distinct = [...new Set(models.filter((m): m is string => Boolean(m)))];
  return distinct
    .map((model) => modelLifecycleWarning(model, now, options))
    .filter((w): w is ModelLifecycleWarning => w !== null);
}
