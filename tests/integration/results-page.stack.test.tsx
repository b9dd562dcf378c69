// @vitest-environment jsdom

import type { BenchmarkRun } from '@core/benchmark-run.ts';
import { makeRun } from '@engine/testing/benchmark-runs.ts';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { captureDownloads } from '../../web/src/test/downloads.ts';
import { renderRoute } from '../../web/src/test/render.tsx';
import { apiUrl, LOCAL_ANON_KEY, saveRun } from '../support/stack-clients.ts';

describe('/results against the real stack', () => {
  it('lists a run saved through the edge function, newest first, with its turn count', async () => {
    const older = makeRun({ created_at: '2023-01-01T00:00:00.000Z' });
    const newest = makeRun({
      created_at: '2023-01-01T00:00:05.000Z',
      end_reason: 'max_turns',
      conversation_history: makeRun().conversation_history.slice(0, 2),
    });
    for (const run of [older, newest]) expect((await saveRun(run)).status).toBe(201);

    // Shared-URL filters narrow the list to these two runs' day.
    renderRoute('/results?from=2023-01-01&to=2023-01-01', {
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
    expect(row.getByText('2023-01-01 00:00:05 UTC')).toBeInTheDocument();
    expect(row.getByText('2')).toBeInTheDocument();
    expect(row.getByText('Turn limit')).toBeInTheDocument();

    const ids = screen
      .getAllByRole('link')
      .map((a) => a.getAttribute('href'))
      .filter((href) => href?.startsWith('/results/'));
    expect(ids).toEqual([`/results/${newest.run_id}`, `/results/${older.run_id}`]);
  });

  it('shows an impossible date from the URL in its field, and lists runs without it', async () => {
    await seedLedgerRuns();
    // 2024 is a leap year, but 2024-02-30 is not a day: `to` is shown as wrong and not applied…
    renderRoute('/results?q=quokka&from=2024-02-29&to=2024-02-30', {
      apiUrl: apiUrl(),
      anonKey: LOCAL_ANON_KEY,
    });
    const to = await screen.findByLabelText('To');
    expect(to).toHaveValue('2024-02-30');
    expect(to).toHaveAccessibleDescription('“2024-02-30” is not a date: February 2024 has 29 days');
    // …and the list still works, from the valid day on (the next day's run included).
    expect(
      await screen.findByText('61 runs, 50 loaded, newest first', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
  });

  it('exports every run matching the filters, not only the 50 loaded', async () => {
    const { day } = await seedLedgerRuns();
    const downloads = captureDownloads();
    renderRoute('/results?q=quokka&from=2024-02-29&to=2024-02-29', {
      apiUrl: apiUrl(),
      anonKey: LOCAL_ANON_KEY,
    });
    expect(
      await screen.findByText('60 runs, 50 loaded, newest first', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(
      await screen.findByText('Exported 60 runs to runs.csv.', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();

    const csv = Papa.parse<Record<string, string>>(await downloads.text(), {
      header: true,
    });
    expect(csv.errors).toEqual([]);
    expect(csv.data.map((row) => row.run_id)).toEqual(day.map((r) => r.run_id).reverse());
    expect(csv.data[0]).toMatchObject({ num_turns: '3', end_reason: 'termination_cue' });
  });
});

/**
 * 60 runs on 2024-02-29, a minute apart, and one on the next day, all saying a
 * word no other test uses; saved once for the tests that need them.
 */
let ledgerRuns: Promise<{ day: BenchmarkRun[] }> | undefined;
function seedLedgerRuns() {
  ledgerRuns ??= (async () => {
    const said = (created_at: string) => {
      const [first, ...rest] = makeRun().conversation_history;
      return makeRun({
        created_at,
        conversation_history: [{ ...first, content: 'Do you keep a quokka ledger?' }, ...rest],
      });
    };
    const day = Array.from({ length: 60 }, (_, i) =>
      said(new Date(Date.UTC(2024, 1, 29, 10, 0) + i * 60_000).toISOString()),
    );
    for (const run of [...day, said('2024-03-01T00:00:00.000Z')]) {
      expect((await saveRun(run)).status).toBe(201);
    }
    return { day };
  })();
  return ledgerRuns;
}
