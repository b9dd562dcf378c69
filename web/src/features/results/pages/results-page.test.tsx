import type { Rubric } from '@core/judge.ts';
import { MISSING_KEY_MESSAGE } from '@core/openai-policy.ts';
import type { RunListItem } from '@data/get-runs.ts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createJudgeRunHandler } from '../../../../../supabase/functions/judge-run/handler.ts';
import { captureDownloads } from '../../../test/downloads.ts';
import { renderRoute, TEST_SUPABASE_URL } from '../../../test/render.tsx';
import { savedRun } from '../test-fixtures.ts';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
/** A version the scenario list does not have: its rubric is unknown to the page. */
const HASH_UNKNOWN = 'd'.repeat(64);
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
const judgeUrl = `${TEST_SUPABASE_URL}/functions/v1/judge-run`;

const RUBRIC: Rubric = {
  criteria: [
    { name: 'Collects the order number', description: 'Asks for it and reads it back.', weight: 2 },
    { name: 'Stays calm', description: 'Acknowledges frustration without arguing.', weight: 1 },
  ],
  scale: { min: 1, max: 5 },
};

/** judge-run as deployed without OPENAI_API_KEY: its own answer, not a copy of it. */
const judgeWithoutKey = createJudgeRunHandler({
  openai: null,
  store: {
    load: () => Promise.reject(new Error('not reached without a key')),
    insert: () => Promise.reject(new Error('not reached without a key')),
  },
  budget: { admit: () => Promise.reject(new Error('not reached without a key')) },
});

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
                voice_to_voice_p50_ms: null,
                wer: null,
                false_end_of_turns: null,
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
    // Text runs only: no voice columns.
    expect(screen.queryByRole('columnheader', { name: /WER|Voice to voice/ })).toBeNull();
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
      'checks_total',
      'voice_to_voice_p50_ms',
      'wer',
      'false_end_of_turns)',
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
    expect(await screen.findByText(/Loading runs/)).toHaveAttribute('role', 'status');
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

  it('reads filters from a shared URL, and says when nothing matches', async () => {
    server.use(
      http.get(runsUrl, ({ request }) => {
        expect(new URL(request.url).searchParams.get('end_reason')).toBe('eq.error');
        return listResponse([]);
      }),
    );
    renderRoute('/results?endReason=error&minTurns=4');
    expect(await screen.findByText('No runs match these filters.')).toBeInTheDocument();
    expect(screen.getByLabelText('Ended by')).toHaveValue('error');
    expect(screen.getByLabelText('Min turns')).toHaveValue(4);
  });

  it('shows impossible dates from the URL in their fields with what is wrong, and lists runs without them', async () => {
    const seen: URL[] = [];
    server.use(
      http.get(runsUrl, ({ request }) => {
        seen.push(new URL(request.url));
        return listResponse([run(0)]);
      }),
    );
    renderRoute('/results?to=2026-13-45&from=2026-02-30&endReason=error');

    expect(await screen.findByRole('link', { name: '00000000' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
    const to = screen.getByLabelText('To');
    expect(to).toHaveValue('2026-13-45');
    expect(to).toBeInvalid();
    expect(to).toHaveAccessibleDescription('“2026-13-45” is not a date: there is no month 13');
    const from = screen.getByLabelText('From');
    expect(from).toHaveValue('2026-02-30');
    expect(from).toHaveAccessibleDescription(
      '“2026-02-30” is not a date: February 2026 has 28 days',
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Not applied until fixed: From, To.');
    // The valid filter still applies; the bad ones never reach PostgREST.
    const params = (seen[0] as URL).searchParams;
    expect(params.get('end_reason')).toBe('eq.error');
    expect(params.getAll('created_at')).toEqual([]);
  });

  it('treats every bad filter in the URL alike, and applies only once each is fixed', async () => {
    const seen: URL[] = [];
    server.use(
      http.get(runsUrl, ({ request }) => {
        seen.push(new URL(request.url));
        return listResponse([run(0)]);
      }),
    );
    renderRoute('/results?from=garbage&minTurns=oops&maxTurns=3&endReason=bogus&version=xyz');
    await screen.findByRole('link', { name: '00000000' });
    expect(seen).toHaveLength(1);
    expect((seen[0] as URL).searchParams.getAll('num_turns')).toEqual(['lte.3']);

    const expectations = [
      ['From', 'garbage', '“garbage” is not a date: use YYYY-MM-DD'],
      ['Min turns', 'oops', '“oops” is not a whole number of turns'],
      ['Ended by', 'bogus', /^“bogus” is not an end reason: use one of termination_cue/],
      ['Version', 'xyz', '“xyz” is not a scenario version: a version is 64 hex digits'],
    ] as const;
    for (const [label, value, message] of expectations) {
      const field = screen.getByLabelText(label);
      expect(field, label).toHaveValue(value);
      expect(field, label).toHaveAccessibleDescription(message);
    }
    expect(screen.getByLabelText('Max turns')).toBeValid();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Not applied until fixed: From, Min turns, Ended by, Version.',
    );

    // Apply waits for the fields to be fixed, and points at the first bad one.
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(screen.getByLabelText('From')).toHaveFocus();
    expect(seen).toHaveLength(1);

    await userEvent.clear(screen.getByLabelText('From'));
    await userEvent.clear(screen.getByLabelText('Min turns'));
    await userEvent.type(screen.getByLabelText('Min turns'), '5');
    await userEvent.selectOptions(screen.getByLabelText('Ended by'), 'user_ended');
    await userEvent.selectOptions(screen.getByLabelText('Version'), '');
    // Fixing one value can make another wrong: more min turns than max.
    expect(screen.getByLabelText('Max turns')).toHaveAccessibleDescription(
      '3 is less than Min turns (5)',
    );
    await userEvent.clear(screen.getByLabelText('Max turns'));
    await userEvent.type(screen.getByLabelText('Max turns'), '8');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));

    await waitFor(() => expect(seen).toHaveLength(2));
    const params = (seen[1] as URL).searchParams;
    expect(params.getAll('num_turns')).toEqual(['gte.5', 'lte.8']);
    expect(params.get('end_reason')).toBe('eq.user_ended');
    expect(params.get('scenario_hash')).toBeNull();
    expect(params.getAll('created_at')).toEqual([]);
  });

  // 1,234 rows through jsdom and Papa Parse: seconds of CPU on a busy two-core machine.
  it('exports every run matching the filters, page by page with progress, not only the loaded ones', async () => {
    // 1,234 runs a second apart, newest first: more than one export page of 1,000.
    const all = Array.from({ length: 1234 }, (_, i) =>
      run(i, { created_at: new Date(Date.UTC(2026, 10, 20, 12) - i * 1000).toISOString() }),
    );
    const exportRequests: URL[] = [];
    let releaseSecondPage = () => {};
    const secondPageHeld = new Promise<void>((resolve) => {
      releaseSecondPage = resolve;
    });
    server.use(
      http.get(runsUrl, async ({ request }) => {
        const url = new URL(request.url);
        const limit = Number(url.searchParams.get('limit'));
        if (limit === 50) return listResponse(all.slice(0, 50), all.length);
        exportRequests.push(url);
        if (!url.searchParams.has('or')) return listResponse(all.slice(0, limit), all.length);
        await secondPageHeld;
        return listResponse(all.slice(1000, 1000 + limit));
      }),
    );
    const downloads = captureDownloads();
    renderRoute('/results?endReason=termination_cue&minTurns=2');
    expect(
      await screen.findByText('about 1,234 runs, 50 loaded, newest first'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));

    // The CSV writer loads on the first click: give it time on a busy machine.
    expect(
      await screen.findByText('Exported 1,000 of about 1,234…', {}, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export CSV' })).toBeDisabled();
    releaseSecondPage();
    expect(
      await screen.findByText('Exported 1,234 runs to runs.csv.', {}, { timeout: 5000 }),
    ).toBeInTheDocument();

    expect(downloads.blobs).toHaveLength(1);
    expect(downloads.fileName()).toBe('runs.csv');
    const csv = await downloads.text();
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'run_id,created_at,num_turns,end_reason,duration_ms,scenario,scenario_hash,interviewer_model,first_audio_p50_ms,checks_passed,checks_total,cost_usd',
    );
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(all.map((r) => r.run_id));

    // Both pages carry the list's filters; the second continues after the first by keyset.
    expect(exportRequests).toHaveLength(2);
    for (const url of exportRequests) {
      expect(url.searchParams.get('end_reason')).toBe('eq.termination_cue');
      expect(url.searchParams.get('num_turns')).toBe('gte.2');
      expect(url.searchParams.get('offset')).toBeNull();
    }
    const last = all[999] as RunListItem;
    expect(exportRequests[1]?.searchParams.get('or')).toBe(
      `(created_at.lt.${last.created_at},and(created_at.eq.${last.created_at},run_id.lt.${last.run_id}))`,
    );
  }, 20_000);

  it('says when an export fails and saves nothing', async () => {
    server.use(
      http.get(runsUrl, ({ request }) =>
        new URL(request.url).searchParams.get('limit') === '50'
          ? listResponse([run(0)], 1)
          : HttpResponse.json(
              { message: 'canceling statement due to statement timeout' },
              { status: 500 },
            ),
      ),
    );
    const createObjectURL = vi.spyOn(URL, 'createObjectURL');
    try {
      renderRoute('/results');
      await userEvent.click(await screen.findByRole('button', { name: 'Export CSV' }));
      expect(await screen.findByRole('alert', {}, { timeout: 5000 })).toHaveTextContent(
        'Export failed after 0 runs: canceling statement due to statement timeout. Nothing was saved.',
      );
      expect(createObjectURL).not.toHaveBeenCalled();
    } finally {
      createObjectURL.mockRestore();
    }
  });

  it('without an OpenAI key, stops judging at the first answer that says so', async () => {
    const posts: string[] = [];
    server.use(
      http.get(runsUrl, () =>
        listResponse(Array.from({ length: 23 }, (_, i) => run(i, { scenario_hash: HASH_UNKNOWN }))),
      ),
      http.get(`${TEST_SUPABASE_URL}/functions/v1/realtime-session`, () =>
        HttpResponse.json({ openai_configured: false }),
      ),
      http.post(judgeUrl, async ({ request }) => {
        posts.push(((await request.clone().json()) as { run_id: string }).run_id);
        return judgeWithoutKey(request);
      }),
    );
    renderRoute('/results');
    await userEvent.click(await screen.findByRole('button', { name: 'Judge listed runs' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      `Judging stopped: ${MISSING_KEY_MESSAGE}`,
    );
    // Nothing could cost money, so nothing was asked; one request, not 23.
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(posts).toEqual([run(0).run_id]);
  });

  it('with a key, asks before judging, showing how many runs and the estimated cost', async () => {
    const posts: string[] = [];
    server.use(
      http.get(runsUrl, () =>
        listResponse([
          run(1, { scenario_hash: HASH_A, scenario: { name: 'Support intake' } }),
          run(2, { scenario_hash: HASH_A, scenario: { name: 'Support intake' } }),
          run(3, { scenario_hash: HASH_A, scenario: { name: 'Support intake' } }),
          run(4),
        ]),
      ),
      http.get(`${TEST_SUPABASE_URL}/rest/v1/benchmark_scenario_versions`, () =>
        HttpResponse.json([
          {
            ...version(HASH_A, 'Support intake', '2026-11-20T08:00:00Z'),
            content: { rubric: RUBRIC },
          },
        ]),
      ),
      http.get(`${TEST_SUPABASE_URL}/functions/v1/realtime-session`, () =>
        HttpResponse.json({ openai_configured: true }),
      ),
      http.post(judgeUrl, async ({ request }) => {
        const { run_id } = (await request.json()) as { run_id: string };
        posts.push(run_id);
        if (run_id === run(2).run_id) {
          return HttpResponse.json(
            { error: { code: 'judge_output_invalid', message: 'the answer did not fit' } },
            { status: 502 },
          );
        }
        return HttpResponse.json({ run_id, status: 'ok', overall_score: 0.5 }, { status: 201 });
      }),
    );
    renderRoute('/results');
    await screen.findByRole('option', { name: 'Support intake' });
    await userEvent.click(await screen.findByRole('button', { name: 'Judge listed runs' }));

    // 3, 4 and 5 turns with a two-criterion rubric at gpt-4.1's prices.
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveAccessibleName(
      'Judge 3 runs with gpt-4.1? Estimated cost about $0.00839.',
    );
    expect(dialog).toHaveTextContent('1 run without a rubric will be skipped.');
    expect(dialog).toHaveAccessibleDescription(/about 60 tokens a turn.*prices of 2026-12-01/);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(posts).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Judge listed runs' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Judge 3 runs' }));
    expect(
      await screen.findByText(
        'Judged 2 of 3, 1 not judged (last: the answer did not fit); 1 run without a rubric skipped.',
      ),
    ).toBeInTheDocument();
    expect(posts).toEqual([run(1).run_id, run(2).run_id, run(3).run_id]);
  });

  it('stops at the OpenAI budget, saying which limit and when to try again', async () => {
    const posts: string[] = [];
    // judge-run's own answer once the day's estimated spend is used up.
    const judgeOverBudget = createJudgeRunHandler({
      // jsdom looks like a browser to the client; this one is never asked anything.
      openai: new OpenAI({ apiKey: 'sk-test', dangerouslyAllowBrowser: true }),
      store: {
        load: async () => ({ rubric: RUBRIC, conversation_history: [] }),
        insert: () => Promise.reject(new Error('not reached over budget')),
      },
      budget: {
        admit: async () => ({
          ok: false,
          scope: 'global',
          window: 'day',
          limit: 'usd',
          max: 50,
          retryAfterSeconds: 5400,
        }),
      },
    });
    server.use(
      http.get(runsUrl, () =>
        listResponse([1, 2, 3].map((i) => run(i, { scenario_hash: HASH_UNKNOWN }))),
      ),
      http.get(`${TEST_SUPABASE_URL}/functions/v1/realtime-session`, () =>
        HttpResponse.json({ openai_configured: true }),
      ),
      http.post(judgeUrl, async ({ request }) => {
        posts.push(((await request.clone().json()) as { run_id: string }).run_id);
        return judgeOverBudget(request);
      }),
    );
    renderRoute('/results');
    await userEvent.click(await screen.findByRole('button', { name: 'Judge listed runs' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Judge 3 runs' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Judging stopped: OpenAI budget reached: all callers together have used the estimated OpenAI spend of $50 allowed per day (OPENAI_BUDGET_USD_PER_DAY); try again in 90 min.',
    );
    expect(posts).toEqual([run(1).run_id]);
  });

  it('stops at a missing key even after the confirmation', async () => {
    const posts: string[] = [];
    server.use(
      http.get(runsUrl, () =>
        listResponse([1, 2, 3].map((i) => run(i, { scenario_hash: HASH_UNKNOWN }))),
      ),
      http.get(`${TEST_SUPABASE_URL}/functions/v1/realtime-session`, () =>
        HttpResponse.json({ message: 'unavailable' }, { status: 502 }),
      ),
      http.post(judgeUrl, async ({ request }) => {
        posts.push(((await request.clone().json()) as { run_id: string }).run_id);
        return judgeWithoutKey(request);
      }),
    );
    renderRoute('/results');
    // The key's status is unknown: ask as if judging costs money.
    await userEvent.click(await screen.findByRole('button', { name: 'Judge listed runs' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Judge 3 runs' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      `Judging stopped: ${MISSING_KEY_MESSAGE}`,
    );
    expect(posts).toEqual([run(1).run_id]);
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
