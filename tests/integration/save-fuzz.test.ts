import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { mutatedRun } from '../fixtures/hostile-json.ts';
import { adminSql, saveRun } from '../support/stack-clients.ts';

const sql = adminSql();
afterAll(() => sql.end({ timeout: 1 }));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function runIdOf(body: string): string | null {
  try {
    const id = JSON.parse(body)?.run_id;
    return typeof id === 'string' && UUID.test(id) ? id : null;
  } catch {
    return null;
  }
}

describe('save-benchmark-run under hostile input, through the gateway into Postgres', () => {
  it('answers 4xx with nothing stored, or 2xx with exactly what was sent; never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedRun, async (body) => {
        const response = await saveRun(body);
        expect(response.status).toBeLessThan(500);
        const runId = runIdOf(body);
        if (response.status >= 400) {
          if (runId) {
            const [row] =
              await sql`select count(*)::int as n from public.benchmark_runs where run_id = ${runId}`;
            expect(row?.n).toBe(0);
          }
          return;
        }
        const [stored] = await sql`
          select r.conversation_history = (b->'conversation_history')
             and r.event_log = (b->'event_log')
             and r.interviewer_prompt = b->>'interviewer_prompt'
             and r.simulated_user_prompt = b->>'simulated_user_prompt' as faithful
          from public.benchmark_runs r, (select ${body}::text::jsonb as b) as sent
          where r.run_id = ${runId}`;
        expect(stored?.faithful).toBe(true);
      }),
      { numRuns: 80, seed: 20261123 },
    );
  });
});
