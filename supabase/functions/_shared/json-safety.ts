import { formatPath, MAX_JSON_DEPTH } from './benchmark-run.ts';

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
