import type { RunListItem } from '@data/get-runs.ts';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { RunsTable } from './runs-table.tsx';

const run = (index: number, metrics: RunListItem['metrics']): RunListItem => ({
  run_id: `00000000-0000-4000-8000-00000000000${index}`,
  created_at: '2026-11-20T14:59:05Z',
  num_turns: 9,
  end_reason: 'termination_cue',
  duration_ms: 12_000,
  scenario_hash: null,
  scenario: null,
  metrics,
});
const measured = {
  first_audio_p50_ms: 540,
  checks_passed: 3,
  checks_total: 3,
  voice_to_voice_p50_ms: null,
  wer: null,
  false_end_of_turns: null,
};

describe('RunsTable', () => {
  it('names the model of each run, offline ones as offline, and says why a cost is missing', () => {
    render(
      <MemoryRouter>
        <RunsTable
          runs={[
            run(1, { ...measured, interviewer_model: 'offline', cost_usd: null }),
            run(2, { ...measured, interviewer_model: 'gpt-realtime', cost_usd: 0.0841 }),
          ]}
          selected={new Set()}
          onToggle={() => {}}
        />
      </MemoryRouter>,
    );
    const [, offline, openai] = screen.getAllByRole('row') as HTMLElement[];
    const headers = screen.getAllByRole('columnheader').map((cell) => cell.textContent);
    const column = (row: HTMLElement, name: string) =>
      within(row).getAllByRole('cell')[headers.indexOf(name)] as HTMLElement;

    expect(column(offline as HTMLElement, 'Model')).toHaveTextContent('offline');
    expect(column(openai as HTMLElement, 'Model')).toHaveTextContent('gpt-realtime');
    const unpriced = column(offline as HTMLElement, 'Cost');
    expect(unpriced).toHaveTextContent('—');
    expect(unpriced).toHaveAttribute('title', expect.stringMatching(/not in the pricing table/));
    const priced = column(openai as HTMLElement, 'Cost');
    expect(priced).toHaveTextContent('$0.0841');
    expect(priced).not.toHaveAttribute('title');
  });

  it('shows voice to voice and WER when a listed run is a voice run, a dash for text runs', () => {
    render(
      <MemoryRouter>
        <RunsTable
          runs={[
            run(1, {
              ...measured,
              interviewer_model: 'offline',
              cost_usd: null,
              voice_to_voice_p50_ms: 315,
              wer: 0.3,
              false_end_of_turns: 0,
            }),
            run(2, {
              ...measured,
              interviewer_model: 'offline',
              cost_usd: null,
              voice_to_voice_p50_ms: null,
              wer: null,
              false_end_of_turns: 0,
            }),
            run(3, { ...measured, interviewer_model: 'gpt-realtime', cost_usd: 0.0841 }),
          ]}
          selected={new Set()}
          onToggle={() => {}}
        />
      </MemoryRouter>,
    );
    const [, voice, unscored, text] = screen.getAllByRole('row') as HTMLElement[];
    const headers = screen.getAllByRole('columnheader').map((cell) => cell.textContent);
    const column = (row: HTMLElement, name: string) =>
      within(row).getAllByRole('cell')[headers.indexOf(name)] as HTMLElement;

    expect(column(voice as HTMLElement, 'Voice to voice')).toHaveTextContent('315 ms');
    expect(column(voice as HTMLElement, 'WER')).toHaveTextContent('30%');
    expect(column(unscored as HTMLElement, 'WER')).toHaveTextContent('—');
    expect(column(text as HTMLElement, 'Voice to voice')).toHaveTextContent('—');
    expect(column(text as HTMLElement, 'WER')).toHaveTextContent('—');
    expect(column(text as HTMLElement, 'Cost')).toHaveTextContent('$0.0841');
  });

  it('leaves the voice columns out when every listed run is a text run', () => {
    render(
      <MemoryRouter>
        <RunsTable
          runs={[run(1, { ...measured, interviewer_model: 'gpt-realtime', cost_usd: 0.0841 })]}
          selected={new Set()}
          onToggle={() => {}}
        />
      </MemoryRouter>,
    );
    const headers = screen.getAllByRole('columnheader').map((cell) => cell.textContent);
    expect(headers).not.toContain('WER');
    expect(headers).not.toContain('Voice to voice');
  });
});
