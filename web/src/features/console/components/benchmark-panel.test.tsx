import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderRoute, TEST_SUPABASE_URL } from '../../../test/render.tsx';

const server = setupServer();
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
    expect(screen.getByRole('alert')).toHaveTextContent('No OpenAI key is configured');
    expect(screen.getByRole('button', { name: 'Start Run' })).toBeDisabled();
  });

  it('defaults to OpenAI when a key is configured, with its models and voice', async () => {
    server.use(agentStatus(true));
    renderRoute('/');
    await waitFor(() => expect(screen.getByLabelText('Agents')).toHaveValue('openai'));
    expect(screen.getByLabelText('Interviewer model')).toHaveValue('gpt-realtime');
    expect(screen.getByLabelText('Voice')).toHaveValue('marin');
    expect(screen.getByLabelText('Transport')).toHaveValue('webrtc');
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

  it('runs the offline agents in the page and ends the run with End Run', async () => {
    server.use(
      agentStatus(false),
      http.post(`${TEST_SUPABASE_URL}/functions/v1/save-benchmark-run`, async ({ request }) => {
        const run = (await request.json()) as { run_id: string; conversation_history: unknown[] };
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
  });
});
