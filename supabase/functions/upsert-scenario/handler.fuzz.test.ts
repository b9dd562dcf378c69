import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepNesting, hostileValue } from '../../../tests/fixtures/hostile-json.ts';
import type { ScenarioVersion } from '../_shared/scenario-store.ts';
import { createUpsertScenarioHandler } from './handler.ts';

const VALID = `name: Fuzzed
interviewer:
  prompt: Ask one question.
simulated_user:
  persona: You are Sam.
`;

async function check(body: string, contentType = 'application/yaml') {
  const written: ScenarioVersion[] = [];
  const handler = createUpsertScenarioHandler({
    store: {
      upsert: async (version) => {
        written.push(version);
        return { created: true, created_at: '2026-11-24T00:00:00.000Z' };
      },
    },
    log: () => {},
  });
  const response = await handler(
    new Request('http://functions.test/upsert-scenario', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }),
  );
  const answer = (await response.json()) as { error?: { message: string }; scenario_hash?: string };
  expect(response.status).toBeLessThan(500);
  if (response.status >= 400) {
    expect(answer.error?.message).toEqual(expect.any(String));
    expect(written).toEqual([]);
  } else {
    expect(written).toHaveLength(1);
    expect(answer.scenario_hash).toBe(written[0]?.hash);
  }
}

describe('upsert-scenario under hostile input (property-based)', () => {
  it('answers arbitrary text, YAML-looking or not, with a 4xx or one stored version', async () => {
    const yamlish = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            'name:',
            '  prompt:',
            '- ',
            '&a',
            '*a',
            '<<: *a',
            '!!binary',
            '{',
            '[',
            '"',
            '#',
            ': ',
          ),
          fc.string({ unit: 'binary', maxLength: 20 }),
        ),
        { maxLength: 40 },
      )
      .map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(fc.oneof(yamlish, fc.string({ unit: 'binary', maxLength: 300 })), (body) =>
        check(body),
      ),
      { numRuns: 400, seed: 20261124 },
    );
  });

  it('answers any JSON value, deep nesting included, with a 4xx or one stored version', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileValue, deepNesting), (value) =>
        check(
          typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null'),
          'application/json',
        ),
      ),
      { numRuns: 300, seed: 20261124 },
    );
  });

  it('survives a valid file with one line replaced by noise', async () => {
    const lines = VALID.split('\n');
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: lines.length - 1 }),
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        (index, noise) => check(lines.map((line, i) => (i === index ? noise : line)).join('\n')),
      ),
      { numRuns: 300, seed: 20261124 },
    );
  });
});
