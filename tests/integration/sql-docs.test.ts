import { readFileSync } from 'node:fs';
import path from 'node:path';
import { makeRun } from '@engine/testing/benchmark-runs.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../config/env.ts';
import { adminSql, saveRun } from '../support/stack-clients.ts';

/** Every ```sql block of docs/sql.md, with the heading it sits under. */
function documentedQueries(): Array<{ title: string; sql: string }> {
  const markdown = readFileSync(path.join(repoRoot, 'docs', 'sql.md'), 'utf8');
  const queries: Array<{ title: string; sql: string }> = [];
  let title = '';
  for (const block of markdown.split(/^```/m).entries()) {
    const [index, text] = block;
    if (index % 2 === 0) {
      title = [...text.matchAll(/^## (.+)$/gm)].at(-1)?.[1] ?? title;
    } else if (text.startsWith('sql\n')) {
      queries.push({ title, sql: text.slice(4) });
    }
  }
  return queries;
}

const sql = adminSql();
const now = new Date();
const recent = (ms: number) => new Date(now.getTime() + ms).toISOString();
const seeded = makeRun({
  created_at: recent(0),
  conversation_history: [
    { speaker: 'interviewer', content: 'How do you plan?', timestamp: recent(1_000) },
    { speaker: 'simulated_user', content: 'I use a Paper Notebook.', timestamp: recent(2_000) },
    { speaker: 'interviewer', content: 'Why is that?', timestamp: recent(9_000) },
  ],
});

beforeAll(async () => {
  expect((await saveRun(seeded)).status).toBe(201);
});
afterAll(() => sql.end({ timeout: 1 }));

describe('docs/sql.md', () => {
  const queries = documentedQueries();

  it('has the queries the docs promise', () => {
    expect(queries.map((q) => q.title)).toEqual(
      expect.arrayContaining([
        'Runs per day and average turns',
        'Runs whose transcript contains a phrase',
        'Counts of event types across runs',
        'Slowest interviewer turns',
        'The comparison table of one scenario',
      ]),
    );
  });

  it.each(queries.map((q, i) => [`${i + 1}. ${q.title}`, q.sql]))(
    '%s runs as written',
    async (_, text) => {
      const rows = await sql.unsafe(text as string);
      expect(Array.isArray(rows)).toBe(true);
    },
  );

  it('finds the seeded run by phrase, both ways', async () => {
    for (const query of queries.filter(
      (q) => q.title === 'Runs whose transcript contains a phrase',
    )) {
      // Other tests save runs that mention a paper notebook too: look for this one among all matches.
      const unlimited = query.sql
        .trim()
        .replace(/;$/, '')
        .replace(/\blimit \d+$/i, '');
      const rows = await sql.unsafe(`select run_id from (${unlimited}) matches where run_id = $1`, [
        seeded.run_id,
      ]);
      expect(rows.map((row) => row.run_id)).toEqual([seeded.run_id]);
    }
  });

  it('measures the wait before the slowest interviewer turn', async () => {
    const query = queries.find((q) => q.title === 'Slowest interviewer turns');
    const rows = await sql.unsafe(query?.sql ?? '');
    const mine = rows.find((row) => row.run_id === seeded.run_id);
    expect(mine).toMatchObject({ turn: '3', said: 'Why is that?' });
    expect(String(mine?.wait)).toBe('00:00:07');
  });
});
