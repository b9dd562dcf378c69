import { END_REASON_LABELS } from '@core/format.ts';
import { END_REASONS, MAX_TURNS } from '@core/run-constants.ts';
import type { RunFilters } from '@data/run-filters.ts';

export const FILTER_KEYS = [
  'from',
  'to',
  'minTurns',
  'maxTurns',
  'endReason',
  'q',
  'scenario',
  'version',
] as const satisfies ReadonlyArray<keyof RunFilters>;

export type FilterKey = (typeof FILTER_KEYS)[number];
/** Each filter as text: what the URL holds or the form has typed. */
export type FilterInput = Record<FilterKey, string>;
/** What is wrong with a filter value, by field. */
export type FilterErrors = Partial<Record<FilterKey, string>>;

/** The form's label of each filter, so messages name the field the user sees. */
export const FILTER_LABELS: Record<FilterKey, string> = {
  from: 'From',
  to: 'To',
  minTurns: 'Min turns',
  maxTurns: 'Max turns',
  endReason: 'Ended by',
  q: 'Transcript contains',
  scenario: 'Scenario',
  version: 'Version',
};

const MAX_FILTER_TEXT = 200;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last of this one; setUTCFullYear keeps years below 100 as given.
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/** Why `value` is not a calendar day as YYYY-MM-DD, or null when it is one. */
export function dayError(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return `“${value}” is not a date: use YYYY-MM-DD`;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1) return `“${value}” is not a date: there is no year 0`;
  if (month < 1 || month > 12) return `“${value}” is not a date: there is no month ${month}`;
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) {
    return `“${value}” is not a date: ${MONTHS[month - 1]} ${year} has ${days} days`;
  }
  return null;
}

function turnsError(value: string): string | null {
  if (!/^\d+$/.test(value)) return `“${value}” is not a whole number of turns`;
  if (Number(value) > MAX_TURNS) {
    return `${value} is more turns than a run can have (${MAX_TURNS.toLocaleString('en')})`;
  }
  return null;
}

function textError(value: string): string | null {
  if (value.length > MAX_FILTER_TEXT) return `longer than ${MAX_FILTER_TEXT} characters`;
  // Postgres text cannot hold U+0000: it would come back as a database error.
  if (value.includes('\u0000')) return 'contains a NUL character';
  return null;
}

/**
 * Each search word adds to what Postgres checks in every candidate run (a
 * negated phrase is checked in every run): a search is a few words.
 */
const MAX_SEARCH_WORDS = 16;

function searchError(value: string): string | null {
  const words = value.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0;
  return words > MAX_SEARCH_WORDS
    ? `${words} words: a search takes at most ${MAX_SEARCH_WORDS}`
    : null;
}

const quoteShort = (value: string) => `“${value.length > 40 ? `${value.slice(0, 40)}…` : value}”`;

/**
 * Checks every filter: the valid ones become `filters`, each bad one an error
 * naming what is wrong. Empty fields are no filter. The same rules apply to a
 * shared URL and to the form, so what the form accepts the URL keeps.
 * Plain code, no schema library: the list's loader runs in the first chunk.
 */
export function validateFilters(input: Partial<FilterInput>): {
  filters: RunFilters;
  errors: FilterErrors;
} {
  const filters: RunFilters = {};
  const errors: FilterErrors = {};
  const text = (key: FilterKey) => input[key]?.trim() ?? '';

  for (const key of ['from', 'to'] as const) {
    const value = text(key);
    if (!value) continue;
    const error = dayError(value);
    if (error) errors[key] = error;
    else filters[key] = value;
  }
  if (filters.from && filters.to && filters.to < filters.from) {
    errors.to = `${filters.to} is before From (${filters.from})`;
    delete filters.to;
  }

  for (const key of ['minTurns', 'maxTurns'] as const) {
    const value = text(key);
    if (!value) continue;
    const error = turnsError(value);
    if (error) errors[key] = error;
    else filters[key] = Number(value);
  }
  if (
    filters.minTurns !== undefined &&
    filters.maxTurns !== undefined &&
    filters.maxTurns < filters.minTurns
  ) {
    errors.maxTurns = `${filters.maxTurns} is less than Min turns (${filters.minTurns})`;
    delete filters.maxTurns;
  }

  const reason = text('endReason');
  if (reason) {
    const known = END_REASONS.find((candidate) => candidate === reason);
    if (known) filters.endReason = known;
    else {
      const expected = END_REASONS.map((r) => `${r} (${END_REASON_LABELS[r]})`).join(', ');
      errors.endReason = `${quoteShort(reason)} is not an end reason: use one of ${expected}`;
    }
  }

  for (const key of ['q', 'scenario'] as const) {
    const value = text(key);
    if (!value) continue;
    const error = textError(value) ?? (key === 'q' ? searchError(value) : null);
    if (error) errors[key] = error;
    else filters[key] = value;
  }

  const version = text('version').toLowerCase();
  if (version) {
    if (/^[0-9a-f]{64}$/.test(version)) filters.version = version;
    else {
      errors.version = `${quoteShort(text('version'))} is not a scenario version: a version is 64 hex digits`;
    }
  }
  return { filters, errors };
}

/** The filters in a URL as text, one field each (missing ones empty). */
function filterInputFromSearchParams(params: URLSearchParams): FilterInput {
  return Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? ''])) as FilterInput;
}

export function filterInputFromFilters(filters: RunFilters): FilterInput {
  return Object.fromEntries(
    FILTER_KEYS.map((key) => [key, filters[key] === undefined ? '' : String(filters[key])]),
  ) as FilterInput;
}

/**
 * Reads the filters of a URL: the valid ones to query with, and an error for
 * each bad value, so the page can say what it did not apply.
 */
export function readFilters(params: URLSearchParams): {
  filters: RunFilters;
  errors: FilterErrors;
  input: FilterInput;
} {
  const raw = filterInputFromSearchParams(params);
  const { filters, errors } = validateFilters(raw);
  // Valid values in their normal form (trimmed, lower-case hash); bad ones as the URL has them.
  const input = filterInputFromFilters(filters);
  for (const key of FILTER_KEYS) if (errors[key]) input[key] = raw[key];
  return { filters, errors, input };
}

/** The valid filters of a URL (bad values are left out; `readFilters` says why). */
export function parseFilters(params: URLSearchParams): RunFilters {
  return readFilters(params).filters;
}

export function filtersToSearchParams(filters: RunFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  return params;
}

export function hasFilters(filters: RunFilters): boolean {
  return FILTER_KEYS.some((key) => filters[key] !== undefined);
}
