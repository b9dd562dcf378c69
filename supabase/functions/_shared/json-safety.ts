import { formatPath, MAX_JSON_DEPTH } from '@core/run-constants.ts';

export interface UnsafeValue {
  path: string;
  message: string;
}

/**
 * Finds the first string (value or key) Postgres cannot store, or nesting
 * deeper than MAX_JSON_DEPTH. jsonb refuses U+0000 and lone UTF-16
 * surrogates; left unchecked, those surface as a database error after
 * validation has already passed. Iterative, so hostile nesting cannot
 * overflow the stack.
 */
export function findUnstorableValue(root: unknown): UnsafeValue | null {
  // Paths are parent-linked and only spelled out when something is wrong.
  const stack: Node[] = [{ value: root, key: null, parent: null, depth: 0 }];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    const { value } = node;
    if (typeof value === 'string') {
      const problem = stringProblem(value);
      if (problem) return { path: pathOf(node), message: problem };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (node.depth >= MAX_JSON_DEPTH) {
      return { path: pathOf(node), message: `nested deeper than ${MAX_JSON_DEPTH} levels` };
    }
    const depth = node.depth + 1;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push({ value: value[i], key: i, parent: node, depth });
      }
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const keyProblem = stringProblem(key);
      const childNode: Node = { value: child, key, parent: node, depth };
      if (keyProblem) return { path: pathOf(childNode), message: `key ${keyProblem}` };
      stack.push(childNode);
    }
  }
  return null;
}

interface Node {
  value: unknown;
  key: string | number | null;
  parent: Node | null;
  depth: number;
}

function pathOf(node: Node): string {
  const keys: Array<string | number> = [];
  for (let at: Node | null = node; at && at.key !== null; at = at.parent) keys.unshift(at.key);
  return formatPath(keys);
}

function stringProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains U+0000, which Postgres cannot store';
  if (!text.isWellFormed()) return 'contains a lone UTF-16 surrogate, which Postgres cannot store';
  return null;
}

/**
 * Most digits a JSON number may have once written out in plain decimal, as
 * Postgres stores and returns it (jsonb numbers are exact decimals: `1e5`
 * comes back as `100000`). Bounds both magnitude (below 1e40) and precision,
 * so a few bytes of exponent cannot become megabytes when the run is read.
 */
export const MAX_NUMBER_DIGITS = 40;

/**
 * Most objects and arrays a body may hold. Each costs the parser ~64 bytes of
 * heap, so without a bound 8 MB of `{},{},…` becomes 170 MB once parsed; at
 * the bound a body parses into at most ~32 MB plus its strings. A run at the
 * 100,000-event limit needs about 200,000.
 */
export const MAX_JSON_CONTAINERS = 500_000;

/**
 * Checks a JSON text before it is parsed: the first number with more than
 * MAX_NUMBER_DIGITS digits written out, nesting deeper than MAX_JSON_DEPTH,
 * or more than MAX_JSON_CONTAINERS objects and arrays. Works on the text,
 * because JSON.parse would turn `1e131071` into Infinity and would allocate
 * the very memory the last two checks are there to bound. One pass, no
 * allocation per value; object keys are decoded only for a path it reports.
 * Not a validator: invalid JSON passes here and fails in JSON.parse.
 */
export function checkJsonText(text: string): UnsafeValue | null {
  const frames: Frame[] = [];
  const length = text.length;
  let containers = 0;
  let i = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      const end = endOfString(text, i);
      const top = frames[frames.length - 1];
      if (top?.kind === 'object' && top.expectKey) {
        top.keyStart = i;
        top.keyEnd = end;
        top.expectKey = false;
      }
      i = end;
      continue;
    }
    if (code === MINUS || (code >= DIGIT_0 && code <= DIGIT_9)) {
      let end = i + 1;
      while (end < length && isNumberChar(text.charCodeAt(end))) end++;
      const literal = text.slice(i, end);
      const digits = plainDigits(literal);
      if (digits > MAX_NUMBER_DIGITS) {
        const shown = literal.length > 24 ? `${literal.slice(0, 24)}…` : literal;
        const count = Number.isFinite(digits) ? digits.toLocaleString('en-US') : 'millions of';
        return {
          path: framePath(text, frames),
          message: `number ${shown} has ${count} digits written out in full; at most ${MAX_NUMBER_DIGITS} are accepted`,
        };
      }
      i = end;
      continue;
    }
    if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (frames.length >= MAX_JSON_DEPTH) {
        return {
          path: framePath(text, frames),
          message: `nested deeper than ${MAX_JSON_DEPTH} levels`,
        };
      }
      if (++containers > MAX_JSON_CONTAINERS) {
        return {
          path: framePath(text, frames),
          message: `more than ${MAX_JSON_CONTAINERS.toLocaleString('en-US')} objects and arrays in the body`,
        };
      }
      frames.push(
        code === OPEN_BRACE
          ? { kind: 'object', expectKey: true, keyStart: 0, keyEnd: 0 }
          : { kind: 'array', index: 0 },
      );
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) frames.pop();
    else if (code === COMMA) {
      const top = frames[frames.length - 1];
      if (top?.kind === 'array') top.index++;
      else if (top) top.expectKey = true;
    }
    i++;
  }
  return null;
}

type Frame =
  | { kind: 'object'; expectKey: boolean; keyStart: number; keyEnd: number }
  | { kind: 'array'; index: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

const isNumberChar = (code: number) =>
  (code >= DIGIT_0 && code <= DIGIT_9) ||
  code === DOT ||
  code === MINUS ||
  code === PLUS ||
  code === 0x65 || // e
  code === 0x45; // E

/** The index just past the string literal starting at `start` (its opening quote). */
function endOfString(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
}

const NUMBER = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** How many digits `literal` has in plain decimal (`1.5e3` → 4, `1e-3` → 4: `0.001`). */
export function plainDigits(literal: string): number {
  const match = NUMBER.exec(literal);
  if (!match) return 0;
  const [, whole = '', fraction = '', exponentText = '0'] = match;
  if (exponentText.replace(/^[+-]?0*/, '').length > 9) return Number.POSITIVE_INFINITY;
  const exponent = Number(exponentText);
  const significand = `${whole}${fraction}`;
  const leadingZeros = significand.length - significand.replace(/^0+/, '').length;
  // Where the decimal point falls in the significand once the exponent is applied.
  const point = whole.length + exponent - leadingZeros;
  const integerDigits = leadingZeros === significand.length ? 1 : Math.max(1, point);
  const scale = Math.max(0, fraction.length - exponent);
  return integerDigits + scale;
}

function framePath(text: string, frames: Frame[]): string {
  const keys = frames.map((frame) =>
    frame.kind === 'array'
      ? frame.index
      : (JSON.parse(text.slice(frame.keyStart, frame.keyEnd)) as string),
  );
  return formatPath(keys);
}
