// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderRoute } from '../../web/src/test/render.tsx';
import { makeRun } from '../fixtures/benchmark-run.ts';
import { apiUrl, LOCAL_ANON_KEY, saveRun } from '../support/stack-clients.ts';

describe('/results against the real stack', () => {
  it('lists a run saved through the edge function, newest first, with its turn count', async () => {
    const older = makeRun({ created_at: '2031-01-01T00:00:00.000Z' });
    const newest = makeRun({
      created_at: '2031-01-01T00:00:05.000Z',
      end_reason: 'max_turns',
      conversation_history: makeRun().conversation_history.slice(0, 2),
    });
    for (const run of [older, newest]) expect((await saveRun(run)).status).toBe(201);

    // Shared-URL filters narrow the list to these two runs' day.
    renderRoute('/results?from=2031-01-01&to=2031-01-01', {
      apiUrl: apiUrl(),
      anonKey: LOCAL_ANON_KEY,
    });

    const link = await screen.findByRole(
      'link',
      { name: newest.run_id.slice(0, 8) },
      { timeout: 10_000 },
    );
    expect(link).toHaveAttribute('href', `/results/${newest.run_id}`);
    const row = within(link.closest('tr') as HTMLElement);
    expect(row.getByText('2031-01-01 00:00:05 UTC')).toBeInTheDocument();
    expect(row.getByText('2')).toBeInTheDocument();
    expect(row.getByText('Turn limit')).toBeInTheDocument();

    const ids = screen
      .getAllByRole('link')
      .map((a) => a.getAttribute('href'))
      .filter((href) => href?.startsWith('/results/'));
    expect(ids).toEqual([`/results/${newest.run_id}`, `/results/${older.run_id}`]);
  });
});
