/** Lower case, letters and digits only, single spaces: "That concludes — our interview!" → "that concludes our interview". */
export function normaliseText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** True when the phrase occurs in the text as whole words, ignoring case, accents, punctuation and spacing. */
export function containsPhrase(text: string, phrase: string): boolean {
  const needle = normaliseText(phrase);
  if (!needle) return false;
  return ` ${normaliseText(text)} `.includes(` ${needle} `);
}
