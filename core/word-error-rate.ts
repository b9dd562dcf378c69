/**
 * The one definition of word error rate (WER): what the interviewer heard (its
 * input transcription) against what the simulated user said. docs/metrics.md
 * says the same in words.
 */

/** The edits that turn the reference words into the heard words, and their rate. */
export interface WordErrors {
  substitutions: number;
  deletions: number;
  insertions: number;
  /** Words of the reference after normalisation: the rate's denominator. */
  reference_words: number;
  /** (S + D + I) / reference words; may exceed 1; null when the reference has no words. */
  rate: number | null;
}

const APOSTROPHES = /[\u2018\u2019\u02bc\uff07`]/g;
/** A comma or period between two digits belongs to the number (1,000 · 3.5). */
const DIGIT_COMMA = /(?<=\p{Nd}),(?=\p{Nd})/gu;
const NOT_WORD = /[^\p{L}\p{M}\p{N}'.]+/gu;

/**
 * Words compared by WER: Unicode NFKC, lower case, punctuation and hyphens as
 * word breaks, whitespace collapsed. Apostrophes inside a word are kept
 * (`don't` stays one word, and is not `do not`); quotes around a word are
 * dropped. Numbers are compared as written: `1,000` is `1000` and `3.5` stays
 * `3.5`, but digits and number words differ (`48` is not `forty-eight`).
 */
export function normaliseWords(text: string): string[] {
  const cleaned = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(APOSTROPHES, "'")
    .replace(DIGIT_COMMA, '')
    .replace(NOT_WORD, ' ');
  const words: string[] = [];
  for (const raw of cleaned.split(' ')) {
    // A period is kept only between digits (3.5); elsewhere it ends a sentence or an abbreviation.
    for (const part of raw.split(/(?<!\p{Nd})\.|\.(?!\p{Nd})/u)) {
      const word = part.replace(/^'+|'+$/g, '');
      if (word) words.push(word);
    }
  }
  return words;
}

/**
 * Word-level Levenshtein alignment of `heard` against `reference` (both
 * normalised here). The total of edits is the minimum; the split between
 * substitutions, deletions and insertions is made deterministic by tracing the
 * alignment back from the end taking a match or substitution before a
 * deletion, and a deletion before an insertion.
 */
export function wordErrors(reference: string, heard: string): WordErrors {
  return alignWords(normaliseWords(reference), normaliseWords(heard));
}

export function alignWords(reference: readonly string[], heard: readonly string[]): WordErrors {
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  for (const edit of wordAlignment(reference, heard)) {
    if (edit.op === 'substitution') substitutions++;
    else if (edit.op === 'deletion') deletions++;
    else if (edit.op === 'insertion') insertions++;
  }
  return errorRate({ substitutions, deletions, insertions, reference_words: reference.length });
}

/** One step of the alignment: a reference word kept, replaced or lost, or a heard word added. */
export type WordEdit =
  | { op: 'match'; reference: string; heard: string }
  | { op: 'substitution'; reference: string; heard: string }
  | { op: 'deletion'; reference: string }
  | { op: 'insertion'; heard: string };

/**
 * The alignment `alignWords` counts, word by word in reading order: what a
 * page shows to mark which words were misheard, lost or added.
 */
export function wordAlignment(reference: readonly string[], heard: readonly string[]): WordEdit[] {
  const rows = reference.length;
  const cols = heard.length;
  const width = cols + 1;
  // cost[i][j]: fewest edits turning reference[0..i) into heard[0..j).
  const cost = new Uint32Array((rows + 1) * width);
  for (let j = 0; j <= cols; j++) cost[j] = j;
  for (let i = 1; i <= rows; i++) {
    cost[i * width] = i;
    for (let j = 1; j <= cols; j++) {
      const same = reference[i - 1] === heard[j - 1] ? 0 : 1;
      cost[i * width + j] = Math.min(
        (cost[(i - 1) * width + j - 1] as number) + same,
        (cost[(i - 1) * width + j] as number) + 1,
        (cost[i * width + j - 1] as number) + 1,
      );
    }
  }
  const edits: WordEdit[] = [];
  let i = rows;
  let j = cols;
  const at = (r: number, c: number) => cost[r * width + c] as number;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0) {
      const ref = reference[i - 1] as string;
      const word = heard[j - 1] as string;
      const same = ref === word ? 0 : 1;
      if (at(i, j) === at(i - 1, j - 1) + same) {
        edits.push({ op: same ? 'substitution' : 'match', reference: ref, heard: word });
        i--;
        j--;
        continue;
      }
    }
    if (i > 0 && at(i, j) === at(i - 1, j) + 1) {
      edits.push({ op: 'deletion', reference: reference[i - 1] as string });
      i--;
    } else {
      edits.push({ op: 'insertion', heard: heard[j - 1] as string });
      j--;
    }
  }
  return edits.reverse();
}

/** Substitutions + deletions + insertions: the rate's numerator. */
export const errorCount = (counts: Omit<WordErrors, 'rate' | 'reference_words'>) =>
  counts.substitutions + counts.deletions + counts.insertions;

/** The rate of counts: errors over reference words, null without reference words. */
function errorRate(counts: Omit<WordErrors, 'rate'>): WordErrors {
  const errors = errorCount(counts);
  return {
    ...counts,
    rate: counts.reference_words > 0 ? errors / counts.reference_words : null,
  };
}

/**
 * The WER of several utterances together: all their errors over all their
 * reference words, not a mean of their rates (a two-word "yes, please" misheard
 * would otherwise weigh as much as a forty-word answer). Null for none.
 */
export function totalWordErrors(parts: readonly WordErrors[]): WordErrors | null {
  if (parts.length === 0) return null;
  const sum = (pick: (part: WordErrors) => number) =>
    parts.reduce((total, part) => total + pick(part), 0);
  return errorRate({
    substitutions: sum((part) => part.substitutions),
    deletions: sum((part) => part.deletions),
    insertions: sum((part) => part.insertions),
    reference_words: sum((part) => part.reference_words),
  });
}
