import type { EventLogEntry } from '@core/benchmark-run.ts';
import { scenarioSchema } from '@core/scenario.ts';
import type { RunDetail } from '@data/get-run.ts';
import { screen, within } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderRoute, TEST_SUPABASE_URL } from '../../../test/render.tsx';
import { savedRun } from '../test-fixtures.ts';
import recorded from '../voice-run.fixture.json';

const server = setupServer(
  http.get(`${TEST_SUPABASE_URL}/rest/v1/run_judgements`, () => HttpResponse.json([])),
  http.get(`${TEST_SUPABASE_URL}/functions/v1/realtime-session`, () =>
    HttpResponse.json({ openai_configured: false }),
  ),
  http.get(`${TEST_SUPABASE_URL}/rest/v1/benchmark_run_audio`, () => HttpResponse.json([])),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function serve(run: RunDetail) {
  server.use(
    http.get(`${TEST_SUPABASE_URL}/rest/v1/benchmark_runs`, () => HttpResponse.json([run])),
    http.get(`${TEST_SUPABASE_URL}/rest/v1/rpc/run_event_log`, () =>
      HttpResponse.json(run.event_log),
    ),
  );
}

/** The Voice section, once the event log has loaded. */
async function voiceSection() {
  return within(await screen.findByRole('region', { name: 'Voice' }));
}

const figure = (section: ReturnType<typeof within>, term: string) =>
  section.getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;

const rows = (section: ReturnType<typeof within>) =>
  section.getAllByRole('row').slice(1) as HTMLElement[];

describe('/results/:runId, a voice run', () => {
  it('shows a recorded offline voice run: per utterance what was said and heard, the lost words struck, the latencies and the run’s figures', async () => {
    const run = savedRun({
      created_at: recorded.created_at,
      conversation_history: recorded.conversation_history as RunDetail['conversation_history'],
      event_log: recorded.event_log as EventLogEntry[],
    });
    serve(run);
    renderRoute(`/results/${run.run_id}`);
    const voice = await voiceSection();

    // Two utterances, answered after 413 ms and 315 ms: nearest-rank p50 and p95.
    expect(figure(voice, 'Voice to voice p50 / p95')).toBe('315 ms / 413 ms');
    expect(figure(voice, 'Turn detection (VAD) p50 / p95')).toBe('213 ms / 215 ms');
    expect(figure(voice, 'Model p50 / p95')).toBe('102 ms / 198 ms');
    // In the noise the interviewer lost "it", then "lamp arrived": 3 of 10 words.
    expect(figure(voice, 'Word error rate')).toBe('30% (3 of 10 words)');
    expect(figure(voice, 'False end of turn')).toBe('0');
    expect(figure(voice, 'Missed end of turn')).toBe('0');
    expect(figure(voice, 'Barge-ins handled')).toBe('none made');

    const [first, second] = rows(voice);
    expect(rows(voice)).toHaveLength(2);
    const cells = (row: HTMLElement) =>
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent);
    expect(cells(first as HTMLElement)).toEqual([
      'not heard: it is 48 2210',
      'is 48 2210',
      '25% (1 of 4 words)',
      '413 ms',
      '215 ms',
      '198 ms',
      'ok',
    ]);
    expect(cells(second as HTMLElement)[1]).toBe('the in three pieces');
    // The lost words are struck through (not colour alone), and say so to a screen reader.
    expect(
      [...(second as HTMLElement).querySelectorAll('del')].map((word) => word.textContent),
    ).toEqual(['not heard: lamp', 'not heard: arrived']);
    expect((second as HTMLElement).querySelector('del')).toHaveAttribute('title', 'not heard');
  });

  it('says why a run whose user was to barge in made no barge-in', async () => {
    const scenario = scenarioSchema.parse({
      name: 'Spoken intake',
      interviewer: { prompt: 'You are a support agent.' },
      simulated_user: {
        persona: 'You are Lee.',
        speech: { mode: 'voice', voice: 'ash', interrupt_after_ms: 1500 },
      },
    });
    const run = savedRun({
      created_at: recorded.created_at,
      conversation_history: recorded.conversation_history as RunDetail['conversation_history'],
      event_log: recorded.event_log as EventLogEntry[],
      scenario_hash: 'd'.repeat(64),
      scenario: { name: scenario.name, content: scenario },
    });
    serve(run);
    renderRoute(`/results/${run.run_id}`);
    expect(figure(await voiceSection(), 'Barge-ins handled')).toBe(
      'none made: asked for 1.50 s into each turn, no interviewer turn was still heard when the reply was ready',
    );
  });

  it('marks misheard and added words, and flags a false end of turn, a missed one and a barge-in', async () => {
    const origin = Date.parse('2026-11-20T10:00:00Z');
    const at = (ms: number) => new Date(origin + ms).toISOString();
    const log: EventLogEntry[] = [];
    const system = (ms: number, event: Record<string, unknown>) =>
      log.push({ direction: 'system', timestamp: at(ms), event: event as never });
    const server_ = (ms: number, event: Record<string, unknown>) =>
      log.push({ direction: 'server', timestamp: at(ms), event: event as never });
    const answer = (id: string, createdMs: number, firstAudioMs: number) => {
      server_(createdMs, { type: 'response.created', response: { id, status: 'in_progress' } });
      server_(firstAudioMs, { type: 'output_audio_buffer.started', response_id: id });
    };
    const heard = (item: string, audio: [number, number], stoppedMs: number, text: string) => {
      server_(stoppedMs - 50, {
        type: 'input_audio_buffer.speech_started',
        item_id: item,
        audio_start_ms: audio[0],
      });
      server_(stoppedMs, {
        type: 'input_audio_buffer.speech_stopped',
        item_id: item,
        audio_end_ms: audio[1],
      });
      server_(stoppedMs, {
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: item,
        content_index: 0,
        transcript: text,
      });
    };
    system(0, { type: 'run.started' });
    // 1: "is" heard as "was", and "please" added; answered 500 ms after the speech: VAD 300, model 200.
    system(1000, {
      type: 'user_speech.started',
      utterance_id: 'u1',
      audio_start_ms: 0,
      text: 'My order is 48 2210.',
    });
    system(2000, { type: 'user_speech.ended', utterance_id: 'u1', audio_end_ms: 1000 });
    heard('item_1', [50, 1300], 2300, 'My order was 48 2210, please.');
    answer('resp_1', 2300, 2500);
    // 2: the detector cuts the user off mid-sentence; the answer starts over them, the user
    // barges in and it stops 200 ms later; the rest of the speech is heard and answered.
    system(3000, {
      type: 'user_speech.started',
      utterance_id: 'u2',
      audio_start_ms: 2000,
      text: 'The lamp arrived in three pieces.',
    });
    heard('item_2', [2050, 3000], 4100, 'The lamp arrived');
    answer('resp_2', 4100, 4250);
    system(4300, { type: 'user_speech.barge_in', utterance_id: 'u2', response_id: 'resp_2' });
    server_(4500, { type: 'output_audio_buffer.cleared', response_id: 'resp_2' });
    system(5000, { type: 'user_speech.ended', utterance_id: 'u2', audio_end_ms: 4000 });
    heard('item_3', [3300, 4300], 5300, 'in three pieces');
    answer('resp_3', 5300, 5600);
    // 3: never detected, never answered, and the log goes on 6 s after it.
    system(7000, {
      type: 'user_speech.started',
      utterance_id: 'u3',
      audio_start_ms: 5000,
      text: 'Yes please.',
    });
    system(8000, { type: 'user_speech.ended', utterance_id: 'u3', audio_end_ms: 6000 });
    system(14000, { type: 'run.ended', end_reason: 'user_ended' });

    const run = savedRun({ event_log: log });
    serve(run);
    renderRoute(`/results/${run.run_id}`);
    const voice = await voiceSection();

    expect(figure(voice, 'Voice to voice p50 / p95')).toBe('500 ms / 600 ms');
    // 1 substitution + 1 insertion + 2 lost words of "yes please", over 5 + 6 + 2 words.
    expect(figure(voice, 'Word error rate')).toBe('30.8% (4 of 13 words)');
    expect(figure(voice, 'False end of turn')).toBe('1');
    expect(figure(voice, 'Missed end of turn')).toBe('1');
    expect(figure(voice, 'Barge-ins handled')).toBe('1 of 1');

    const [first, second, third] = rows(voice) as [HTMLElement, HTMLElement, HTMLElement];
    // A substitution is marked on both sides, and an added word is underlined.
    expect(first.querySelector('td:nth-of-type(1) mark')).toHaveTextContent('is (heard as was)');
    expect(first.querySelector('td:nth-of-type(2) mark')).toHaveTextContent('was (instead of is)');
    expect(first.querySelector('td:nth-of-type(2) ins')).toHaveTextContent('not said: please');
    expect(first.querySelector('td:nth-of-type(2)')).toHaveTextContent(
      'my order was (instead of is) 48 2210 not said: please',
    );
    expect(within(first).getByRole('cell', { name: '40% (2 of 5 words)' })).toBeInTheDocument();
    expect(within(first).getByRole('cell', { name: '500 ms' })).toBeInTheDocument();
    expect(within(first).getByRole('cell', { name: '300 ms' })).toBeInTheDocument();
    expect(within(first).getByRole('cell', { name: '200 ms' })).toBeInTheDocument();
    expect(within(first).getByText('ok')).toBeInTheDocument();

    // Heard in two pieces, all of it: no marks, but the turn was taken while the user spoke.
    expect(second.querySelector('mark, del, ins')).toBeNull();
    expect(within(second).getByRole('cell', { name: '600 ms' })).toBeInTheDocument();
    const flags = within(second)
      .getAllByRole('listitem')
      .map((flag) => flag.textContent);
    expect(flags).toEqual(['⚠ False end of turn', '✓ Barge-in handled (200 ms)']);
    expect(within(second).getByText(/False end of turn/)).toHaveAttribute(
      'title',
      'The interviewer answered while the user was still speaking',
    );

    expect(within(third).getByText('nothing heard')).toBeInTheDocument();
    expect([...third.querySelectorAll('del')].map((word) => word.textContent)).toEqual([
      'not heard: yes',
      'not heard: please',
    ]);
    expect(
      within(third)
        .getAllByRole('listitem')
        .map((flag) => flag.textContent),
    ).toEqual(['⚠ Missed end of turn']);
    expect(within(third).getAllByRole('cell', { name: '—' })).toHaveLength(3);
  });

  it('shows no Voice section for a text run', async () => {
    const run = savedRun();
    serve(run);
    renderRoute(`/results/${run.run_id}`);
    // Once the event log is in, the page has decided.
    await screen.findByRole('region', { name: 'Event log explorer' });
    expect(screen.queryByRole('region', { name: 'Voice' })).toBeNull();
    expect(screen.queryByText(/Voice to voice/)).toBeNull();
  });
});
