import { describe, expect, it } from 'vitest';
import { alignWords, normaliseWords, wordAlignment } from './word-error-rate.ts';

const words = (text: string) => normaliseWords(text);

describe('wordAlignment', () => {
  it('lists each word in reading order: kept, replaced, lost or added', () => {
    expect(wordAlignment(words('It is 48 2210.'), words('it was 48 2210 ok'))).toEqual([
      { op: 'match', reference: 'it', heard: 'it' },
      { op: 'substitution', reference: 'is', heard: 'was' },
      { op: 'match', reference: '48', heard: '48' },
      { op: 'match', reference: '2210', heard: '2210' },
      { op: 'insertion', heard: 'ok' },
    ]);
    expect(wordAlignment(words('the lamp arrived broken'), words('the arrived broken'))).toEqual([
      { op: 'match', reference: 'the', heard: 'the' },
      { op: 'deletion', reference: 'lamp' },
      { op: 'match', reference: 'arrived', heard: 'arrived' },
      { op: 'match', reference: 'broken', heard: 'broken' },
    ]);
  });

  it('covers every word of both sides, and nothing was heard is all deletions', () => {
    expect(wordAlignment(words('yes please'), [])).toEqual([
      { op: 'deletion', reference: 'yes' },
      { op: 'deletion', reference: 'please' },
    ]);
    expect(wordAlignment([], words('uh'))).toEqual([{ op: 'insertion', heard: 'uh' }]);
    expect(wordAlignment([], [])).toEqual([]);
  });

  it('is the alignment alignWords counts', () => {
    const pairs: [string, string][] = [
      ['the lamp arrived in three pieces', 'a lamp arrived in pieces pieces too'],
      ['one two three four', 'four three two one'],
      ['order number 48 2210', 'order 48 2 2 10'],
    ];
    for (const [reference, heard] of pairs) {
      const edits = wordAlignment(words(reference), words(heard));
      const count = (op: string) => edits.filter((edit) => edit.op === op).length;
      expect(alignWords(words(reference), words(heard))).toMatchObject({
        substitutions: count('substitution'),
        deletions: count('deletion'),
        insertions: count('insertion'),
      });
      expect(edits.flatMap((edit) => ('reference' in edit ? [edit.reference] : []))).toEqual(
        words(reference),
      );
      expect(edits.flatMap((edit) => ('heard' in edit ? [edit.heard] : []))).toEqual(words(heard));
    }
  });
});
