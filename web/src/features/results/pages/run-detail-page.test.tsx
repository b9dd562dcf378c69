import { PRICING } from '@core/pricing.ts';
import { scenarioHash, scenarioSchema } from '@core/scenario.ts';
import type { RunDetail } from '@data/get-run.ts';
import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureDownloads } from '../../../test/downloads.ts';
import { renderRoute, TEST_SUPABASE_URL } from '../../../test/render.tsx';
import { transcriptCsv } from '../export-run.ts';
import { savedRun } from '../test-fixtures.ts';

const judgementsUrl = `${TEST_SUPABASE_URL}/rest/v1/run_judgements`;
const statusUrl = `${TEST_SUPABASE_URL}/functions/v1/realtime-session`;
const audioInfoUrl = `${TEST_SUPABASE_URL}/rest/v1/benchmark_run_audio`;
const audioFileUrl = `${TEST_SUPABASE_URL}/rest/v1/rpc/run_audio`;
const server = setupServer(
  http.get(judgementsUrl, () => HttpResponse.json([])),
  http.get(statusUrl, () => HttpResponse.json({ openai_configured: false })),
  // Runs have no audio unless a test says otherwise.
  http.get(audioInfoUrl, () => HttpResponse.json([])),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

const runsUrl = `${TEST_SUPABASE_URL}/rest/v1/benchmark_runs`;

function serve(run: RunDetail | null) {
  const requests: URL[] = [];
  server.use(
    http.get(runsUrl, ({ request }) => {
      requests.push(new URL(request.url));
      return HttpResponse.json(run ? [run] : []);
    }),
    // The event log comes one run per call (clients may not select the column).
    http.get(`${TEST_SUPABASE_URL}/rest/v1/rpc/run_event_log`, ({ request }) => {
      requests.push(new URL(request.url));
      const runId = new URL(request.url).searchParams.get('run_id');
      return HttpResponse.json(run && runId === run.run_id ? run.event_log : null);
    }),
  );
  return requests;
}

describe('/results/:runId', () => {
  it('shows the header facts, both prompts and the transcript with times from the start', async () => {
    const run = savedRun();
    const requests = serve(run);
    renderRoute(`/results/${run.run_id}`);

    expect(await screen.findByRole('heading', { name: 'Run 11111111' })).toBeInTheDocument();
    expect(screen.getByText(run.run_id)).toBeInTheDocument();
    expect(screen.getByText('2026-11-20 10:00:00 UTC')).toBeInTheDocument();
    expect(screen.getByText('0:04')).toBeInTheDocument();
    expect(screen.getByText('Termination cue')).toBeInTheDocument();

    const transcript = within(screen.getByRole('list', { name: 'Transcript' }));
    const turns = transcript.getAllByRole('listitem');
    expect(turns).toHaveLength(3);
    expect(turns[0]).toHaveTextContent('Interviewer +0:01.0Hi! How do you plan your week?');
    expect(turns[1]).toHaveTextContent('Simulated user +0:02.5');

    await userEvent.click(screen.getByText('Interviewer prompt'));
    expect(screen.getByText(/Ask one question at a time/)).toBeVisible();

    const url = requests[0] as URL;
    expect(url.searchParams.get('run_id')).toBe(`eq.${run.run_id}`);
    expect(url.searchParams.get('select')).not.toContain('transcript_tsv');
  });

  it('replays the transcript with its timing: play, speed, pause and scrub', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const run = savedRun();
    serve(run);
    renderRoute(`/results/${run.run_id}`);
    const replay = within(await screen.findByRole('region', { name: 'Replay' }));
    const replayed = () => replay.queryAllByRole('listitem').length;
    expect(replayed()).toBe(0);
    // Play waits until the page knows whether there is a recording to play by.
    await vi.waitFor(() => expect(replay.getByRole('button', { name: 'Play' })).toBeEnabled());

    fireEvent.click(replay.getByRole('button', { name: '2x' }));
    expect(replay.getByRole('button', { name: '2x' })).toHaveAttribute('aria-pressed', 'true');
    fireEvent.click(replay.getByRole('button', { name: 'Play' }));
    await act(() => vi.advanceTimersByTimeAsync(600)); // 1.2 s of run time at 2x
    expect(replayed()).toBe(1);
    fireEvent.click(replay.getByRole('button', { name: 'Pause' }));
    await act(() => vi.advanceTimersByTimeAsync(5_000));
    expect(replayed()).toBe(1);

    fireEvent.change(replay.getByRole('slider', { name: 'Position' }), {
      target: { value: '4000' },
    });
    expect(replayed()).toBe(3);
    expect(replay.getByText('3 of 3 turns')).toBeInTheDocument();
    fireEvent.change(replay.getByRole('slider', { name: 'Position' }), {
      target: { value: '2000' },
    });
    expect(replayed()).toBe(1);

    fireEvent.click(replay.getByRole('button', { name: '5x' }));
    fireEvent.click(replay.getByRole('button', { name: 'Play' }));
    await act(() => vi.advanceTimersByTimeAsync(1_000)); // 5 s of run time: to the end
    expect(replayed()).toBe(3);
    expect(replay.getByRole('button', { name: 'Play' })).toBeInTheDocument();
  });

  it('filters the event log by type and direction and expands an event to its raw JSON', async () => {
    const run = savedRun();
    serve(run);
    renderRoute(`/results/${run.run_id}`);
    const explorer = within(await screen.findByRole('region', { name: 'Event log explorer' }));
    expect(explorer.getByTestId('event-count')).toHaveTextContent('6 events');

    await userEvent.selectOptions(explorer.getByLabelText('Type'), 'response.done');
    expect(explorer.getByTestId('event-count')).toHaveTextContent('1 of 6 events');
    await userEvent.click(explorer.getByRole('button', { name: /response\.done/ }));
    expect(explorer.getByText(/"total_tokens": 42/)).toBeInTheDocument();

    await userEvent.selectOptions(explorer.getByLabelText('Type'), '');
    await userEvent.click(explorer.getByLabelText('server'));
    await userEvent.click(explorer.getByLabelText('client'));
    expect(explorer.getByTestId('event-count')).toHaveTextContent('2 of 6 events');
  });

  describe('turn timeline', () => {
    afterEach(() => Reflect.deleteProperty(Element.prototype, 'scrollIntoView'));
    const at = (ms: number) => new Date(Date.parse('2026-11-20T10:00:00Z') + ms).toISOString();
    const event = (direction: 'client' | 'server' | 'system', ms: number, body: object) => ({
      direction,
      timestamp: at(ms),
      event: body as { type: string },
    });
    /** Two WebRTC interviewer turns around a simulated-user reply: first audio 410 ms, then 1,500 ms. */
    const timedRun = (checks?: { max_time_to_first_audio_ms: number }) =>
      savedRun({
        scenario: {
          name: 'Planning',
          content: scenarioSchema.parse({
            name: 'Planning',
            interviewer: { prompt: 'Ask.' },
            simulated_user: { persona: 'You are Sam.' },
            checks,
          }),
        },
        conversation_history: [
          // Saved before interviewer turns kept their response id.
          { speaker: 'interviewer', content: 'How do you plan?', timestamp: at(1_000) },
          { speaker: 'simulated_user', content: 'On paper.', timestamp: at(2_400) },
          {
            speaker: 'interviewer',
            content: 'Thanks, goodbye.',
            timestamp: at(4_000),
            response_id: 'r2',
          },
        ],
        event_log: [
          event('system', 0, { type: 'run.started', model: 'gpt-realtime' }),
          event('system', 10, { type: 'turn.requested', speaker: 'interviewer' }),
          event('client', 10, { type: 'response.create' }),
          event('server', 50, { type: 'response.created', response: { id: 'r1' } }),
          event('server', 300, {
            type: 'response.output_audio_transcript.delta',
            response_id: 'r1',
            delta: 'How',
          }),
          event('server', 420, { type: 'output_audio_buffer.started', response_id: 'r1' }),
          event('server', 900, {
            type: 'response.done',
            response: { id: 'r1', status: 'completed' },
          }),
          event('server', 1_400, { type: 'output_audio_buffer.stopped', response_id: 'r1' }),
          event('system', 1_450, { type: 'turn.requested', speaker: 'simulated_user' }),
          event('system', 2_400, { type: 'turn.completed', speaker: 'simulated_user' }),
          event('client', 2_400, { type: 'conversation.item.create', item: { id: 'u1' } }),
          event('system', 2_450, { type: 'turn.requested', speaker: 'interviewer' }),
          event('client', 2_450, { type: 'response.create' }),
          event('server', 2_500, { type: 'response.created', response: { id: 'r2' } }),
          event('server', 2_700, {
            type: 'response.output_audio_transcript.delta',
            response_id: 'r2',
            delta: 'Thanks',
          }),
          event('server', 3_950, { type: 'output_audio_buffer.started', response_id: 'r2' }),
          event('server', 4_000, {
            type: 'response.done',
            response: { id: 'r2', status: 'completed' },
          }),
          event('server', 4_100, { type: 'output_audio_buffer.stopped', response_id: 'r2' }),
          event('system', 4_200, { type: 'run.ended', end_reason: 'termination_cue' }),
        ],
      });

    it(`opens a turn's events in the explorer when its bar is clicked, until "Show all"`, async () => {
      const run = timedRun();
      serve(run);
      renderRoute(`/results/${run.run_id}`);
      const waterfall = within(await screen.findByRole('region', { name: 'Turn timeline' }));
      const explorer = within(screen.getByRole('region', { name: 'Event log explorer' }));
      expect(explorer.getByTestId('event-count')).toHaveTextContent('19 events');
      // A filter set before is cleared: the turn's events are shown whole.
      await userEvent.selectOptions(explorer.getByLabelText('Type'), 'response.done');

      const bar = waterfall.getByRole('button', { name: /^Turn 3, interviewer/ });
      expect(bar).toHaveAttribute(
        'title',
        'Turn 3, interviewer (completed): request → first text 250 ms, first audio 1,500 ms, last audio 1,650 ms, done 1,550 ms; gap before 50 ms',
      );
      // jsdom lays nothing out and has no scrollIntoView: record which element asked.
      const scrolled: Element[] = [];
      Element.prototype.scrollIntoView = function (this: Element) {
        scrolled.push(this);
      };
      await userEvent.click(bar);
      expect(bar).toHaveAttribute('aria-pressed', 'true');
      expect(scrolled).toEqual([screen.getByRole('region', { name: 'Event log explorer' })]);
      expect(explorer.getByText("Showing turn 3's events (7) —")).toBeInTheDocument();
      expect(explorer.getByTestId('event-count')).toHaveTextContent('7 of 19 events');
      const types = explorer
        .getAllByRole('button', { expanded: false })
        .map((row) => row.querySelector('.type')?.textContent);
      expect(types).toEqual([
        'turn.requested',
        'response.create',
        'response.created',
        'response.output_audio_transcript.delta',
        'output_audio_buffer.started',
        'response.done',
        'output_audio_buffer.stopped',
      ]);

      // Clicking it again brings its events back into view.
      await userEvent.click(bar);
      expect(scrolled).toHaveLength(2);

      await userEvent.click(waterfall.getByRole('button', { name: /^Turn 2, simulated user/ }));
      expect(explorer.getByTestId('event-count')).toHaveTextContent('3 of 19 events');

      await userEvent.click(explorer.getByRole('button', { name: 'Show all' }));
      expect(explorer.getByTestId('event-count')).toHaveTextContent('19 events');
      expect(explorer.queryByText(/Showing turn/)).not.toBeInTheDocument();
    });

    it("shows each interviewer turn's first-audio latency in the transcript, against the scenario's bound", async () => {
      const run = timedRun({ max_time_to_first_audio_ms: 1_000 });
      serve(run);
      renderRoute(`/results/${run.run_id}`);
      const transcript = within(await screen.findByRole('list', { name: 'Transcript' }));
      const within_ = await transcript.findByText('first audio 410 ms (within the 1,000 ms bound)');
      expect(within_).toHaveClass('within');
      const over = transcript.getByText('first audio 1,500 ms (over the 1,000 ms bound)');
      expect(over).toHaveClass('over');
      expect(transcript.getAllByRole('listitem')[1]).not.toHaveTextContent('first audio');
    });

    it('shows the latency without a verdict when the scenario sets no bound', async () => {
      const run = timedRun();
      serve(run);
      renderRoute(`/results/${run.run_id}`);
      const transcript = within(await screen.findByRole('list', { name: 'Transcript' }));
      const badge = await transcript.findByText('first audio 410 ms');
      expect(badge).toHaveClass('neutral');
      expect(transcript.queryByText(/bound/)).not.toBeInTheDocument();
    });
  });

  it('names the scenario version of the run and diffs it against another version', async () => {
    const base = scenarioSchema.parse({
      name: 'Support intake',
      interviewer: { prompt: 'You are a support agent.\nAsk for the order number.' },
      simulated_user: { persona: 'You are Lee.' },
    });
    const edited = {
      ...base,
      interviewer: { ...base.interviewer, prompt: 'You are a support agent.\nAsk for the email.' },
    };
    const [baseHash, editedHash] = [await scenarioHash(base), await scenarioHash(edited)];
    const run = savedRun({
      scenario_hash: editedHash,
      scenario: { name: base.name, content: edited },
    });
    serve(run);
    server.use(
      http.get(`${TEST_SUPABASE_URL}/rest/v1/benchmark_scenario_versions`, () =>
        HttpResponse.json(
          [
            [editedHash, edited, '2026-11-21T00:00:00Z'],
            [baseHash, base, '2026-11-20T00:00:00Z'],
          ].map(([scenario_hash, content, created_at]) => ({
            scenario_hash,
            name: 'Support intake',
            content,
            created_at,
            last_run_at: null,
            from_file: true,
          })),
        ),
      ),
    );
    renderRoute(`/results/${run.run_id}`);

    const section = within(await screen.findByRole('region', { name: 'Scenario' }));
    expect(section.getByRole('link', { name: 'Support intake' })).toHaveAttribute(
      'href',
      '/results?scenario=Support+intake',
    );
    expect(section.getByRole('link', { name: editedHash.slice(0, 8) })).toHaveAttribute(
      'href',
      `/results?version=${editedHash}`,
    );
    await userEvent.click(section.getByText('Compare with another version'));
    expect(await section.findByLabelText('Compare with version')).toHaveValue(baseHash);
    const diff = document.querySelector('pre.diff')?.textContent ?? '';
    const lines = diff.split('\n');
    expect(lines.filter((line) => line.startsWith('-'))).toEqual([
      '-     Ask for the order number.',
    ]);
    expect(lines.filter((line) => line.startsWith('+'))).toEqual(['+     Ask for the email.']);
    // Unchanged lines stay lines of their own, as in the YAML file.
    expect(lines).toContain('  name: Support intake');
    expect(lines).toContain('  interviewer:');
  });

  it('shows the run metrics: latency, responses, tokens, cost with its prices, and the checks', async () => {
    const tokens = (textInput: number, audioOutput: number) => ({
      textInput,
      textCachedInput: 0,
      textOutput: 12,
      audioInput: 0,
      audioCachedInput: 0,
      audioOutput,
    });
    const run = savedRun({
      metrics: {
        run_id: '11111111-2222-4333-8444-555555555555',
        scenario_hash: null,
        created_at: '2026-11-20T10:00:00Z',
        latest_judge_score: null,
        metrics_version: 1,
        computed_at: '2026-11-20T10:00:05Z',
        interviewer_model: 'gpt-realtime',
        simulated_user_model: 'gpt-4.1-mini',
        interviewer_turns: 2,
        first_text_p50_ms: 310,
        first_text_p95_ms: 520,
        first_audio_p50_ms: 420,
        first_audio_p95_ms: 1520,
        responses_completed: 2,
        responses_cancelled: 1,
        responses_incomplete: 0,
        responses_failed: 0,
        responses_without_usage: 0,
        tokens: { interviewer: tokens(1000, 200), simulated_user: tokens(2000, 0) },
        total_tokens: 3224,
        cost_usd: '0.017120',
        pricing_version: PRICING.version,
        checks: [
          { check: 'must_mention: order number', passed: true, detail: 'said' },
          { check: 'ended_by: cue', passed: false, detail: 'ended by user_ended' },
        ],
        checks_passed: 1,
        checks_total: 2,
        voice_to_voice_p50_ms: null,
        voice_to_voice_p95_ms: null,
        wer: null,
        wer_errors: null,
        wer_words: null,
        false_end_of_turns: null,
        missed_end_of_turns: null,
      },
    });
    serve(run);
    renderRoute(`/results/${run.run_id}`);

    const panel = within(await screen.findByRole('region', { name: 'Metrics' }));
    expect(panel.getByText('420 ms / 1.52 s')).toBeInTheDocument();
    expect(panel.getByText('2 completed, 1 cancelled')).toBeInTheDocument();
    expect(panel.getByText('$0.0171')).toBeInTheDocument();
    expect(panel.getByText(`(prices of ${PRICING.version})`)).toBeInTheDocument();
    expect(panel.getByRole('row', { name: 'Text in 1,000 2,000' })).toBeInTheDocument();
    // A text run has no voice: no speech or transcription columns.
    expect(panel.getAllByRole('columnheader').map((th) => th.textContent)).toEqual([
      'Kind',
      'Interviewer (gpt-realtime)',
      'Simulated user (gpt-4.1-mini)',
    ]);
    expect(panel.getByText('Checks: 1/2 passed')).toBeInTheDocument();
    expect(panel.getByText('ended_by: cue').closest('li')).toHaveClass('fail');
  });

  /** A stored voice run whose speech and transcription tokens `voice` gives. */
  function storedVoiceRun(
    voice: (
      tokens: (counts: Partial<Record<string, number>>) => Record<string, number>,
    ) => Record<string, unknown>,
  ) {
    const tokens = (counts: Partial<Record<string, number>>) => ({
      textInput: 0,
      textCachedInput: 0,
      textOutput: 0,
      audioInput: 0,
      audioCachedInput: 0,
      audioOutput: 0,
      ...counts,
    });
    return savedRun({
      metrics: {
        run_id: '11111111-2222-4333-8444-555555555555',
        scenario_hash: null,
        created_at: '2026-11-20T10:00:00Z',
        latest_judge_score: null,
        metrics_version: 3,
        computed_at: '2026-11-20T10:00:05Z',
        interviewer_model: 'gpt-realtime',
        simulated_user_model: 'gpt-4.1-mini',
        interviewer_turns: 1,
        first_text_p50_ms: 310,
        first_text_p95_ms: 310,
        first_audio_p50_ms: 420,
        first_audio_p95_ms: 420,
        responses_completed: 1,
        responses_cancelled: 0,
        responses_incomplete: 0,
        responses_failed: 0,
        responses_without_usage: 0,
        tokens: {
          interviewer: tokens({ textInput: 1000, audioInput: 300, audioOutput: 200 }),
          simulated_user: tokens({ textInput: 2000, textOutput: 12 }),
          ...voice(tokens),
        },
        total_tokens: 4008,
        cost_usd: '0.030000',
        pricing_version: PRICING.version,
        checks: [],
        checks_passed: 0,
        checks_total: 0,
        voice_to_voice_p50_ms: 800,
        voice_to_voice_p95_ms: 800,
        wer: 0,
        wer_errors: 0,
        wer_words: 3,
        false_end_of_turns: 0,
        missed_end_of_turns: 0,
      },
    });
  }

  it("shows a voice run's speech and transcription tokens beside the others, with their models", async () => {
    const run = storedVoiceRun((tokens) => ({
      speech: tokens({ textInput: 9, audioOutput: 450 }),
      transcription: tokens({ audioInput: 30, textOutput: 7 }),
      voice_models: { speech: 'gpt-4o-mini-tts', transcription: 'gpt-4o-mini-transcribe' },
    }));
    serve(run);
    renderRoute(`/results/${run.run_id}`);

    const panel = within(await screen.findByRole('region', { name: 'Metrics' }));
    expect(panel.getAllByRole('columnheader').map((th) => th.textContent)).toEqual([
      'Kind',
      'Interviewer (gpt-realtime)',
      'Simulated user (gpt-4.1-mini)',
      'Speech (gpt-4o-mini-tts)',
      'Transcription (gpt-4o-mini-transcribe)',
    ]);
    expect(panel.getByRole('row', { name: 'Text in 1,000 2,000 9 0' })).toBeInTheDocument();
    expect(panel.getByRole('row', { name: 'Audio in 300 0 0 30' })).toBeInTheDocument();
    expect(panel.getByRole('row', { name: 'Audio out 200 0 450 0' })).toBeInTheDocument();
    expect(panel.getByText('Tokens (4,008 in all)')).toBeInTheDocument();
  });

  it('shows no speech or transcription columns for a voice run that used no tokens for them (offline)', async () => {
    const run = storedVoiceRun((tokens) => ({
      speech: tokens({}),
      transcription: tokens({}),
      voice_models: { speech: null, transcription: 'gpt-4o-mini-transcribe' },
    }));
    serve(run);
    renderRoute(`/results/${run.run_id}`);
    const panel = within(await screen.findByRole('region', { name: 'Metrics' }));
    expect(panel.getAllByRole('columnheader').map((th) => th.textContent)).toEqual([
      'Kind',
      'Interviewer (gpt-realtime)',
      'Simulated user (gpt-4.1-mini)',
    ]);
  });

  it('says how to measure a run saved before metrics existed', async () => {
    const run = savedRun();
    serve(run);
    renderRoute(`/results/${run.run_id}`);
    const panel = within(await screen.findByRole('region', { name: 'Metrics' }));
    expect(panel.getByText(/Not measured yet/)).toBeInTheDocument();
  });

  it('judges a run with a rubric on request and shows the scores; without a key it says so', async () => {
    const scenario = scenarioSchema.parse({
      name: 'Support intake',
      interviewer: { prompt: 'Ask for the order number.' },
      simulated_user: { persona: 'You are Lee.' },
      rubric: { criteria: [{ name: 'Collects the order number', description: 'Asks first.' }] },
    });
    const run = savedRun({
      scenario_hash: 'c'.repeat(64),
      scenario: { name: scenario.name, content: scenario },
    });
    serve(run);
    const stored: unknown[] = [];
    const judgement = {
      judgement_id: 'j1',
      judged_at: '2026-11-24T10:00:00Z',
      judge_model: 'gpt-4.1',
      rubric_hash: 'd'.repeat(64),
      status: 'ok',
      scores: [{ criterion: 'Collects the order number', score: 4, reason: 'Asked early.' }],
      overall_score: 0.75,
      summary: 'Good intake.',
      error: null,
    };
    let keyConfigured = false;
    server.use(
      http.get(judgementsUrl, () => HttpResponse.json(stored)),
      http.get(`${TEST_SUPABASE_URL}/rest/v1/benchmark_scenario_versions`, () =>
        HttpResponse.json([]),
      ),
      http.post(`${TEST_SUPABASE_URL}/functions/v1/judge-run`, () => {
        if (!keyConfigured) {
          return HttpResponse.json(
            {
              error: {
                code: 'openai_key_missing',
                message: 'No OpenAI key is configured for the edge functions',
              },
            },
            { status: 503 },
          );
        }
        stored.push(judgement);
        return HttpResponse.json(judgement, { status: 201 });
      }),
    );
    renderRoute(`/results/${run.run_id}`);
    const section = within(await screen.findByRole('region', { name: 'Judge' }));
    expect(await section.findByText('Not judged yet.')).toBeInTheDocument();

    await userEvent.click(section.getByRole('button', { name: 'Judge this run' }));
    expect(await section.findByRole('alert')).toHaveTextContent('No OpenAI key is configured');

    keyConfigured = true;
    await userEvent.click(section.getByRole('button', { name: 'Judge this run' }));
    expect(await section.findByText('75%')).toBeInTheDocument();
    expect(section.getByText(/4\/5 — Asked early\./)).toBeInTheDocument();
    expect(section.getByRole('button', { name: 'Judge again' })).toBeEnabled();
  });

  it('shows the latest judgement by a judge judge-run accepts; scores by other models are not counted', async () => {
    const scenario = scenarioSchema.parse({
      name: 'Support intake',
      interviewer: { prompt: 'Ask for the order number.' },
      simulated_user: { persona: 'You are Lee.' },
      rubric: { criteria: [{ name: 'Collects the order number', description: 'Asks first.' }] },
    });
    const run = savedRun({
      scenario_hash: 'c'.repeat(64),
      scenario: { name: scenario.name, content: scenario },
    });
    serve(run);
    const judgement = (judged_at: string, judge_model: string, score: number) => ({
      judgement_id: `${judge_model}-${judged_at}`,
      judged_at,
      judge_model,
      rubric_hash: 'd'.repeat(64),
      status: 'ok',
      scores: [{ criterion: 'Collects the order number', score, reason: `by ${judge_model}` }],
      overall_score: (score - 1) / 4,
      summary: null,
      error: null,
    });
    server.use(
      // Newest first, as the page asks: a cheap model's flattering score on top.
      http.get(judgementsUrl, () =>
        HttpResponse.json([
          judgement('2026-11-25T10:00:00Z', 'gpt-3.5-turbo', 5),
          judgement('2026-11-24T10:00:00Z', 'gpt-4.1-2025-04-14', 2),
          judgement('2026-11-23T10:00:00Z', 'gpt-4o-mini', 4),
        ]),
      ),
      http.get(`${TEST_SUPABASE_URL}/rest/v1/benchmark_scenario_versions`, () =>
        HttpResponse.json([]),
      ),
      http.get(statusUrl, () =>
        HttpResponse.json({
          openai_configured: true,
          allowed_models: { judge_run: ['gpt-4.1', 'gpt-4o-mini'] },
        }),
      ),
    );
    renderRoute(`/results/${run.run_id}`);
    const section = within(await screen.findByRole('region', { name: 'Judge' }));
    expect(await section.findByText('25%')).toBeInTheDocument();
    expect(section.getByText(/by gpt-4\.1-2025-04-14,/)).toBeInTheDocument();
    expect(section.queryByText('100%')).not.toBeInTheDocument();
    expect(
      section.getByText(
        '3 judgements in all, 1 by judges not allowed now (gpt-3.5-turbo), not counted.',
      ),
    ).toBeInTheDocument();
  });

  it('says clearly when the run does not exist', async () => {
    const requests = serve(null);
    renderRoute('/results/99999999-2222-4333-8444-555555555555');
    expect(await screen.findByRole('heading', { name: 'Run not found' })).toBeInTheDocument();
    expect(requests).toHaveLength(1);
  });

  it('treats a malformed id as not found without asking the server', async () => {
    const requests = serve(null);
    renderRoute('/results/not-a-run');
    expect(await screen.findByRole('heading', { name: 'Run not found' })).toBeInTheDocument();
    expect(screen.getByText('not-a-run')).toBeInTheDocument();
    expect(requests).toHaveLength(0);
  });
});

