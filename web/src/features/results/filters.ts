import {
  END_REASONS,
  type EndReason,
} from '../../../../supabase/functions/_shared/run-constants.ts';

/** What the results list can be narrowed by; every field lives in the URL. */
export interface RunFilters {
  from?: string;
  to?: string;
  minTurns?: number;
  maxTurns?: number;
  endReason?: EndReason;
  q?: string;
  /** Scenario name: runs of any of its versions. */
  scenario?: string;
  /** One scenario version, by its full hash. */
  version?: string;
}

const KEYS = [
  'from',
  'to',
  'minTurns',
  'maxTurns',
  'endReason',
  'q',
  'scenario',
  'version',
] as const;

const day = (value: string | null) =>
  value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
const count = (value: string | null) => (value && /^\d+$/.test(value) ? Number(value) : undefined);

/**
 * Reads filters from the URL, dropping anything malformed rather than failing.
 * Plain parsing, no schema library: the list's loader runs in the first chunk.
 */
export function parseFilters(params: URLSearchParams): RunFilters {
  const reason = params.get('endReason');
  const q = params.get('q')?.trim().slice(0, 200);
  const scenario = params.get('scenario')?.trim().slice(0, 200);
  const version = params.get('version')?.toLowerCase();
  const filters: RunFilters = {
    from: day(params.get('from')),
    to: day(params.get('to')),
    minTurns: count(params.get('minTurns')),
    maxTurns: count(params.get('maxTurns')),
    endReason: END_REASONS.find((known) => known === reason),
    q: q || undefined,
    scenario: scenario || undefined,
    version: version && /^[0-9a-f]{64}$/.test(version) ? version : undefined,
  };
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
}

export function filtersToSearchParams(filters: RunFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = filters[key];
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  return params;
}

export function hasFilters(filters: RunFilters): boolean {
  return KEYS.some((key) => filters[key] !== undefined);
}

/** The day after `date` (YYYY-MM-DD), so a `to` date includes that whole day (UTC). */
export function nextDay(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
