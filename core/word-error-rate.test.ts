import { describe, expect, it } from 'vitest';
import { alignWords, normaliseWords, totalWordErrors, wordErrors } from './word-error-rate.ts';

describe('normaliseWords', () => {
  it('ignores case, punctuation and whitespace', () => {
    expect(normaliseWords('  Hello,   World!\nHow are YOU?  ')).toEqual([
      'hello',
      'world',
      'how',
      'are',
      'you',
    ]);
  });

  it('keeps apostrophes inside words, whatever their glyph, and drops quotes around them', () => {
    expect(normaliseWords("I don’t know what 'quote' means, it's the lads' car")).toEqual([
      'i',
      "don't",
      'know',
      'what',
      'quote',
      'means',
      "it's",
      'the',
      'lads',
      'car',
    ]);
    expect(normaliseWords("don't")).not.toEqual(normaliseWords('do not'));
  });

  it('breaks words at hyphens and keeps numbers as written', () => {
    expect(normaliseWords('Order 48-2210, a well-known store.')).toEqual([
      'order',
      '48',
      '2210',
      'a',
      'well',
      'known',
      'store',
    ]);
    expect(normaliseWords('It cost 1,000 dollars, or 3.5 each. Done.')).toEqual([
      'it',
      'cost',
      '1000',
      'dollars',
      'or',
      '3.5',
      'each',
      'done',
    ]);
    expect(normaliseWords('forty-eight')).not.toEqual(normaliseWords('48'));
  });

  it('gives no words for empty or punctuation-only text', () => {
    expect(normaliseWords('')).toEqual([]);
    expect(normaliseWords(' ... — !? ')).toEqual([]);
  });
});

describe('wordErrors', () => {
  it('is zero for the same words written differently', () => {
    expect(wordErrors('My order number is 48-2210.', 'my Order number is 48 2210')).toEqual({
      substitutions: 0,
      deletions: 0,
      insertions: 0,
      reference_words: 6,
      rate: 0,
    });
  });

  it('counts substitutions, deletions and insertions of the minimal alignment', () => {
    expect(wordErrors('the parcel arrived damaged', 'the parcel arrives damaged')).toMatchObject({
      substitutions: 1,
      deletions: 0,
      insertions: 0,
      rate: 0.25,
    });
    expect(wordErrors('the parcel arrived damaged', 'parcel damaged')).toMatchObject({
      substitutions: 0,
      deletions: 2,
      insertions: 0,
      rate: 0.5,
    });
    expect(wordErrors('yes please', 'uh yes please now')).toMatchObject({
      substitutions: 0,
      deletions: 0,
      insertions: 2,
      rate: 1,
    });
    // kitten → sitting at word level: two substitutions and one insertion.
    expect(alignWords(['k', 'i', 't', 't', 'e', 'n'], ['s', 'i', 't', 't', 'i', 'n', 'g'])).toEqual(
      {
        substitutions: 2,
        deletions: 0,
        insertions: 1,
        reference_words: 6,
        rate: 0.5,
      },
    );
  });

  it('splits ties the same way every time: a substitution before a deletion plus an insertion', () => {
    expect(alignWords(['a', 'b'], ['b', 'c'])).toMatchObject({
      substitutions: 2,
      deletions: 0,
      insertions: 0,
    });
  });

  it('may exceed 1 when more is heard than was said', () => {
    expect(wordErrors('no', 'oh no no no')).toMatchObject({ insertions: 3, rate: 3 });
  });

  it('counts every word as deleted when nothing was heard', () => {
    expect(wordErrors('it is broken', '')).toMatchObject({ deletions: 3, rate: 1 });
  });

  it('has no rate without reference words, but still counts what was heard', () => {
    expect(wordErrors('', 'hello')).toEqual({
      substitutions: 0,
      deletions: 0,
      insertions: 1,
      reference_words: 0,
      rate: null,
    });
    expect(wordErrors('…', '')).toMatchObject({ reference_words: 0, rate: null });
  });
});

describe('totalWordErrors', () => {
  it('divides all errors by all reference words, not the mean of the turn rates', () => {
    const short = wordErrors('yes please', 'yes peas'); // 1 of 2: 0.5
    const long = wordErrors(
      'the parcel arrived yesterday and the lamp inside was broken in two',
      'the parcel arrived yesterday and the lamp inside was broken in two',
    ); // 0 of 12
    const total = totalWordErrors([short, long]);
    expect(total).toEqual({
      substitutions: 1,
      deletions: 0,
      insertions: 0,
      reference_words: 14,
      rate: 1 / 14,
    });
    expect(total?.rate).not.toBe(((short.rate as number) + (long.rate as number)) / 2);
  });

  it('is null for no utterances and has no rate when none had words', () => {
    expect(totalWordErrors([])).toBeNull();
    expect(totalWordErrors([wordErrors('', 'uh')])?.rate).toBeNull();
  });
});
