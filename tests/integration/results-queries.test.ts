import { getRun } from '@data/get-run.ts';
import { getRunEvents } from '@data/get-run-events.ts';
import { getRuns } from '@data/get-runs.ts';
import type { RunFilters } from '@data/run-filters.ts';
import { makeRun } from '@engine/testing/benchmark-runs.ts';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { runsCsvChunks } from '../../web/src/features/results/export-runs.ts';
import { anonClient, saveRun } from '../support/stack-clients.ts';

/** Runs in their own days of 2022 (in the past: runs may not be dated ahead of the clock), so other tests' runs never match these filters. */
const day = (d: number, time = '12:00:00') => `2022-03-${String(d).padStart(2, '0')}T${time}.000Z`;
const turns = (n: number, said: string) =>
  Array.from({ length: n }, (_, i) => ({
    speaker: i % 2 ? 'simulated_user' : 'interviewer',
    content: i === 1 ? said : `Question ${i}?`,
    timestamp: day(1, `12:00:${String(10 + i).padStart(2, '0')}`),
  }));

/** makeRun's events (at 10:00 on its fixture day) moved to the morning of `day(d)`, before the run's start. */
const eventsOn = (d: number) =>
  makeRun().event_log.map((entry) => ({
    ...entry,
    timestamp: entry.timestamp.replace('2026-11-20', day(d).slice(0, 10)),
  }));

const seeded = {
  paper: makeRun({
    created_at: day(1),
    event_log: eventsOn(1),
    conversation_history: turns(4, 'I keep a paper notebook by the bed.'),
    end_reason: 'termination_cue',
  }),
  calendar: makeRun({
    created_at: day(2),
    event_log: eventsOn(2),
    conversation_history: turns(6, 'A shared calendar with my partner.'),
    end_reason: 'max_turns',
  }),
  notebookApp: makeRun({
    created_at: day(3),
    event_log: eventsOn(3),
    conversation_history: turns(2, 'A notebook app on my phone.'),
    end_reason: 'user_ended',
  }),
  error: makeRun({
    created_at: day(4),
    event_log: eventsOn(4),
    conversation_history: turns(8, 'Sorry, the line dropped.'),
    end_reason: 'error',
  }),
};

const inMarch = { from: '2022-03-01', to: '2022-03-31' } satisfies RunFilters;
const ids = async (filters: RunFilters) =>
  (await getRuns(anonClient(), { cursor: null, filters, pageSize: 100 })).runs.map((r) => r.run_id);

beforeAll(async () => {
  for (const run of Object.values(seeded)) expect((await saveRun(run)).status).toBe(201);
});

describe('results queries against the real stack', () => {
  it('filters by date range, newest first, with an inclusive end day', async () => {
    expect(await ids(inMarch)).toEqual(
      [seeded.error, seeded.notebookApp, seeded.calendar, seeded.paper].map((r) => r.run_id),
    );
    expect(await ids({ from: '2022-03-02', to: '2022-03-03' })).toEqual([
      seeded.notebookApp.run_id,
      seeded.calendar.run_id,
    ]);
  });

  it('filters by turn count range and by end reason', async () => {
    expect(await ids({ ...inMarch, minTurns: 4, maxTurns: 6 })).toEqual([
      seeded.calendar.run_id,
      seeded.paper.run_id,
    ]);
    expect(await ids({ ...inMarch, endReason: 'error' })).toEqual([seeded.error.run_id]);
  });

  it('searches what was said, with stemming and quoted phrases', async () => {
    expect(await ids({ ...inMarch, q: 'notebooks' })).toEqual([
      seeded.notebookApp.run_id,
      seeded.paper.run_id,
    ]);
    expect(await ids({ ...inMarch, q: '"paper notebook"' })).toEqual([seeded.paper.run_id]);
    expect(await ids({ ...inMarch, q: 'notebook -app' })).toEqual([seeded.paper.run_id]);
    expect(await ids({ ...inMarch, q: 'simulated_user' })).toEqual([]);
  });

  it('reports the duration and an exact total for small results', async () => {
    const page = await getRuns(anonClient(), {
      cursor: null,
      filters: { ...inMarch, to: '2022-03-01' },
      pageSize: 2,
    });
    expect(page.total).toBe(1);
    // Created at 12:00:00, last turn at 12:00:13.
    expect(page.runs[0]?.duration_ms).toBe(13_000);
  });

  it('pages through runs that share created_at without gaps or repeats', async () => {
    const same = day(20, '08:00:00');
    const tied = Array.from({ length: 5 }, () => makeRun({ created_at: same }));
    for (const run of tied) expect((await saveRun(run)).status).toBe(201);
    const filters = { from: '2022-03-20', to: '2022-03-20' };
    const seen: string[] = [];
    let cursor = null;
    do {
      const page = await getRuns(anonClient(), { cursor, filters, pageSize: 2 });
      seen.push(...page.runs.map((r) => r.run_id));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(
      tied
        .map((r) => r.run_id)
        .sort()
        .reverse(),
    );
  });

  it('exports as CSV page by page through the same keyset, ties included', async () => {
    const same = day(21, '08:00:00');
    const tied = Array.from({ length: 5 }, () => makeRun({ created_at: same }));
    for (const run of tied) expect((await saveRun(run)).status).toBe(201);
    const chunks = [];
    for await (const chunk of runsCsvChunks(
      anonClient(),
      { from: '2022-03-21', to: '2022-03-21' },
      { pageSize: 2 },
    )) {
      chunks.push(chunk);
    }
    expect(chunks.map((c) => [c.exported, c.total])).toEqual([
      [2, 5],
      [4, 5],
      [5, 5],
    ]);
    const csv = Papa.parse<Record<string, string>>(chunks.map((c) => c.csv).join(''), {
      header: true,
    });
    expect(csv.errors).toEqual([]);
    expect(csv.data.map((row) => row.run_id)).toEqual(
      tied
        .map((r) => r.run_id)
        .sort()
        .reverse(),
    );
  });

  it('takes the first and last days that both the filters and Postgres accept', async () => {
    const all = await ids({ from: '0001-01-01', to: '9999-12-31', endReason: 'error' });
    expect(all).toContain(seeded.error.run_id);
  });

  it('reads one run whole for the detail page, and null for an unknown or malformed id', async () => {
    const run = await getRun(anonClient(), seeded.paper.run_id);
    expect(run?.conversation_history).toEqual(seeded.paper.conversation_history);
    expect(await getRunEvents(anonClient(), seeded.paper.run_id)).toEqual(seeded.paper.event_log);
    expect(run?.interviewer_prompt).toBe(seeded.paper.interviewer_prompt);
    expect(await getRun(anonClient(), '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await getRun(anonClient(), 'not-a-uuid')).toBeNull();
  });
});
