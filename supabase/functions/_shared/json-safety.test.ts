import { describe, expect, it } from 'vitest';
import { findOversizedNumber, plainDigits } from './json-safety.ts';

describe('plainDigits', () => {
  it.each([
    ['0', 1],
    ['-0', 1],
    ['100', 3],
    ['1E2', 3],
    ['1.5e3', 4],
    ['1.50', 3],
    ['0.001', 4],
    ['1e-3', 4],
    ['0.5e1', 1],
    ['1.50e1', 3],
    ['0.000', 4],
    ['1e131071', 131072],
    ['1e-30', 31],
    ['1e99999999999', Number.POSITIVE_INFINITY],
  ])('%s is %d digits as Postgres writes it', (literal, digits) => {
    expect(plainDigits(literal)).toBe(digits);
  });
});

describe('findOversizedNumber', () => {
  it('names the path through escaped keys and arrays, skipping numbers inside strings', () => {
    const text = String.raw`{"a\"b":[1,{"c":"1e999","d\\":[2,3,1e50]}]}`;
    expect(findOversizedNumber(text)).toEqual({
      path: 'a"b.1.d\\.2',
      message: 'number 1e50 has 51 digits written out in full; at most 40 are accepted',
    });
  });

  it('passes ordinary JSON', () => {
    expect(findOversizedNumber('{"x":[1,2.5,-3e-7,{"y":"9e999"}],"z":1700000000000}')).toBeNull();
  });

  it('reports a number at the root', () => {
    expect(findOversizedNumber('1e41')?.path).toBe('(root)');
  });
});
