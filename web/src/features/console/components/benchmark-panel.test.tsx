import { type Scenario, scenarioHash, scenarioSchema } from '@core/scenario.ts';
import { parseScenarioYaml } from '@core/scenario-yaml.ts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureDownloads } from '../../../test/downloads.ts';
import { renderRoute, TEST_SUPABASE_URL } from '../../../test/render.tsx';

const SUPPORT_SCENARIO = scenarioSchema.parse({
  name: 'Customer support intake',
  interviewer: { prompt: 'You are a support agent. Ask for the order number.', voice: 'coral' },
  simulated_user: { persona: 'You are Lee, annoyed about a damaged lamp.' },
  termination: { cue: 'that concludes our call', max_turns: 24 },
  tags: ['support'],
  // Not editable in the console, but part of the version: picking it must keep them.
  checks: { must_mention: ['order number'], ended_by: 'cue' },
  rubric: { criteria: [{ name: 'Collects the details', description: 'Order number first.' }] },
  offline: {
    interviewer: ['What is your order number?', 'Refund or replacement?'],
    simulated_user: ['48-2210.', 'A replacement.'],
  },
});
const SUPPORT_HASH = await scenarioHash(SUPPORT_SCENARIO);

const versionsUrl = `${TEST_SUPABASE_URL}/rest/v1/benchmark_scenario_versions`;
const storedVersions = http.get(versionsUrl, () =>
  HttpResponse.json([
    {
      scenario_hash: SUPPORT_HASH,
      name: SUPPORT_SCENARIO.name,
      content: SUPPORT_SCENARIO,
      created_at: '2026-11-20T10:00:00Z',
      last_run_at: '2026-11-21T09:30:00Z',
      from_file: true,
    },
  ]),
);

const server = setupServer(storedVersions);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(() => localStorage.clear());

const statusUrl = `${TEST_SUPABASE_URL}/functions/v1/realtime-session`;
const agentStatus = (configured: boolean) =>
  http.get(statusUrl, () => HttpResponse.json({ openai_configured: configured }));

