/**
 * `npm run bench:load`: concurrent saves of ~2 MB runs through the gateway and
 * save-benchmark-run, ramping to --clients (default 50) for --seconds (default
 * 60), with readers listing runs meanwhile. Then it checks in Postgres that
 * every acknowledged run is stored once and equal to what was sent, and
 * compares one save with a direct SQL insert of the same row. Loopback only.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { LOCAL_ANON_KEY, repoRoot } from '../stack/config.ts';
import { makeLargeRun } from '../tests/fixtures/benchmark-run.ts';
import { percentile, sample } from './measure.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    'ramp-seconds': { type: 'string', default: '15' },
  },
});
const clients = Number(values.clients);
const seconds = Number(values.seconds);
const rampSeconds = Number(values['ramp-seconds']);

interface StackInfo {
  apiUrl: string;
  dbUrl: string;
  gatewayPid: number;
  pids: { functions: Record<string, number> };
}

const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/stack-process.ts'], {
  cwd: repoRoot,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const info = await new Promise<StackInfo>((resolve, reject) => {
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('{')) resolve(JSON.parse(line));
  });
  child.once('exit', (code) => reject(new Error(`stack process exited (${code})`)));
});

/** One template of ~2 MB; each request differs in run_id and a sequence number in an event. */
const template = JSON.stringify(makeLargeRun(3300));
const templateId = (JSON.parse(template) as { run_id: string }).run_id;
const bodyFor = (i: number) =>
  template
    .replace(templateId, `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)
    .replace('"event_id":"event_0"', `"event_id":"event_0","seq":${i}`);
const bytes = Buffer.byteLength(bodyFor(0));

const rss = (pid: number) => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return Number.NaN;
  }
};
const functionPid = info.pids.functions['save-benchmark-run'] as number;
const memory: Array<{ t: number; gateway: number; fn: number }> = [];

const saveUrl = `${info.apiUrl}/functions/v1/save-benchmark-run`;
const headers = { authorization: `Bearer ${LOCAL_ANON_KEY}`, 'content-type': 'application/json' };
const latencies: number[] = [];
const acknowledged: number[] = [];
const errors: string[] = [];
const readLatencies: number[] = [];
let next = 1;
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;

async function writer(index: number): Promise<void> {
  // Ramp: client k starts at k/clients of the ramp.
  await new Promise((resolve) => setTimeout(resolve, (index / clients) * rampSeconds * 1000));
  while (elapsed() < seconds) {
    const i = next++;
    const t0 = performance.now();
    try {
      const response = await fetch(saveUrl, { method: 'POST', headers, body: bodyFor(i) });
      await response.arrayBuffer();
      if (response.status === 201) {
        latencies.push(performance.now() - t0);
        acknowledged.push(i);
      } else errors.push(`run ${i}: HTTP ${response.status}`);
    } catch (error) {
      errors.push(`run ${i}: ${(error as Error).message}`);
    }
  }
}

async function reader(): Promise<void> {
  const url = `${info.apiUrl}/rest/v1/benchmark_runs?select=run_id,created_at,num_turns,end_reason,duration_ms&order=created_at.desc,run_id.desc&limit=50`;
  while (elapsed() < seconds) {
    const t0 = performance.now();
    const response = await fetch(url, { headers: { apikey: LOCAL_ANON_KEY } });
    await response.arrayBuffer();
    if (response.ok) readLatencies.push(performance.now() - t0);
    else errors.push(`read: HTTP ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

console.log(
  `load: ${clients} clients ramping over ${rampSeconds} s, ${seconds} s, ${(bytes / 1e6).toFixed(2)} MB per run`,
);
const sampler = setInterval(
  () => memory.push({ t: elapsed(), gateway: rss(info.gatewayPid), fn: rss(functionPid) }),
  1000,
);
await Promise.all([...Array.from({ length: clients }, (_, k) => writer(k)), reader(), reader()]);
clearInterval(sampler);
const duration = elapsed();

// --- verify -------------------------------------------------------------------
const sql = postgres(info.dbUrl, { max: 2, onnotice: () => {} });
const [{ n: stored }] =
  (await sql`select count(*)::int as n from public.benchmark_runs`) as unknown as [{ n: number }];
let mismatched = 0;
for (const i of acknowledged) {
  const body = bodyFor(i);
  const [row] = await sql`
    select count(*)::int as copies,
           bool_and(r.conversation_history = (b->'conversation_history') and r.event_log = (b->'event_log')
                    and r.interviewer_prompt = b->>'interviewer_prompt') as equal
    from public.benchmark_runs r, (select ${body}::text::jsonb as b) as sent
    where r.run_id = (b->>'run_id')::uuid`;
  if (row?.copies !== 1 || row?.equal !== true) mismatched++;
}

// --- one save vs a direct SQL insert of the same row ------------------------------
let single = 10_000_000;
const viaFunction = await sample(
  15,
  async () => {
    const response = await fetch(saveUrl, { method: 'POST', headers, body: bodyFor(single++) });
    await response.arrayBuffer();
  },
  2,
);
const parsed = JSON.parse(bodyFor(0));
let direct = 20_000_000;
const viaSql = await sample(
  15,
  () => {
    const id = `00000000-0000-4000-8000-${String(direct++).padStart(12, '0')}`;
    return sql`insert into public.benchmark_runs (run_id, mode, conversation_history, event_log, interviewer_prompt, simulated_user_prompt, end_reason)
    values (${id}, 'benchmark', ${sql.json(parsed.conversation_history)}, ${sql.json(parsed.event_log)},
            ${parsed.interviewer_prompt}, ${parsed.simulated_user_prompt}, ${parsed.end_reason})`;
  },
  2,
);
await sql.end();
const idle = { gateway: rss(info.gatewayPid), fn: rss(functionPid) };
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));

