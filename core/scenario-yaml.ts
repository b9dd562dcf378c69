import { isDocument, LineCounter, parseDocument, stringify } from 'yaml';
import { formatPath } from './run-constants.ts';
import { type Scenario, scenarioHash, scenarioSchema } from './scenario.ts';

export interface ScenarioProblem {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export type ParsedScenario =
  | { ok: true; scenario: Scenario; hash: string }
  | {
      ok: false;
      code: 'invalid_yaml' | 'invalid_scenario';
      message: string;
      issues: ScenarioProblem[];
    };

const where = (problem: ScenarioProblem) =>
  problem.line === undefined ? '' : `line ${problem.line}, column ${problem.column}: `;

function failure(
  code: 'invalid_yaml' | 'invalid_scenario',
  issues: ScenarioProblem[],
): ParsedScenario {
  const message = issues
    .slice(0, 3)
    .map(
      (issue) =>
        `${where(issue)}${issue.path === '(root)' ? '' : `${issue.path}: `}${issue.message}`,
    )
    .join('; ');
  return { ok: false, code, message, issues };
}

/**
 * Parses a scenario file (YAML, which includes JSON) and validates it. Syntax
 * errors and schema errors both come back with the line and column they are at.
 */
export async function parseScenarioYaml(source: string): Promise<ParsedScenario> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return failure(
      'invalid_yaml',
      doc.errors.map((error) => {
        const position = error.linePos?.[0];
        const firstLine = error.message.split('\n')[0] ?? error.message;
        const message = firstLine.replace(/ at line \d+, column \d+:?$/, '');
        return { path: '(root)', message, line: position?.line, column: position?.col };
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return failure('invalid_yaml', [{ path: '(root)', message: (error as Error).message }]);
  }
  const parsed = scenarioSchema.safeParse(value);
  if (!parsed.success) {
    return failure(
      'invalid_scenario',
      parsed.error.issues.map((issue) => {
        // An unknown key is reported at the key itself, not at the object holding it.
        const at = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
        const position = positionOf(doc, lineCounter, at as PropertyKey[]);
        return { path: formatPath(issue.path), message: issue.message, ...position };
      }),
    );
  }
  return { ok: true, scenario: parsed.data, hash: await scenarioHash(parsed.data) };
}

/** Where the nearest existing node on `path` starts (a missing key points at its parent). */
function positionOf(
  doc: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  path: ReadonlyArray<PropertyKey>,
): { line?: number; column?: number } {
  if (!isDocument(doc)) return {};
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as unknown[], true) as
      | { range?: [number, number, number] }
      | undefined;
    const offset = node?.range?.[0];
    if (offset !== undefined) {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    }
  }
  return {};
}

export const SCENARIO_SCHEMA_COMMENT = 'yaml-language-server: $schema=./scenario.schema.json';

/** A scenario as a file a person would write: fixed key order, prompts as block text. */
export function scenarioToYaml(scenario: Scenario): string {
  const ordered: Scenario = {
    name: scenario.name,
    description: scenario.description,
    interviewer: { ...scenario.interviewer },
    simulated_user: { ...scenario.simulated_user },
    termination: { ...scenario.termination },
    tags: [...scenario.tags],
    ...(scenario.checks ? { checks: { ...scenario.checks } } : {}),
    ...(scenario.rubric ? { rubric: scenario.rubric } : {}),
    ...(scenario.offline ? { offline: scenario.offline } : {}),
  };
  return `# ${SCENARIO_SCHEMA_COMMENT}\n${stringify(ordered, { lineWidth: 0, blockQuote: 'literal' })}`;
}