describe('BenchmarkPanel', () => {
  it('defaults to the offline demo agents, clearly labelled, when no OpenAI key is configured', async () => {
    server.use(agentStatus(false));
    renderRoute('/');
    expect(
      await screen.findByText(/Offline demo agents: a scripted local interviewer/),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Agents')).toHaveValue('offline');
    expect(screen.getByRole('button', { name: 'Start Run' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'End Run' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'View Results' })).toBeEnabled();
  });

  it('says so when OpenAI is chosen but the functions report no key, and will not start', async () => {
    server.use(agentStatus(false));
    renderRoute('/');
    await userEvent.selectOptions(await screen.findByLabelText('Agents'), 'openai');
    expect(screen.getByText(/No OpenAI key is configured/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Start Run' })).toBeDisabled();
  });

  it('defaults to OpenAI when a key is configured, with its models and voice', async () => {
    server.use(agentStatus(true));
    renderRoute('/');
    await waitFor(() => expect(screen.getByLabelText('Agents')).toHaveValue('openai'));
    expect(screen.getByLabelText('Interviewer model')).toHaveValue('gpt-realtime-2.1');
    expect(screen.getByLabelText('Voice')).toHaveValue('marin');
    expect(screen.getByLabelText('Transport')).toHaveValue('webrtc');
  });

  it("warns of the scenario's models that shut down soon, with the dates OpenAI reported", async () => {
    // Only Date is pinned: timers stay real for React Query and user events.
    vi.useFakeTimers({ now: Date.parse('2026-12-01T09:00:00Z'), toFake: ['Date'] });
    try {
      server.use(
        http.get(statusUrl, () =>
          HttpResponse.json({
            openai_configured: true,
            openai_models: {
              available: ['gpt-realtime-2.1'],
              shutdown_dates: { 'gpt-realtime-2.1': '2027-02-01' },
              checked_at: '2026-12-01T08:00:00Z',
            },
          }),
        ),
      );
      renderRoute('/');
      const notice = await screen.findByRole('status', { name: 'Model shutdowns' });
      expect(notice).toHaveTextContent('gpt-realtime-2.1 shuts down on 2027-02-01 (in 62 days)');
      expect(notice).toHaveTextContent(
        'gpt-4.1-mini shuts down on 2027-01-14 (in 44 days); OpenAI recommends gpt-6-luna',
      );

      const interviewer = screen.getByLabelText('Interviewer model');
      await userEvent.clear(interviewer);
      await userEvent.type(interviewer, 'gpt-realtime-2');
      const shutdowns = () => screen.getByRole('status', { name: 'Model shutdowns' });
      await waitFor(() => expect(shutdowns()).not.toHaveTextContent('gpt-realtime-2.1'));
      expect(shutdowns()).toHaveTextContent('gpt-4.1-mini shuts down on 2027-01-14');

      // The offline agents call no model: nothing to warn of.
      await userEvent.selectOptions(screen.getByLabelText('Agents'), 'offline');
      expect(screen.queryByRole('status', { name: 'Model shutdowns' })).not.toBeInTheDocument();
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps settings in localStorage', async () => {
    server.use(agentStatus(false));
    const first = renderRoute('/');
    const cue = await screen.findByLabelText('Termination cue');
    await userEvent.clear(cue);
    await userEvent.type(cue, 'goodbye for now');
    first.unmount();

    renderRoute('/');
    expect(await screen.findByLabelText('Termination cue')).toHaveValue('goodbye for now');
  });

  it('fills the settings from a stored scenario version and shows that version', async () => {
    server.use(agentStatus(false));
    renderRoute('/');
    const picker = await screen.findByLabelText('Scenario', {}, { timeout: 5000 });
    await screen.findByRole(
      'option',
      { name: /Customer support intake · .* · last run 2026-11-21/ },
      { timeout: 5000 },
    );
    expect(picker).toHaveValue('ad-hoc');
    await userEvent.selectOptions(picker, SUPPORT_HASH);

    expect(screen.getByLabelText('Scenario name')).toHaveValue('Customer support intake');
    expect(screen.getByLabelText('Interviewer prompt')).toHaveValue(
      SUPPORT_SCENARIO.interviewer.prompt,
    );
    expect(screen.getByLabelText('Termination cue')).toHaveValue('that concludes our call');
    expect(screen.getByLabelText('Max turns')).toHaveValue(24);
    expect(screen.getByLabelText('Questions before the cue')).toHaveValue(2);
    expect(
      await screen.findByText(SUPPORT_HASH.slice(0, 8), {}, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(screen.getByText(/\(stored\)/)).toBeInTheDocument();

    // Any edit is a new version: the picker falls back to ad hoc and the hash changes.
    await userEvent.type(screen.getByLabelText('Interviewer prompt'), ' Be brief.');
    await waitFor(() => expect(picker).toHaveValue('ad-hoc'), { timeout: 5000 });
    expect(screen.queryByText(SUPPORT_HASH.slice(0, 8))).not.toBeInTheDocument();
    expect(screen.getByText(/new: stored with its first run/)).toBeInTheDocument();
  });

  it('picks the version a "Run again" link names once, then forgets the link', async () => {
    server.use(agentStatus(false));
    const errors = vi.spyOn(console, 'error');
    const writes = vi.spyOn(Storage.prototype, 'setItem');
    const { router } = renderRoute(`/?scenario=${SUPPORT_HASH}`);
    await waitFor(() =>
      expect(screen.getByLabelText('Scenario name')).toHaveValue('Customer support intake'),
    );
    expect(screen.getByLabelText('Termination cue')).toHaveValue('that concludes our call');
    await waitFor(() => expect(router.state.location.search).toBe(''));
    // Settle: a pick that re-runs on every render keeps updating after the link is gone.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const loops = errors.mock.calls.filter((call) => /Maximum update depth/.test(String(call[0])));
    errors.mockRestore();
    const picks = writes.mock.calls.filter(([, value]) =>
      value.includes('Customer support intake'),
    );
    writes.mockRestore();
    expect(loops).toEqual([]);
    expect(picks).toHaveLength(1);
  });

  it('will not start with an empty prompt, and says which field is wrong', async () => {
    server.use(agentStatus(false));
    renderRoute('/');
    await userEvent.clear(await screen.findByLabelText('Simulated user prompt'));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Fix the settings to start a run: Simulated user prompt must not be empty',
    );
    expect(screen.getByRole('button', { name: 'Start Run' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Save as scenario' })).toBeDisabled();
  });

  it('states a number out of range with its bounds', async () => {
    server.use(agentStatus(false));
    renderRoute('/');
    const maxTurns = await screen.findByLabelText('Max turns');
    await userEvent.clear(maxTurns);
    await userEvent.type(maxTurns, '0');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Fix the settings to start a run: Max turns must be between 1 and 1000',
    );
    expect(screen.getByRole('button', { name: 'Start Run' })).toBeDisabled();
  });

  it('will not start an OpenAI run that could outlast the 60-minute Realtime session, and says which fields to change', async () => {
    server.use(agentStatus(true));
    renderRoute('/');
    const maxTurns = await screen.findByLabelText('Max turns');
    await userEvent.clear(maxTurns);
    await userEvent.type(maxTurns, '100');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Fix the settings to start a run: Max turns × Turn timeout (100 × 60 s) allows a run of up to 100 min, past the Realtime API's 60-minute session limit: lower Max turns to 60 or Turn timeout to 36",
    );
    expect(screen.getByRole('button', { name: 'Start Run' })).toBeDisabled();
  });

  it('lets the offline agents, which have no session limit, run that long', async () => {
    server.use(agentStatus(false));
    renderRoute('/');
    const maxTurns = await screen.findByLabelText('Max turns');
    await userEvent.clear(maxTurns);
    await userEvent.type(maxTurns, '100');
    await waitFor(() => expect(maxTurns).toHaveValue(100));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Start Run' })).toBeEnabled();
  });

  it('shows another version when the questions before the cue change', async () => {
    server.use(agentStatus(false));
    renderRoute('/');
    const version = async () =>
      (await screen.findByText(/^Version/, {}, { timeout: 5000 })).querySelector('code')
        ?.textContent;
    const questions = await screen.findByLabelText('Questions before the cue');
    await waitFor(async () => expect(await version()).toMatch(/^[0-9a-f]{8}$/));
    const three = await version();
    await userEvent.clear(questions);
    await userEvent.type(questions, '50');
    await waitFor(async () => expect(await version()).not.toBe(three));
    await userEvent.clear(questions);
    await userEvent.type(questions, '3');
    await waitFor(async () => expect(await version()).toBe(three));
  });

  it('downloads the settings as a scenario file', async () => {
    server.use(agentStatus(false));
    const downloads = captureDownloads();
    renderRoute('/');
    await screen.findByRole('option', { name: /Customer support intake/ });
    await userEvent.selectOptions(screen.getByLabelText('Scenario'), SUPPORT_HASH);
    await userEvent.click(screen.getByRole('button', { name: 'Save as scenario' }));
    await waitFor(() => expect(downloads.blobs).toHaveLength(1));
    expect(downloads.fileName()).toBe('customer-support-intake.yaml');
    const parsed = await parseScenarioYaml(await downloads.text());
    expect(parsed.ok && parsed.hash).toBe(SUPPORT_HASH);
  });

  it('runs the offline agents in the page, ends the run with End Run and saves it with its scenario', async () => {
    let saved: Record<string, unknown> | undefined;
    server.use(
      agentStatus(false),
      http.post(`${TEST_SUPABASE_URL}/functions/v1/save-benchmark-run`, async ({ request }) => {
        const run = (await request.json()) as { run_id: string; conversation_history: unknown[] };
        saved = run;
        return HttpResponse.json(
          {
            run_id: run.run_id,
            created_at: new Date().toISOString(),
            num_turns: run.conversation_history.length,
          },
          { status: 201 },
        );
      }),
    );
    renderRoute('/');
    await userEvent.click(await screen.findByRole('button', { name: 'Start Run' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'End Run' })).toBeEnabled());
    await screen.findByText(/Hi, thanks for joining me today/, {}, { timeout: 5000 });
    await userEvent.click(screen.getByRole('button', { name: 'End Run' }));
    await waitFor(() => expect(screen.getByTestId('run-state')).toHaveTextContent('Saved'));
    expect(screen.getByText(/Ended by End Run/)).toBeInTheDocument();
    expect(screen.getByRole('log')).toBeInTheDocument();
    expect(saved?.scenario).toMatchObject({ name: 'Ad hoc', termination: { max_turns: 30 } });
  });

  it('shows the version as stored and run once its first run is saved, without a reload', async () => {
    const stored: unknown[] = [];
    server.use(
      agentStatus(false),
      http.get(versionsUrl, () => HttpResponse.json(stored)),
      http.post(`${TEST_SUPABASE_URL}/functions/v1/save-benchmark-run`, async ({ request }) => {
        const run = (await request.json()) as { run_id: string; scenario: Scenario };
        stored.push({
          scenario_hash: await scenarioHash(run.scenario),
          name: run.scenario.name,
          content: run.scenario,
          created_at: '2026-11-22T10:00:00Z',
          last_run_at: '2026-11-22T10:00:00Z',
          from_file: false,
        });
        return HttpResponse.json(
          { run_id: run.run_id, created_at: '2026-11-22T10:00:00Z', num_turns: 2 },
          { status: 201 },
        );
      }),
    );
    renderRoute('/');
    await screen.findByText(/new: stored with its first run/);
    await userEvent.click(screen.getByRole('button', { name: 'Start Run' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'End Run' })).toBeEnabled());
    await userEvent.click(screen.getByRole('button', { name: 'End Run' }));
    await waitFor(() => expect(screen.getByTestId('run-state')).toHaveTextContent('Saved'));
    expect(await screen.findByText(/\(stored\)/)).toBeInTheDocument();
    expect(
      screen.getByRole('option', { name: /Ad hoc · [0-9a-f]{8} · last run 2026-11-22/ }),
    ).toBeInTheDocument();
  });
});
