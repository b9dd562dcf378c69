/**
 * `npm run perf:anon-reads`: the heaviest reads anyone with the public anon
 * key can send to PostgREST, against a stack seeded with large runs. For each
 * request: HTTP status, response size, wall time, and what it cost Postgres
 * (CPU seconds of all its processes, parallel workers included, counted until
 * they go quiet, so work
 * that goes on after the client left is included; peak RSS above idle).
 * Options: --runs N (default 120 runs of ~2 MB each), --small-runs N (six-turn
 * runs to search through, default 100,000), --terms N (search terms
 * in the long search, default 1000), --client-timeout S (default 20).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { LOCAL_PUBLISHABLE_KEY } from '../config/env.ts';
import { procStatFields } from '../stack/children.ts';
import { startThrowawayStack } from '../stack/throwaway-stack.ts';
import { seedRunsUpTo } from './seed-runs.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '120' },
    'small-runs': { type: 'string', default: '100000' },
    terms: { type: 'string', default: '1000' },
    'client-timeout': { type: 'string', default: '20' },
  },
});
const RUNS = Number(values.runs);
const SMALL_RUNS = Number(values['small-runs']);
const TERMS = Number(values.terms);
const CLIENT_TIMEOUT_MS = Number(values['client-timeout']) * 1000;
const TICKS_PER_SECOND = 100;
const COUNT_EXACT = { prefer: 'count=exact' };

const stack = await startThrowawayStack('anon-reads');
const sql = postgres(stack.dbUrl, { max: 2, onnotice: () => {} });

/** Postgres's postmaster: every backend and parallel worker is its child. */
const postmaster = stack.pids().postgres as number;

/**
 * CPU ticks of Postgres: its live processes, and through the postmaster's
 * cutime/cstime those that exited (parallel workers); RSS of the live ones.
 */
function postgresTotals(postmaster: number): { cpuTicks: number; rssKb: number } {
  let cpuTicks = 0;
  let rssKb = 0;
  const own = procStatFields(postmaster);
  if (own) cpuTicks += Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = procStatFields(Number(entry));
    if (!fields || Number(fields[1]) !== postmaster) continue;
    cpuTicks += Number(fields[11]) + Number(fields[12]);
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      rssKb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return { cpuTicks, rssKb };
}

async function seed(): Promise<void> {
  console.log(`seeding ${RUNS} runs of ~2 MB (200 turns, 5,000 events each)…`);
  const words = [
    'notebook',
    'calendar',
    'planning',
    'weekly',
    'reminder',
    'phone',
    'paper',
    'family',
  ];
  const hash = 'a'.repeat(64);
  await sql`insert into public.benchmark_scenarios (scenario_hash, name, content)
            values (${hash}, 'Bench scenario', '{}') on conflict do nothing`;
  for (let i = 0; i < RUNS; i += 10) {
    await sql.unsafe(`
      insert into public.benchmark_runs
        (run_id, scenario_hash, created_at, mode, conversation_history, event_log, interviewer_prompt, simulated_user_prompt, end_reason)
      select gen_random_uuid(), '${hash}', now() - (r || ' minutes')::interval, 'benchmark',
        (select jsonb_agg(jsonb_build_object(
           'speaker', case when t % 2 = 0 then 'interviewer' else 'simulated_user' end,
           'content', 'Turn ' || t || ' of run ' || r || ': ' || (array['${words.join("','")}'])[1 + (t + r) % 8]
                      || ' ' || md5((r * 1000 + t)::text) || ' and some more words about the week',
           'timestamp', now() - (r || ' minutes')::interval + t * interval '2 seconds') order by t)
         from generate_series(0, 199) t),
        (select jsonb_agg(jsonb_build_object(
           'direction', 'server', 'timestamp', now() - (r || ' minutes')::interval + e * interval '5 ms',
           'event', jsonb_build_object('type', 'response.output_audio_transcript.delta', 'event_id', 'event_' || e,
                                       'response_id', 'resp_' || (e / 50), 'delta', md5(e || ' ' || r) || md5(r || ' ' || e) || md5(e || 'x' || r) || md5(r || 'y' || e))) order by e)
         from generate_series(0, 4999) e),
        'You are a user researcher.', 'You are Sam.', 'termination_cue'
      from generate_series(${i}, ${Math.min(i + 9, RUNS - 1)}) r`);
  }
  // Many ordinary runs (six turns each) for the searches to go through.
  await seedRunsUpTo(sql, RUNS + SMALL_RUNS);
  await sql`analyze public.benchmark_runs`;
  const [size] =
    await sql`select pg_size_pretty(pg_total_relation_size('public.benchmark_runs')) as s`;
  console.log(`  benchmark_runs: ${size?.s}`);
}

interface Measured {
  name: string;
  status: string;
  bytes: number;
  wallMs: number;
  cpuS: number;
  peakRssMb: number;
}

