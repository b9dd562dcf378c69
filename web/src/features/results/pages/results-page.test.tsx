import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderRoute, TEST_SUPABASE_URL } from '../../../test/render.tsx';
import type { RunListItem } from '../api/get-runs.ts';
import { savedRun } from '../test-fixtures.ts';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const version = (scenario_hash: string, name: string, created_at: string) => ({
  scenario_hash,
  name,
  content: {},
  created_at,
  last_run_at: null,
  from_file: true,
});
const server = setupServer(
  http.get(`${TEST_SUPABASE_URL}/rest/v1/run_judgements`, () => HttpResponse.json([])),
  http.get(`${TEST_SUPABASE_URL}/rest/v1/benchmark_scenario_versions`, () =>
    HttpResponse.json([
      version(HASH_B, 'Support intake', '2026-11-22T08:00:00Z'),
      version(HASH_A, 'Support intake', '2026-11-20T08:00:00Z'),
      version('c'.repeat(64), 'Screening', '2026-11-21T08:00:00Z'),
    ]),
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const runsUrl = `${TEST_SUPABASE_URL}/rest/v1/benchmark_runs`;

function run(index: number, overrides: Partial<RunListItem> = {}): RunListItem {
  const minute = String(59 - (index % 60)).padStart(2, '0');
  return {
    run_id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    created_at: `2026-11-20T14:${minute}:05.123456+00:00`,
    num_turns: index + 2,
    end_reason: 'termination_cue',
    duration_ms: 65_250,
    scenario_hash: null,
    scenario: null,
    metrics: null,
    ...overrides,
  };
}

/** PostgREST's answer for a list: the rows and a Content-Range like the real one. */
function listResponse(rows: RunListItem[], total?: number) {
  const range = rows.length ? `0-${rows.length - 1}` : '*';
  return HttpResponse.json(rows, {
    headers: { 'Content-Range': `${range}/${total ?? '*'}` },
  });
}

describe('/results list', () => {
  it('lists runs newest first with id, time, turns, end reason and duration, without the jsonb columns', async () => {
    const requests: URL[] = [];
    server.use(
      http.get(runsUrl, ({ request }) => {
        requests.push(new URL(request.url));
        return listResponse(
          [
            run(0, {
              scenario_hash: HASH_A,
              scenario: { name: 'Support intake' },
              metrics: {
                interviewer_model: 'gpt-realtime',
                first_audio_p50_ms: 420,
                cost_usd: 0.084128,
                checks_passed: 2,
                checks_total: 3,
              },
            }),
            run(1, { end_reason: 'user_ended', num_turns: 12, duration_ms: null }),
          ],
          2,
        );
      }),
    );
    renderRoute('/results');

    const rows = await screen.findAllByRole('row');
    expect(rows).toHaveLength(3);
    const first = within(rows[1] as HTMLElement);
    expect(first.getByRole('link', { name: '00000000' })).toHaveAttribute(
      'href',
      `/results/${run(0).run_id}`,
    );
    expect(first.getByText('2026-11-20 14:59:05 UTC')).toBeInTheDocument();
    expect(first.getByText('Termination cue')).toBeInTheDocument();
    expect(first.getByText('1:05')).toBeInTheDocument();
    expect(first.getByText('Support intake')).toBeInTheDocument();
    expect(first.getByText(HASH_A.slice(0, 8))).toHaveAttribute('title', HASH_A);
    expect(first.getByText('420 ms')).toBeInTheDocument();
    expect(first.getByText('2/3')).toHaveClass('fail');
    expect(first.getByText('$0.0841')).toBeInTheDocument();
    const second = within(rows[2] as HTMLElement);
    expect(second.getByText('12')).toBeInTheDocument();
    expect(second.getByText('Ended by user')).toBeInTheDocument();
    expect(first.getByText('gpt-realtime')).toBeInTheDocument();
    expect(second.getAllByText('—')).toHaveLength(6);
    expect(screen.getByText('2 runs, newest first')).toBeInTheDocument();

    const url = requests[0] as URL;
    const select = url.searchParams.get('select') ?? '';
    expect(select.replaceAll(' ', '').split(',')).toEqual([
      'run_id',
      'created_at',
      'num_turns',
      'end_reason',
      'duration_ms',
      'scenario_hash',
      'scenario:benchmark_scenarios(name)',
      'metrics:run_metrics(interviewer_model',
      'first_audio_p50_ms',
      'cost_usd',
      'checks_passed',
      'checks_total)',
    ]);
    expect(select).not.toMatch(/conversation_history|event_log|prompt|tsv/);
    expect(url.searchParams.get('order')).toBe('created_at.desc,run_id.desc');
    expect(url.searchParams.get('limit')).toBe('50');
  });

  it('shows a big total as an estimate', async () => {
    const prefer: Array<string | null> = [];
    server.use(
      http.get(runsUrl, ({ request }) => {
        prefer.push(request.headers.get('prefer'));
        return listResponse(
          Array.from({ length: 50 }, (_, i) => run(i)),
          1_000_000,
        );
      }),
    );
    renderRoute('/results');
    expect(
      await screen.findByText('about 1,000,000 runs, 50 loaded, newest first'),
    ).toBeInTheDocument();
    expect(prefer[0]).toContain('count=estimated');
  });

  it('shows a loading state, then the empty state when nothing is saved', async () => {
    server.use(
      http.get(runsUrl, async () => {
        await delay(200);
        return listResponse([]);
      }),
    );
    renderRoute('/results');
    expect(await screen.findByRole('status')).toHaveTextContent('Loading runs');
    expect(await screen.findByText(/No runs saved yet/)).toBeInTheDocument();
  });

  it('shows the error and retries on request', async () => {
    let calls = 0;
    server.use(
      http.get(runsUrl, () => {
        calls++;
        return calls <= 2
          ? HttpResponse.json(
              { message: 'permission denied for table benchmark_runs' },
              { status: 401 },
            )
          : listResponse([run(0)]);
      }),
    );
    renderRoute('/results');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'permission denied for table benchmark_runs',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('link', { name: '00000000' })).toBeInTheDocument();
  });

  it('loads older runs after the last one shown (keyset bounded by the cursor, never offset)', async () => {
    const firstPage = Array.from({ length: 50 }, (_, i) =>
      run(i, { created_at: `2026-11-20T12:00:00.${String(999 - i).padStart(3, '0')}+00:00` }),
    );
    const older = run(500, { created_at: '2026-11-19T08:00:00+00:00' });
    const seen: URL[] = [];
    server.use(
      http.get(runsUrl, ({ request }) => {
        const url = new URL(request.url);
        seen.push(url);
        return url.searchParams.has('or') ? listResponse([older]) : listResponse(firstPage, 51);
      }),
    );
    renderRoute('/results');
    expect(await screen.findByText('51 runs, 50 loaded, newest first')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Load older runs' }));
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(52));
    expect(screen.queryByRole('button', { name: 'Load older runs' })).not.toBeInTheDocument();

    const last = firstPage[49] as RunListItem;
    const next = seen[1] as URL;
    expect(next.searchParams.get('offset')).toBeNull();
    expect(next.searchParams.get('created_at')).toBe(`lte.${last.created_at}`);
    expect(next.searchParams.get('or')).toBe(
      `(created_at.lt.${last.created_at},and(created_at.eq.${last.created_at},run_id.lt.${last.run_id}))`,
    );
  });

  it('puts filters in the URL and sends them to PostgREST, full-text search included', async () => {
    const seen: URL[] = [];
    server.use(
      http.get(runsUrl, ({ request }) => {
        seen.push(new URL(request.url));
        return listResponse([run(7)]);
      }),
    );
    renderRoute('/results');
    await screen.findByRole('link', { name: '00000000' });

    await userEvent.type(screen.getByLabelText('Transcript contains'), '"paper notebook"');
    await userEvent.type(screen.getByLabelText('From'), '2026-11-01');
    await userEvent.type(screen.getByLabelText('To'), '2026-11-20');
    await userEvent.type(screen.getByLabelText('Min turns'), '4');
    await userEvent.type(screen.getByLabelText('Max turns'), '9');
    await userEvent.selectOptions(screen.getByLabelText('Ended by'), 'max_turns');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));

    await waitFor(() => expect(seen).toHaveLength(2));
    const params = (seen[1] as URL).searchParams;
    expect(params.get('transcript_tsv')).toBe('wfts(english)."paper notebook"');
    expect(params.getAll('created_at')).toEqual([
      'gte.2026-11-01T00:00:00Z',
      'lt.2026-11-21T00:00:00Z',
    ]);
    expect(params.getAll('num_turns')).toEqual(['gte.4', 'lte.9']);
    expect(params.get('end_reason')).toBe('eq.max_turns');
  });

  it('filters by scenario (any version, through an inner join) and by one version', async () => {
    const seen: URL[] = [];
    server.use(
      http.get(runsUrl, ({ request }) => {
        seen.push(new URL(request.url));
        return listResponse([run(3)]);
      }),
    );
    const first = renderRoute('/results');
    await screen.findByRole('option', { name: 'Support intake' });
    expect(screen.getByLabelText('Version')).toBeDisabled();

    await userEvent.selectOptions(screen.getByLabelText('Scenario'), 'Support intake');
    const versions = within(screen.getByLabelText('Version')).getAllByRole('option');
    expect(versions.map((option) => option.textContent)).toEqual([
      'Any',
      'bbbbbbbb · 2026-11-22 08:00:00 UTC',
      'aaaaaaaa · 2026-11-20 08:00:00 UTC',
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(seen).toHaveLength(2), { timeout: 5000 });
    const byName = (seen[1] as URL).searchParams;
    expect(byName.get('scenario.name')).toBe('eq.Support intake');
    expect(byName.get('select')).toContain('scenario:benchmark_scenarios!inner(name)');

    first.unmount();

    // From a shared URL of that scenario, narrow to one version.
    renderRoute('/results?scenario=Support+intake');
    await screen.findByRole('option', { name: /^aaaaaaaa/ });
    await waitFor(() => expect(seen).toHaveLength(3), { timeout: 5000 });
    await userEvent.selectOptions(screen.getByLabelText('Version'), HASH_A);
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(seen).toHaveLength(4), { timeout: 5000 });
    const byVersion = (seen[3] as URL).searchParams;
    expect(byVersion.get('scenario_hash')).toBe(`eq.${HASH_A}`);
    expect(byVersion.get('scenario.name')).toBe('eq.Support intake');
  });

  it('judges the listed runs one by one and reports those it could not', async () => {
    const judged: string[] = [];
    server.use(
      http.get(runsUrl, () => listResponse([run(1), run(2), run(3)])),
      http.post(`${TEST_SUPABASE_URL}/functions/v1/judge-run`, async ({ request }) => {
        const { run_id } = (await request.json()) as { run_id: string };
        judged.push(run_id);
        if (run_id === run(2).run_id) {
          return HttpResponse.json(
            { error: { code: 'no_rubric', message: "this run's scenario has no rubric" } },
            { status: 409 },
          );
        }
        return HttpResponse.json({ run_id, status: 'ok', overall_score: 0.5 }, { status: 201 });
      }),
    );
    renderRoute('/results');
    await userEvent.click(await screen.findByRole('button', { name: 'Judge listed runs' }));
    expect(
      await screen.findByText(
        /Judged 2 of 3, 1 not judged \(last: this run's scenario has no rubric\)\./,
      ),
    ).toBeInTheDocument();
    expect(judged).toEqual([run(1).run_id, run(2).run_id, run(3).run_id]);
  });

  it('reads filters from a shared URL, and says when nothing matches', async () => {
    server.use(
      http.get(runsUrl, ({ request }) => {
        expect(new URL(request.url).searchParams.get('end_reason')).toBe('eq.error');
        return listResponse([]);
      }),
    );
    renderRoute('/results?endReason=error&minTurns=oops');
    expect(await screen.findByText('No runs match these filters.')).toBeInTheDocument();
    expect(screen.getByLabelText('Ended by')).toHaveValue('error');
    expect(screen.getByLabelText('Min turns')).toHaveValue(null);
  });

  it('opens a run when its row is clicked', async () => {
    server.use(
      http.get(runsUrl, ({ request }) =>
        new URL(request.url).searchParams.get('run_id')
          ? HttpResponse.json([savedRun({ run_id: run(3).run_id })])
          : listResponse([run(3)]),
      ),
    );
    renderRoute('/results');
    await screen.findByRole('link', { name: '00000000' });
    await userEvent.click(within(screen.getAllByRole('row')[1] as HTMLElement).getByText('1:05'));
    expect(await screen.findByRole('heading', { name: /Run 00000000/ })).toBeInTheDocument();
  });

  it('is reached from the console with View Results', async () => {
    server.use(
      http.get(runsUrl, () => listResponse([run(3)])),
      http.get(`${TEST_SUPABASE_URL}/functions/v1/realtime-session`, () =>
        HttpResponse.json({ openai_configured: false }),
      ),
    );
    renderRoute('/');
    await userEvent.click(await screen.findByRole('button', { name: 'View Results' }));
    expect(await screen.findByRole('heading', { name: 'Results' })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: '00000000' })).toBeInTheDocument();
  });
});
