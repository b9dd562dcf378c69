import type { EndReason } from '@core/run-constants.ts';

/** What the results list can be narrowed by; every field lives in the URL. */
export interface RunFilters {
  /** First UTC day included (YYYY-MM-DD). */
  from?: string;
  /** Last UTC day included (YYYY-MM-DD). */
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

/** The day after `date` (YYYY-MM-DD), so a `to` date includes that whole day (UTC). */
export function nextDay(date: string): string {
  const next = new Date(0);
  next.setUTCFullYear(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)) - 1,
    Number(date.slice(8, 10)) + 1,
  );
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(next.getUTCFullYear(), 4)}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}
