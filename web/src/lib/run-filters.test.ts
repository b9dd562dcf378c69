import { nextDay } from '@data/run-filters.ts';
import { describe, expect, it } from 'vitest';
import { dayError, readFilters, validateFilters } from './run-filters.ts';

const read = (query: string) => readFilters(new URLSearchParams(query));

describe('run filters', () => {
  it('accepts real calendar days only, leap years included', () => {
    for (const day of ['2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01', '9999-12-31']) {
      expect(dayError(day), day).toBeNull();
    }
    expect(dayError('2026-02-29')).toBe('“2026-02-29” is not a date: February 2026 has 28 days');
    expect(dayError('1900-02-29')).toBe('“1900-02-29” is not a date: February 1900 has 28 days');
    expect(dayError('2026-02-30')).toBe('“2026-02-30” is not a date: February 2026 has 28 days');
    expect(dayError('2026-04-31')).toBe('“2026-04-31” is not a date: April 2026 has 30 days');
    expect(dayError('2026-13-45')).toBe('“2026-13-45” is not a date: there is no month 13');
    expect(dayError('2026-00-10')).toBe('“2026-00-10” is not a date: there is no month 0');
    expect(dayError('2026-01-00')).toBe('“2026-01-00” is not a date: January 2026 has 31 days');
    expect(dayError('0000-01-01')).toBe('“0000-01-01” is not a date: there is no year 0');
    for (const bad of ['garbage', '2026-1-5', '20260105', '2026-01-05T00:00:00Z', ' ']) {
      expect(dayError(bad)).toBe(`“${bad}” is not a date: use YYYY-MM-DD`);
    }
  });

  it('gives the next UTC day for an inclusive end, across months, leap days and years', () => {
    expect(nextDay('2026-11-20')).toBe('2026-11-21');
    expect(nextDay('2024-02-28')).toBe('2024-02-29');
    expect(nextDay('2026-02-28')).toBe('2026-03-01');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('0099-12-31')).toBe('0100-01-01');
  });

  it('takes a search of up to 16 words and names a longer one', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
    expect(read(`q=${encodeURIComponent(words(16))}`).filters.q).toBe(words(16));
    const long = read(`q=${encodeURIComponent(`-"${words(17)}"`)}`);
    expect(long.filters).toEqual({});
    expect(long.errors).toEqual({ q: '17 words: a search takes at most 16' });
    // Commas and hyphens separate words for the search as much as spaces do.
    expect(read(`q=${Array.from({ length: 40 }, () => 'a').join(',')}`).errors.q).toBe(
      '40 words: a search takes at most 16',
    );
  });

  it('keeps the valid filters of a URL and names what is wrong with each bad one', () => {
    const { filters, errors, input } = read(
      `from=garbage&to=2026-13-45&minTurns=oops&maxTurns=3&endReason=bogus&version=xyz&q=${'a'.repeat(201)}&scenario=%00`,
    );
    expect(filters).toEqual({ maxTurns: 3 });
    expect(errors).toEqual({
      from: '“garbage” is not a date: use YYYY-MM-DD',
      to: '“2026-13-45” is not a date: there is no month 13',
      minTurns: '“oops” is not a whole number of turns',
      endReason:
        '“bogus” is not an end reason: use one of termination_cue (Termination cue), user_ended (Ended by user), max_turns (Turn limit), error (Error)',
      version: '“xyz” is not a scenario version: a version is 64 hex digits',
      q: 'longer than 200 characters',
      scenario: 'contains a NUL character',
    });
    // The form shows bad values as the URL has them.
    expect(input).toMatchObject({ from: 'garbage', to: '2026-13-45', minTurns: 'oops' });
  });

  it('checks ranges: an end before its start and more turns than a run can hold', () => {
    expect(read('from=2026-11-20&to=2026-11-19').errors).toEqual({
      to: '2026-11-19 is before From (2026-11-20)',
    });
    expect(read('minTurns=9&maxTurns=4')).toMatchObject({
      filters: { minTurns: 9 },
      errors: { maxTurns: '4 is less than Min turns (9)' },
    });
    expect(read('maxTurns=99999999999999999999').errors).toEqual({
      maxTurns: '99999999999999999999 is more turns than a run can have (10,000)',
    });
    expect(read('minTurns=-1').errors.minTurns).toBe('“-1” is not a whole number of turns');
  });

  it('normalises good values and treats empty ones as no filter', () => {
    const hash = 'AB'.repeat(32);
    const { filters, errors, input } = read(
      `from=&to=+2026-11-20+&q=++notebook++&version=${hash}&endReason=`,
    );
    expect(errors).toEqual({});
    expect(filters).toEqual({ to: '2026-11-20', q: 'notebook', version: hash.toLowerCase() });
    expect(input.version).toBe(hash.toLowerCase());
    expect(validateFilters({}).filters).toEqual({});
  });
});
