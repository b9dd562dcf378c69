/**
 * `npm run perf:results`: the results viewer at scale. Seeds a database in
 * its own data folder (kept between runs; default 1,000,000 runs) and prints
 * each figure next to its target, plus the EXPLAIN plans of the list queries.
 * Options: --runs N, --samples N, --data-dir DIR, --skip-browser.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RUN_DETAIL_COLUMNS } from '@data/get-run.ts';
import { RUN_LIST_COLUMNS } from '@data/get-runs.ts';
import { chromium } from 'playwright-core';
import postgres from 'postgres';
import { LOCAL_PUBLISHABLE_KEY, repoRoot } from '../config/env.ts';
import { startLocalStack } from '../stack/stack.ts';
import { serveConsoleFor, throwawayStackOptions } from '../stack/throwaway-stack.ts';
import { percentile, sample } from './measure.ts';
import { RARE_PHRASE, seedLargeRun, seedRunsUpTo } from './seed-runs.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '200' },
    'data-dir': { type: 'string', default: path.join(repoRoot, '.bench-results-data') },
    'skip-browser': { type: 'boolean', default: false },
  },
});
const targetRuns = Number(values.runs);
const samples = Number(values.samples);
const LARGE_RUN_ID = '50000000-0000-4000-8000-000000050000';
const LARGE_RUN_EVENTS = 50_000;

const options = await throwawayStackOptions('results', { dataDir: values['data-dir'] as string });
const stack = await startLocalStack(options);
const sql = postgres(stack.dbUrl, { max: 1, onnotice: () => {} });
const rows: Array<[string, string, string, boolean | null]> = [];
const record = (figure: string, measured: string, target: string, ok: boolean | null) => {
  rows.push([figure, measured, target, ok]);
  console.log(`  ${figure}: ${measured}${target ? ` (target ${target})` : ''}`);
};

try {
  // --- seed -------------------------------------------------------------
  await seedRunsUpTo(sql, targetRuns, { except: LARGE_RUN_ID });
  await seedLargeRun(sql, LARGE_RUN_ID, LARGE_RUN_EVENTS, 40);
  const [{ n: total }] =
    (await sql`select count(*)::int as n from public.benchmark_runs`) as unknown as [{ n: number }];
  console.log(
    `\nResults viewer figures, ${total.toLocaleString('en')} runs (this machine, loopback)\n`,
  );

  // --- list: gateway vs PostgREST vs SQL -----------------------------------
  const headers = { apikey: LOCAL_PUBLISHABLE_KEY };
  const listQuery = `select=${encodeURIComponent(RUN_LIST_COLUMNS)}&order=created_at.desc,run_id.desc&limit=50`;
  const get =
    (url: string, extra: Record<string, string> = {}) =>
    async () => {
      const response = await fetch(url, { headers: { ...headers, ...extra } });
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      await response.arrayBuffer();
    };
  const viaGateway = await sample(
    samples,
    get(`${stack.apiUrl}/rest/v1/benchmark_runs?${listQuery}`),
  );
  const viaPostgrest = await sample(
    samples,
    get(`${stack.postgrestUrl}/benchmark_runs?${listQuery}`),
  );
  const viaSql = await sample(
    samples,
    () =>
      sql`select run_id, created_at, num_turns, end_reason, duration_ms from public.benchmark_runs
        order by created_at desc, run_id desc limit 50`,
  );
  const withCount = await sample(
    samples,
    get(`${stack.apiUrl}/rest/v1/benchmark_runs?${listQuery}`, { prefer: 'count=estimated' }),
  );
  const p50 = (s: number[]) => percentile(s, 50);
  record('first page (50 rows), SQL p50', `${p50(viaSql).toFixed(2)} ms`, '', null);
  record('first page, PostgREST alone p50', `${p50(viaPostgrest).toFixed(2)} ms`, '', null);
  record(
    'first page, gateway + PostgREST p50',
    `${p50(viaGateway).toFixed(2)} ms`,
    '< 10 ms',
    p50(viaGateway) < 10,
  );
  record(
    'gateway + PostgREST vs SQL',
    `${(p50(viaGateway) / p50(viaSql)).toFixed(2)}x`,
    '≤ 3x',
    p50(viaGateway) / p50(viaSql) <= 3,
  );
  record(
    'gateway overhead (gateway − PostgREST) p50',
    `${(p50(viaGateway) - p50(viaPostgrest)).toFixed(2)} ms`,
    '< 1 ms',
    p50(viaGateway) - p50(viaPostgrest) < 1,
  );
  record(
    'first page as the console asks it (count=estimated) p50',
    `${p50(withCount).toFixed(2)} ms`,
    '< 10 ms',
    p50(withCount) < 10,
  );

  // A deep page: the cursor halfway down the table.
  const [middle] = await sql`select created_at, run_id from public.benchmark_runs
    order by created_at desc, run_id desc offset ${Math.floor(total / 2)} limit 1`;
  const cursor = middle as { created_at: Date; run_id: string };
  const at = cursor.created_at.toISOString();
  const keyset = `${listQuery}&created_at=lte.${encodeURIComponent(at)}&or=${encodeURIComponent(`(created_at.lt.${at},and(created_at.eq.${at},run_id.lt.${cursor.run_id}))`)}`;
  const deep = await sample(samples, get(`${stack.apiUrl}/rest/v1/benchmark_runs?${keyset}`));
  record(
    'page halfway down (keyset), gateway p50',
    `${p50(deep).toFixed(2)} ms`,
    '< 10 ms',
    p50(deep) < 10,
  );

  // --- filtered ---------------------------------------------------------------
  const since = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
  const filtered = (q: string) =>
    `${listQuery}&created_at=gte.${since}T00:00:00Z&transcript_tsv=${encodeURIComponent(`wfts(english).${q}`)}`;
  const common = await sample(
    Math.min(samples, 50),
    get(`${stack.apiUrl}/rest/v1/benchmark_runs?${filtered('kanban')}`, {
      prefer: 'count=estimated',
    }),
  );
  const rare = await sample(
    Math.min(samples, 50),
    get(`${stack.apiUrl}/rest/v1/benchmark_runs?${filtered(`"${RARE_PHRASE}"`)}`, {
      prefer: 'count=estimated',
    }),
  );
  record(
    'filtered page, last 90 days + common word p50',
    `${p50(common).toFixed(1)} ms`,
    '< 100 ms',
    p50(common) < 100,
  );
  record(
    `filtered page, last 90 days + rare phrase p50`,
    `${p50(rare).toFixed(1)} ms`,
    '< 100 ms',
    p50(rare) < 100,
  );

  // --- detail of a 50,000-event run ---------------------------------------------
  const detailUrl = `${stack.apiUrl}/rest/v1/benchmark_runs?select=${encodeURIComponent(RUN_DETAIL_COLUMNS)}&run_id=eq.${LARGE_RUN_ID}`;
  const eventsUrl = `${stack.apiUrl}/rest/v1/rpc/run_event_log?run_id=${LARGE_RUN_ID}`;
  const detail = await sample(10, get(detailUrl), 2);
  const eventLog = await sample(10, get(eventsUrl), 2);
  const large = LARGE_RUN_EVENTS.toLocaleString('en');
  record(
    `${large}-event run, API: header + transcript p50`,
    `${p50(detail).toFixed(0)} ms`,
    '< 1000 ms',
    p50(detail) < 1000,
  );
  record(
    `${large}-event run, API: event log p50`,
    `${p50(eventLog).toFixed(0)} ms`,
    '< 1000 ms',
    p50(eventLog) < 1000,
  );

  // --- browser ----------------------------------------------------------------
  if (!values['skip-browser']) {
    const outDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'realtime-bench-')), 'console');
    const { server } = await serveConsoleFor(stack.apiUrl, outDir);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const context = await browser.newContext();
      const timeTo = async (
        url: string,
        ready: (page: import('playwright-core').Page) => Promise<void>,
      ) => {
        const times: number[] = [];
        for (let i = 0; i < 6; i++) {
          const page = await context.newPage();
          await page.goto(url);
          await ready(page);
          // The page's own clock: navigation start to the element being there.
          const inPage = await page.evaluate(() => performance.now());
          if (i > 0) times.push(inPage);
          await page.close();
        }
        return p50(times);
      };
      const base = server.url;
      // /results to its first row, in a cold browser: `npm run perf:first-row`.
      const transcript = await timeTo(`${base}/results/${LARGE_RUN_ID}`, (page) =>
        page
          .getByRole('list', { name: 'Transcript', exact: true })
          .getByRole('listitem')
          .first()
          .waitFor({ timeout: 30_000 }),
      );
      record(
        `browser: ${LARGE_RUN_EVENTS.toLocaleString('en')}-event run to transcript`,
        `${transcript.toFixed(0)} ms`,
        '< 1000 ms',
        transcript < 1000,
      );
    } finally {
      await browser.close();
      await server.close();
      rmSync(path.dirname(outDir), { recursive: true, force: true });
    }
  }

  // --- plans --------------------------------------------------------------------
  const explain = async (title: string, text: string, params: unknown[] = []) => {
    const plan = await sql.unsafe(
      `explain (analyze, costs off, timing off, summary off) ${text}`,
      params as never[],
    );
    console.log(`\n${title}\n${plan.map((row) => `  ${row['QUERY PLAN']}`).join('\n')}`);
  };
  const columns = 'run_id, created_at, num_turns, end_reason, duration_ms';
  await explain(
    'EXPLAIN first page',
    `select ${columns} from public.benchmark_runs order by created_at desc, run_id desc limit 50`,
  );
  await explain(
    'EXPLAIN page halfway down (keyset)',
    `select ${columns} from public.benchmark_runs where created_at <= $1 and (created_at < $1 or (created_at = $1 and run_id < $2))
     order by created_at desc, run_id desc limit 50`,
    [at, cursor.run_id],
  );
  await explain(
    'EXPLAIN filtered page (date range + rare phrase)',
    `select ${columns} from public.benchmark_runs
     where created_at >= $1 and transcript_tsv @@ websearch_to_tsquery('english', $2)
     order by created_at desc, run_id desc limit 50`,
    [`${since}T00:00:00Z`, `"${RARE_PHRASE}"`],
  );

  console.log('\n| figure | measured | target | |');
  console.log('|---|---|---|---|');
  for (const [figure, measured, target, ok] of rows) {
    console.log(
      `| ${figure} | ${measured} | ${target || '—'} | ${ok === null ? '' : ok ? 'ok' : 'MISSED'} |`,
    );
  }
} finally {
  await sql.end();
  await stack.stop();
}