const p = (s: number[], q: number) => percentile(s, q).toFixed(0);
const first = memory.slice(0, 10);
const last = memory.slice(-10);
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const ratio = percentile(viaFunction, 50) / percentile(viaSql, 50);
console.log(`
| figure | measured | target |
|---|---|---|
| saves acknowledged | ${acknowledged.length} in ${duration.toFixed(0)} s (${(acknowledged.length / duration).toFixed(1)}/s, ${((acknowledged.length * bytes) / duration / 1e6).toFixed(1)} MB/s) | — |
| save latency p50 / p95 / p99 | ${p(latencies, 50)} / ${p(latencies, 95)} / ${p(latencies, 99)} ms | — |
| errors | ${errors.length} | 0 |
| acknowledged runs stored exactly once and equal to what was sent | ${acknowledged.length - mismatched} of ${acknowledged.length} (${stored} rows in the table) | all |
| list reads during the load, p50 / p95 | ${p(readLatencies, 50)} / ${p(readLatencies, 95)} ms (n=${readLatencies.length}) | — |
| gateway RSS: first 10 s avg → last 10 s avg (peak) → idle after | ${avg(first.map((m) => m.gateway)).toFixed(0)} → ${avg(last.map((m) => m.gateway)).toFixed(0)} MiB (${Math.max(...memory.map((m) => m.gateway)).toFixed(0)}) → ${idle.gateway.toFixed(0)} MiB | no growth |
| save-benchmark-run RSS: first 10 s avg → last 10 s avg (peak) → idle after | ${avg(first.map((m) => m.fn)).toFixed(0)} → ${avg(last.map((m) => m.fn)).toFixed(0)} MiB (${Math.max(...memory.map((m) => m.fn)).toFixed(0)}) → ${idle.fn.toFixed(0)} MiB | no growth |
| one save through gateway + function vs direct SQL insert, p50 | ${percentile(viaFunction, 50).toFixed(0)} vs ${percentile(viaSql, 50).toFixed(0)} ms (${ratio.toFixed(2)}x) | ≤ 2x |`);
if (errors.length) console.log(`first errors:\n  ${errors.slice(0, 5).join('\n  ')}`);
process.exit(errors.length === 0 && mismatched === 0 ? 0 : 1);