describe('transcript CSV export', () => {
  it('quotes commas, quotes, line breaks and keeps emoji, with CRLF rows (RFC 4180)', () => {
    const run = savedRun({
      conversation_history: [
        { speaker: 'interviewer', content: 'Plain', timestamp: '2026-11-20T10:00:01.000Z' },
        { speaker: 'simulated_user', content: 'One, two', timestamp: '2026-11-20T10:00:02.000Z' },
        { speaker: 'interviewer', content: 'She said "hi"', timestamp: '2026-11-20T10:00:03.000Z' },
        {
          speaker: 'simulated_user',
          content: 'line one\nline two\r\nthree',
          timestamp: '2026-11-20T10:00:04.000Z',
        },
        { speaker: 'interviewer', content: 'Great 🎙️👍', timestamp: '2026-11-20T10:00:05.000Z' },
      ],
    });
    expect(transcriptCsv(run)).toBe(
      [
        'turn,speaker,timestamp,offset_ms,content',
        '1,interviewer,2026-11-20T10:00:01.000Z,1000,Plain',
        '2,simulated_user,2026-11-20T10:00:02.000Z,2000,"One, two"',
        '3,interviewer,2026-11-20T10:00:03.000Z,3000,"She said ""hi"""',
        '4,simulated_user,2026-11-20T10:00:04.000Z,4000,"line one\nline two\r\nthree"',
        '5,interviewer,2026-11-20T10:00:05.000Z,5000,Great 🎙️👍',
      ].join('\r\n'),
    );
  });
});

