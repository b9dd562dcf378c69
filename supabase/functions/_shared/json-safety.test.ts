import { describe, expect, it } from 'vitest';
import { checkJsonText, MAX_JSON_CONTAINERS, plainDigits } from './json-safety.ts';

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

describe('checkJsonText', () => {
  it('names the path through escaped keys and arrays, skipping numbers inside strings', () => {
    const text = String.raw`{"a\"b":[1,{"c":"1e999","d\\":[2,3,1e50]}]}`;
    expect(checkJsonText(text)).toEqual({
      path: 'a"b.1.d\\.2',
      message: 'number 1e50 has 51 digits written out in full; at most 40 are accepted',
    });
  });

  it('passes ordinary JSON', () => {
    expect(checkJsonText('{"x":[1,2.5,-3e-7,{"y":"9e999"}],"z":1700000000000}')).toBeNull();
  });

  it('reports a number at the root', () => {
    expect(checkJsonText('1e41')?.path).toBe('(root)');
  });

  it('refuses nesting past the depth limit before anything is parsed', () => {
    expect(checkJsonText(`{"a":${'['.repeat(100)}${']'.repeat(100)}}`)).toEqual({
      path: `a${'.0'.repeat(63)}`,
      message: 'nested deeper than 64 levels',
    });
  });

  it('refuses more objects and arrays than the limit, which would parse into a huge heap', () => {
    const many = `[${'{},'.repeat(MAX_JSON_CONTAINERS)}{}]`;
    expect(checkJsonText(many)).toEqual({
      path: '499999',
      message: 'more than 500,000 objects and arrays in the body',
    });
    expect(checkJsonText(`[${'{},'.repeat(MAX_JSON_CONTAINERS - 2)}{}]`)).toBeNull();
  });
});
