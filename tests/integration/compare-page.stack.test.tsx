// @vitest-environment jsdom
import { randomUUID } from 'node:crypto';
import type { EventLogEntry } from '@core/benchmark-run.ts';
import { makeScenarioInput, makeScenarioRun } from '@engine/testing/benchmark-runs.ts';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { renderRoute } from '../../web/src/test/render.tsx';
import { apiUrl, LOCAL_ANON_KEY, saveRun } from '../support/stack-clients.ts';

const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

/** One interviewer turn by `model`, first audio after `audioMs`, `audioOut` audio tokens. */
function log(model: string, audioMs: number, audioOut: number): EventLogEntry[] {
  return [
    { direction: 'system', timestamp: at(0), event: { type: 'run.started', model } },
    { direction: 'client', timestamp: at(0), event: { type: 'response.create' } },
    {
      direction: 'server',
      timestamp: at(20),
      event: { type: 'response.created', response: { id: 'r1' } },
    },
    {
      direction: 'server',
      timestamp: at(audioMs),
      event: { type: 'output_audio_buffer.started', response_id: 'r1' },
    },
    {
      direction: 'server',
      timestamp: at(2000),
      event: {
        type: 'response.done',
        response: {
          id: 'r1',
          status: 'completed',
          usage: { output_token_details: { text_tokens: 0, audio_tokens: audioOut } },
        },
      },
    },
  ];
}

describe('/compare against the real stack', () => {
  it('shows one row per model with pass rate, first audio and cost, aggregated by Postgres', async () => {
    const name = `Compare ${randomUUID()}`;
    const scenario = makeScenarioInput({ name, checks: { ended_by: 'cue' } });
    const saves = [
      makeScenarioRun(scenario, { event_log: log('gpt-realtime', 800, 1000) }),
      makeScenarioRun(scenario, {
        event_log: log('gpt-realtime', 900, 1000),
        end_reason: 'user_ended',
      }),
      makeScenarioRun(scenario, { event_log: log('gpt-realtime-mini', 300, 1000) }),
      makeScenarioRun(scenario, { event_log: log('gpt-realtime-mini', 500, 1000) }),
    ];
    for (const run of saves) expect((await saveRun(run)).status).toBe(201);

    // The page compares models' shutdowns with today: pinned (Date only; timers stay real).
    vi.useFakeTimers({ now: Date.parse('2026-12-01T09:00:00Z'), toFake: ['Date'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    renderRoute(`/compare?scenario=${encodeURIComponent(name)}`, {
      apiUrl: apiUrl(),
      anonKey: LOCAL_ANON_KEY,
    });
    const table = await screen.findByRole('table', {}, { timeout: 10_000 });
    // Both models shut down on 2027-01-20 (core/model-lifecycle.ts): the page says so above the table.
    const shutdowns = screen.getByRole('status', { name: 'Model shutdowns' });
    expect(
      within(shutdowns)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      'gpt-realtime-mini shuts down on 2027-01-20 (in 50 days); OpenAI recommends gpt-realtime-2.1-mini',
      'gpt-realtime shuts down on 2027-01-20 (in 50 days); OpenAI recommends gpt-realtime-2.1',
    ]);
    const rows = () =>
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((row) =>
          within(row)
            .getAllByRole('cell')
            .map((cell) => cell.textContent),
        );

    // Sorted by checks passed, best first: the mini model passed both of its runs. First
    // audio is the nearest-rank median over runs, as the runner prints it: of runs at 800
    // and 900 ms it is 800 ms, not an interpolated 850 ms.
    expect(rows().map((cells) => cells.slice(1, 8))).toEqual([
      ['gpt-realtime-mini', '—', '2', '100% of 2', '—', '300 ms', '300 ms'],
      ['gpt-realtime', '—', '2', '50% of 2', '—', '800 ms', '800 ms'],
    ]);
    // 1,000 audio tokens out: $0.064 at gpt-realtime, $0.02 at gpt-realtime-mini.
    expect(rows().map((cells) => cells.slice(8, 10))).toEqual([
      ['1,000', '$0.0200'],
      ['1,000', '$0.0640'],
    ]);

    await userEvent.click(
      within(table).getByRole('button', { name: 'First audio, median of run p50s' }),
    );
    expect(rows().map((cells) => cells[1])).toEqual(['gpt-realtime-mini', 'gpt-realtime']);
  });
});
