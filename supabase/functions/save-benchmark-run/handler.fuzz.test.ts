import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepNesting, hostileValue, mutatedRun } from '../../../tests/fixtures/hostile-json.ts';
import { createSaveRunHandler } from './handler.ts';
import type { RunStore } from './run-store.ts';

/** Records what would be written; the real store's behaviour is covered against Postgres. */
function recordingStore() {
  const written: string[] = [];
  const store: RunStore = {
    async save(body) {
      written.push(body);
      const run = JSON.parse(body);
      return {
        kind: 'created',
        run_id: run.run_id,
        created_at: '2026-11-23T00:00:00.000Z',
        num_turns: run.conversation_history.length,
        scenario_hash: null,
      };
    },
  };
  return { store, written };
}

const post = (body: string) =>
  new Request('http://functions.test/save-benchmark-run', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

async function check(body: string) {
  const { store, written } = recordingStore();
  const handler = createSaveRunHandler({ store, log: () => {}, maxBodyBytes: 1024 * 1024 });
  const response = await handler(post(body));
  const answer = await response.json();
  expect(response.status).toBeLessThan(500);
  expect(response.headers.get('content-type')).toBe('application/json');
  if (response.status >= 400) {
    expect(answer.error.message).toEqual(expect.any(String));
    expect(written).toEqual([]);
  } else {
    // Stored exactly as sent, once.
    expect(written).toEqual([body]);
  }
}

describe('save-benchmark-run under hostile input (property-based)', () => {
  it('answers any JSON value with a 4xx, never a 5xx, never a write', async () => {
    await fc.assert(
      fc.asyncProperty(hostileValue, async (value) => check(JSON.stringify(value) ?? 'null')),
      { numRuns: 300, seed: 20261123 },
    );
  });

  it('answers a valid run with one hostile field with a 4xx or a faithful 2xx', async () => {
    await fc.assert(fc.asyncProperty(mutatedRun, check), { numRuns: 500, seed: 20261123 });
  });

  it('answers arbitrary text and deep nesting with a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), deepNesting), check),
      { numRuns: 300, seed: 20261123 },
    );
  });
});
