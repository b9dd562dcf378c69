import { describe, expect, it } from 'vitest';
import { formatBytes, formatWer } from './format.ts';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [14_230, '14.2 kB'],
    [1_849_000, '1.8 MB'],
  ])('shows %d bytes as %s', (bytes, shown) => {
    expect(formatBytes(bytes)).toBe(shown);
  });
});

describe('formatWer', () => {
  it.each([
    [
      { substitutions: 1, deletions: 1, insertions: 0, reference_words: 8, rate: 0.25 },
      '25% (2 of 8 words)',
    ],
    [
      { substitutions: 0, deletions: 4, insertions: 0, reference_words: 13, rate: 4 / 13 },
      '30.8% (4 of 13 words)',
    ],
    [
      { substitutions: 0, deletions: 0, insertions: 0, reference_words: 1, rate: 0 },
      '0% (0 of 1 word)',
    ],
    [null, '—'],
  ] as const)('shows %j as %s', (errors, shown) => {
    expect(formatWer(errors)).toBe(shown);
  });
});
