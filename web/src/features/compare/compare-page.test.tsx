import type { ComparisonRow } from '@data/get-comparison.ts';
import { screen, within } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderRoute, TEST_SUPABASE_URL } from '../../test/render.tsx';

const HASH = 'a'.repeat(64);
const server = setupServer(
  http.get(`${TEST_SUPABASE_URL}/rest/v1/benchmark_scenario_versions`, () =>
    HttpResponse.json([
      {
        scenario_hash: HASH,
        name: 'Spoken intake',
        content: {},
        created_at: '2026-11-20T08:00:00Z',
        last_run_at: null,
        from_file: true,
      },
    ]),
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const row = (overrides: Partial<ComparisonRow>): ComparisonRow => ({
  scenario_hash: HASH,
  scenario_name: 'Spoken intake',
  interviewer_model: 'gpt-realtime',
  simulated_user_model: 'gpt-4.1-mini',
  runs: 3,
  runs_with_checks: 0,
  pass_rate: null,
  median_first_audio_p50_ms: 500,
  median_first_audio_p95_ms: 900,
  mean_tokens: 1200,
  mean_cost_usd: 0.02,
  unpriced_runs: 0,
  last_run_at: '2026-11-20T10:00:00+00:00',
  mean_judge_score: null,
  judged_runs: 0,
  voice_runs: 0,
  median_voice_to_voice_p50_ms: null,
  median_voice_to_voice_p95_ms: null,
  wer: null,
  ...overrides,
});

function serveComparison(rows: ComparisonRow[]) {
  server.use(
    http.get(`${TEST_SUPABASE_URL}/rest/v1/benchmark_comparison`, () => HttpResponse.json(rows)),
  );
}

/** The table's cells by column header, per body row. */
async function table() {
  const rows = (await screen.findAllByRole('row')) as HTMLElement[];
  const headers = within(rows[0] as HTMLElement)
    .getAllByRole('columnheader')
    .map((cell) => cell.textContent ?? '');
  const cell = (index: number, header: string) =>
    within(rows[index + 1] as HTMLElement).getAllByRole('cell')[headers.indexOf(header)];
  return { headers, cell };
}

describe('/compare', () => {
  it('shows each group’s voice figures when it has voice runs, a dash for text-only groups', async () => {
    serveComparison([
      row({
        interviewer_model: 'offline',
        simulated_user_model: 'offline',
        voice_runs: 2,
        median_voice_to_voice_p50_ms: 315,
        median_voice_to_voice_p95_ms: 1413,
        wer: 0.4444,
      }),
      row({}),
    ]);
    renderRoute('/compare?scenario=Spoken%20intake');
    const { headers, cell } = await table();
    expect(headers).toEqual(
      expect.arrayContaining([
        'Voice to voice, median of run p50s',
        'Voice to voice, median of run p95s',
        'WER (all errors / all words)',
      ]),
    );
    // Sorted by pass rate (none), so in the order served.
    expect(cell(0, 'Voice to voice, median of run p50s')).toHaveTextContent('315 ms');
    expect(cell(0, 'Voice to voice, median of run p95s')).toHaveTextContent('1.41 s');
    expect(cell(0, 'WER (all errors / all words)')).toHaveTextContent('44.4%');
    expect(cell(1, 'Voice to voice, median of run p50s')).toHaveTextContent('—');
    expect(cell(1, 'WER (all errors / all words)')).toHaveTextContent('—');
    expect(screen.getByText(/WER is all the runs' word errors over all their words/)).toBeVisible();
  });

  it('leaves the voice columns out for a scenario without voice runs', async () => {
    serveComparison([row({})]);
    renderRoute('/compare?scenario=Spoken%20intake');
    const { headers, cell } = await table();
    expect(cell(0, 'First audio, median of run p50s')).toHaveTextContent('500 ms');
    expect(headers.filter((header) => /^(Voice|WER)/.test(header))).toEqual([]);
    expect(screen.queryByText(/\bWER\b/)).toBeNull();
  });
});
