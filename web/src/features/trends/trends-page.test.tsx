import type { DailyRow } from '@data/get-daily.ts';
import { screen } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderRoute, TEST_SUPABASE_URL } from '../../test/render.tsx';

const rest = `${TEST_SUPABASE_URL}/rest/v1`;
const server = setupServer(
  http.get(`${rest}/benchmark_scenario_versions`, () =>
    HttpResponse.json([
      {
        scenario_hash: 'a'.repeat(64),
        name: 'Spoken intake',
        content: {},
        created_at: '2026-11-20T08:00:00Z',
        last_run_at: null,
        from_file: true,
      },
    ]),
  ),
  // No runs to compare for regressions.
  http.get(`${rest}/run_metrics`, () => HttpResponse.json([])),
  http.get(`${rest}/benchmark_scenarios`, () => HttpResponse.json([])),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const day = (overrides: Partial<DailyRow>): DailyRow => ({
  day: '2026-11-20',
  interviewer_model: 'offline',
  simulated_user_model: 'offline',
  runs: 2,
  pass_rate: null,
  median_first_audio_p50_ms: 120,
  mean_cost_usd: null,
  voice_runs: 0,
  median_voice_to_voice_p50_ms: null,
  wer: null,
  ...overrides,
});

function serveDays(rows: DailyRow[]) {
  server.use(http.get(`${rest}/benchmark_daily`, () => HttpResponse.json(rows)));
}

const captions = async () =>
  (await screen.findAllByRole('figure')).map(
    (figure) => figure.querySelector('figcaption')?.textContent,
  );

describe('/trends', () => {
  it('charts voice to voice and WER per day when the scenario has voice runs', async () => {
    serveDays([
      day({ voice_runs: 2, median_voice_to_voice_p50_ms: 315, wer: 0.4444 }),
      day({ day: '2026-11-21' }),
    ]);
    renderRoute('/trends?scenario=Spoken%20intake&days=365');
    expect(await captions()).toEqual([
      'Runs passing all checks',
      'First audio, median of run p50s',
      'Voice to voice, median of run p50s',
      'WER (all errors / all words)',
      expect.stringMatching(/^Cost per run/),
      'Runs',
    ]);
  });

  it('keeps a text scenario’s charts as they were', async () => {
    serveDays([day({})]);
    renderRoute('/trends?scenario=Spoken%20intake&days=365');
    const shown = await captions();
    expect(shown).toHaveLength(4);
    expect(shown.join(' ')).not.toMatch(/Voice|WER/);
  });
});