describe('/results/:runId, the audio', () => {
  const webm = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x42, 0x86, 0x81, 0x01]);

  /** A run whose interviewer turns name their responses, with a recording heard from 1.2 s and 4.1 s. */
  function serveWithAudio() {
    const run = savedRun();
    run.conversation_history = run.conversation_history.map((turn, index) =>
      turn.speaker === 'interviewer' ? { ...turn, response_id: `resp_${index}` } : turn,
    );
    serve(run);
    const info = {
      run_id: run.run_id,
      content_type: 'audio/webm;codecs=opus',
      started_at: run.created_at,
      duration_ms: 4_500,
      byte_length: webm.length,
      sha256: 'a'.repeat(64),
      loudness: Array.from({ length: 45 }, (_, i) => (i >= 12 && i < 22 ? 70 : 0)),
      segments: [
        { response_id: 'resp_0', start_ms: 1_200, end_ms: 2_200 },
        { response_id: 'resp_2', start_ms: 4_100, end_ms: 4_400 },
      ],
      created_at: run.created_at,
    };
    const fileRequests: Request[] = [];
    server.use(
      http.get(audioInfoUrl, () => HttpResponse.json([info])),
      http.get(audioFileUrl, ({ request }) => {
        fileRequests.push(request);
        return new HttpResponse(webm, { headers: { 'content-type': 'audio/webm' } });
      }),
    );
    return { run, info, fileRequests };
  }

  it('says when a run has no audio, and the replay keeps its own clock', async () => {
    const run = savedRun();
    serve(run);
    renderRoute(`/results/${run.run_id}`);
    const audio = within(await screen.findByRole('region', { name: 'Audio' }));
    expect(await audio.findByText(/This run has no audio/)).toBeInTheDocument();
    expect(audio.queryByRole('slider')).toBeNull();
    const replay = within(screen.getByRole('region', { name: 'Replay' }));
    expect(replay.getByTestId('replay-clock')).toHaveTextContent('0:00 / 0:04');
  });

  it('puts the page on the recording’s clock: a clicked turn seeks to where it is heard, the heard turn is marked', async () => {
    const { run, fileRequests } = serveWithAudio();
    const downloads = captureDownloads();
    renderRoute(`/results/${run.run_id}`);
    const region = within(await screen.findByRole('region', { name: 'Audio' }));
    const player = await vi.waitFor(() => {
      const element = document.querySelector<HTMLAudioElement>('.run-audio audio');
      if (!element) throw new Error('no player yet');
      return element;
    });
    expect(fileRequests[0]?.headers.get('accept')).toBe('audio/webm');
    expect(new URL(fileRequests[0]?.url ?? '').searchParams.get('run_id')).toBe(run.run_id);
    expect(player.src).toMatch(/^blob:/);

    // The replay lasts the recording, and the waveform marks the three turns where they are heard.
    const replay = within(screen.getByRole('region', { name: 'Replay' }));
    expect(replay.getByTestId('replay-clock')).toHaveTextContent('0:00 / 0:05');
    const waveform = region.getByRole('slider', { name: 'Audio timeline' });
    expect(
      [...waveform.querySelectorAll('.waveform-turn')].map((mark) => mark.getAttribute('title')),
    ).toEqual([
      'Turn 1 (Interviewer) at 0:01',
      'Turn 2 (Simulated user) at 0:03',
      'Turn 3 (Interviewer) at 0:04',
    ]);

    const transcript = within(screen.getByRole('list', { name: 'Transcript' }));
    const turnButton = (index: number) =>
      within(transcript.getAllByRole('listitem')[index] as HTMLElement).getByRole('button');
    // An interviewer turn starts where its response is first heard, not when it was requested.
    fireEvent.click(turnButton(2));
    expect(player.currentTime).toBeCloseTo(4.1);
    fireEvent.click(turnButton(1));
    expect(player.currentTime).toBeCloseTo(2.5);
    fireEvent.click(turnButton(0));
    expect(player.currentTime).toBeCloseTo(1.2);

    // As the audio plays, the turn being heard is marked and the replay shows what was said by then.
    player.currentTime = 2.6;
    fireEvent(player, new Event('timeupdate'));
    await vi.waitFor(() => expect(transcript.getAllByRole('listitem')[1]).toHaveClass('current'));
    expect(replay.getAllByRole('listitem')).toHaveLength(2);

    // The arrow keys on the waveform move the audio 5 s.
    fireEvent.keyDown(waveform, { key: 'ArrowLeft' });
    expect(player.currentTime).toBe(0);

    await userEvent.click(region.getByRole('button', { name: 'Download audio' }));
    expect(downloads.fileName()).toBe(`run-${run.run_id}.webm`);
    expect(downloads.blobs.at(-1)?.type).toBe('audio/webm;codecs=opus');
  });
});