async function measure(
  name: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Measured> {
  const totals = () => postgresTotals(postmaster);
  const before = totals();
  let peakRssKb = before.rssKb;
  const sampler = setInterval(() => {
    peakRssKb = Math.max(peakRssKb, totals().rssKb);
  }, 20);
  const started = performance.now();
  let status = '';
  let bytes = 0;
  try {
    const response = await fetch(`${stack.apiUrl}/rest/v1/${path}`, {
      headers: { apikey: LOCAL_PUBLISHABLE_KEY, ...headers },
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const body = new Uint8Array(await response.arrayBuffer());
    bytes = body.byteLength;
    status = String(response.status);
    if (!response.ok) {
      const code = /"code":"([^"]+)"/.exec(new TextDecoder().decode(body.slice(0, 300)))?.[1];
      if (code) status += ` ${code}`;
    }
  } catch (error) {
    status = `client gave up (${(error as Error).name})`;
  }
  const wallMs = performance.now() - started;
  // Work may go on after the client left: wait until the backends' CPU stops growing.
  let last = totals().cpuTicks;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = totals().cpuTicks;
    if (now - last <= 1) break;
    last = now;
  }
  clearInterval(sampler);
  const after = totals();
  return {
    name,
    status,
    bytes,
    wallMs,
    cpuS: (after.cpuTicks - before.cpuTicks) / TICKS_PER_SECOND,
    peakRssMb: (peakRssKb - before.rssKb) / 1024,
  };
}

try {
  await seed();
  // Commas need no escaping and make websearch_to_tsquery read one phrase of
  // all the terms; a leading "-" negates it, so no index helps and every row
  // is checked against the whole phrase. The words are those of every seeded
  // transcript; `count=exact` makes Postgres check every row.
  const WORDS = 'mostly,paper,notebook,shared,calendar,honestly,plan,week,today,use'.split(',');
  const longSearch = (terms: number, negated = false) =>
    `wfts(english).${negated ? '-' : ''}${Array.from({ length: terms }, (_, i) => WORDS[i % WORDS.length]).join(',')}`;
  const webSearch = encodeURIComponent(
    `wfts(english).${Array.from({ length: 100 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(' ')}`,
  );
  const requests: Array<[string, string, Record<string, string>?]> = [
    ['select=* limit=250 (every column of 250 large runs)', 'benchmark_runs?select=*&limit=250'],
    ['event_log of 250 runs', 'benchmark_runs?select=run_id,event_log&limit=250'],
    [
      'transcripts of 1,000 runs (max rows)',
      'benchmark_runs?select=run_id,conversation_history&limit=100000',
    ],
    [
      'nested embed: each run → its scenario → all its runs (transcripts)',
      `benchmark_runs?select=run_id,benchmark_scenarios(benchmark_runs(conversation_history))&scenario_hash=eq.${'a'.repeat(64)}`,
    ],
    [
      'embed: a scenario → all its runs, every column',
      'benchmark_scenarios?select=*,benchmark_runs(*)',
    ],
    ...[TERMS, TERMS / 10].flatMap(
      (terms): Array<[string, string]> => [
        [
          `search: a ${terms.toLocaleString('en')}-term phrase`,
          `benchmark_runs?select=run_id&transcript_tsv=${longSearch(terms)}&limit=1`,
        ],
        [
          `search: NOT a ${terms.toLocaleString('en')}-term phrase`,
          `benchmark_runs?select=run_id&transcript_tsv=${longSearch(terms, true)}&limit=1`,
        ],
      ],
    ),
    [
      'search with 100 one-letter terms (the console caps q at 200 chars)',
      `benchmark_runs?select=run_id&transcript_tsv=${webSearch}&limit=1`,
    ],
    [
      'one run event log (run page)',
      `rpc/run_event_log?run_id=${(await sql`select run_id from public.benchmark_runs limit 1`)[0]?.run_id}`,
    ],
  ];
  const results: Measured[] = [];
  for (const [name, path, headers] of requests) {
    const result = await measure(name, path, headers ?? (path.includes('wfts') ? COUNT_EXACT : {}));
    results.push(result);
    console.log(
      `  ${name}: ${result.status}, ${(result.bytes / 1e6).toFixed(1)} MB, ${(result.wallMs / 1000).toFixed(2)} s, ` +
        `Postgres ${result.cpuS.toFixed(2)} CPU-s, +${result.peakRssMb.toFixed(0)} MB RSS`,
    );
  }
  console.log(
    '\n| request | status | response | wall | Postgres CPU | Postgres RSS (peak, above idle) |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.status} | ${(r.bytes / 1e6).toFixed(1)} MB | ${(r.wallMs / 1000).toFixed(2)} s | ${r.cpuS.toFixed(2)} s | ${r.peakRssMb.toFixed(0)} MB |`,
    );
  }
} finally {
  await sql.end({ timeout: 1 });
  await stack.dispose();
}
