import { describe, expect, it } from 'vitest';
import { isDataError } from './db-errors.ts';

describe('isDataError', () => {
  it.each([
    ['22008', 'datetime field overflow'],
    ['22P02', 'invalid text representation'],
    ['23505', 'unique violation'],
    ['54000', 'program limit exceeded (a value too large for a tsvector)'],
  ])('counts %s (%s) as the row at fault: retrying cannot help', (code, _what) => {
    expect(isDataError(Object.assign(new Error('x'), { code }))).toBe(true);
  });

  it.each([
    ['57014', 'statement cancelled'],
    ['53300', 'too many connections'],
    ['08006', 'connection failure'],
    [undefined, 'no code (network error)'],
  ])('counts %s (%s) as the database being unavailable', (code, _what) => {
    expect(isDataError(Object.assign(new Error('x'), { code }))).toBe(false);
  });
});
