/**
 * `npm run perf:load`: concurrent saves of ~2 MB runs through the gateway and
 * save-benchmark-run, ramping to --clients (default 50) for --seconds (default
 * 60), with readers listing runs meanwhile. Writers behave like the outbox: a
 * 503 is retried after its Retry-After. Then it checks in Postgres that every
 * acknowledged run is stored once and equal to what was sent, and compares one
 * save with a direct SQL insert of the same row. Loopback only.
 *
 * `--abuse`: the same honest load for --seconds without attackers, then for
 * --seconds more while attackers abort uploads, trickle bytes, send malformed
 * request lines over raw sockets and run the heaviest anon queries. It reports
 * whether the stack stayed up, honest save latency with and without them,
 * honest runs lost, and the memory of the function, the gateway and Postgres.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { makeLargeRun } from '@engine/testing/benchmark-runs.ts';
import postgres from 'postgres';
import { LOCAL_PUBLISHABLE_KEY, repoRoot } from '../config/env.ts';
import { procStatFields } from '../stack/children.ts';
import { percentile, sample } from './measure.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    'ramp-seconds': { type: 'string', default: '15' },
    abuse: { type: 'boolean', default: false },
    attacks: { type: 'string', default: 'aborts,trickles,malformed,queries' },
  },
});
const attackKinds = new Set(values.attacks.split(','));
const clients = Number(values.clients);
const phaseSeconds = Number(values.seconds);
const rampSeconds = Number(values['ramp-seconds']);
const abuse = values.abuse;
const seconds = abuse ? phaseSeconds * 2 : phaseSeconds;

interface StackInfo {
  apiUrl: string;
  dbUrl: string;
  dataDir: string;
  gatewayPid: number;
  pids: { postgres?: number; postgrest?: number; functions: Record<string, number> };
}

const child: ChildProcess = spawn(
  process.execPath,
  ['--import', 'tsx', 'scripts/stack-process.ts'],
  { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
);
const info = await new Promise<StackInfo>((resolve, reject) => {
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (line.startsWith('{')) resolve(JSON.parse(line));
  });
  child.once('exit', (code) => reject(new Error(`stack process exited (${code})`)));
});
let stackExit: { at: number; code: number | null; signal: string | null } | undefined;
child.once('exit', (code, signal) => {
  stackExit = { at: elapsed(), code, signal };
});
const apiUrl = new URL(info.apiUrl);

/** One template of ~2 MB; each request differs in run_id and a sequence number in an event. */
const template = JSON.stringify(makeLargeRun(3300));
const templateId = (JSON.parse(template) as { run_id: string }).run_id;
const bodyFor = (i: number) =>
  template
    .replace(templateId, `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)
    .replace('"event_id":"event_0"', `"event_id":"event_0","seq":${i}`);
const bytes = Buffer.byteLength(bodyFor(0));

// --- process figures from /proc -------------------------------------------------
const readProc = (pid: number, file: string) => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
};
const rss = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readProc(pid, 'status'))?.[1] ?? Number.NaN) / 1024;
/** Proportional set size: shared pages (Postgres's shared buffers) counted once across processes. */
const pss = (pid: number) =>
  Number(/Pss:\s+(\d+)/.exec(readProc(pid, 'smaps_rollup'))?.[1] ?? 0) / 1024;
const CLOCK_TICKS = 100;
/** CPU seconds (user + system) a process has used. */
const cpuSeconds = (pid: number) => {
  const fields = procStatFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS : Number.NaN;
};
const childrenOf = (parent: number) =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => Number(procStatFields(pid)?.[1]) === parent);
const postmaster = info.pids.postgres as number;
const postgresPss = () => [postmaster, ...childrenOf(postmaster)].reduce((a, p) => a + pss(p), 0);
const functionPid = info.pids.functions['save-benchmark-run'] as number;
const alive = (pid: number) => readProc(pid, 'stat') !== '';

interface MemorySample {
  t: number;
  gateway: number;
  fn: number;
  postgres: number;
}
const memory: MemorySample[] = [];

// --- honest load ------------------------------------------------------------------
const saveUrl = `${info.apiUrl}/functions/v1/save-benchmark-run`;
const headers = { apikey: LOCAL_PUBLISHABLE_KEY, 'content-type': 'application/json' };
/** Per run: from its first attempt to its acknowledgement, retries included. */
const saves: Array<{ started: number; ms: number }> = [];
const acknowledged: number[] = [];
const unacknowledged: number[] = [];
const errors: string[] = [];
let busy = 0;
const readLatencies: Array<{ started: number; ms: number }> = [];
let next = 1;
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Saves run `i` as the outbox would: retry on 503 (after Retry-After) and on network errors. */
async function saveRun(i: number): Promise<void> {
  const t0 = performance.now();
  const begun = elapsed();
  const body = bodyFor(i);
  while (elapsed() < seconds + 30) {
    try {
      const response = await fetch(saveUrl, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(120_000),
      });
      await response.arrayBuffer();
      if (response.status === 201 || response.status === 200) {
        saves.push({ started: begun, ms: performance.now() - t0 });
        acknowledged.push(i);
        return;
      }
      if (response.status === 503) {
        busy++;
        await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
        continue;
      }
      errors.push(`run ${i}: HTTP ${response.status}`);
      unacknowledged.push(i);
      return;
    } catch (error) {
      errors.push(`run ${i}: ${(error as Error).message}`);
      await sleep(1000);
    }
  }
  unacknowledged.push(i);
}

async function writer(index: number): Promise<void> {
  // Ramp: client k starts at k/clients of the ramp.
  await sleep((index / clients) * rampSeconds * 1000);
  while (elapsed() < seconds) await saveRun(next++);
}

async function reader(): Promise<void> {
  const url = `${info.apiUrl}/rest/v1/benchmark_runs?select=run_id,created_at,num_turns,end_reason,duration_ms&order=created_at.desc,run_id.desc&limit=50`;
  while (elapsed() < seconds) {
    const begun = elapsed();
    const t0 = performance.now();
    try {
      const response = await fetch(url, {
        headers: { apikey: LOCAL_PUBLISHABLE_KEY },
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      if (response.ok) readLatencies.push({ started: begun, ms: performance.now() - t0 });
      else errors.push(`read: HTTP ${response.status}`);
    } catch (error) {
      errors.push(`read: ${(error as Error).message}`);
    }
    await sleep(100);
  }
}

// --- attackers (--abuse) -------------------------------------------------------------
const attacks = {
  aborted: 0,
  refused: 0,
  trickled: 0,
  trickleAnswers: {} as Record<string, number>,
};
const malformed = { sent: 0, answers: {} as Record<string, number> };
const heavy = { sent: 0, ms: [] as number[], answers: {} as Record<string, number> };
const count = (into: Record<string, number>, key: string) => {
  into[key] = (into[key] ?? 0) + 1;
};
const attacking = () => elapsed() < seconds;

/** Opens a raw connection to the gateway; resolves with its first response line, or how it ended. */
function rawExchange(
  write: (socket: net.Socket) => void,
  timeoutMs: number,
): Promise<{ statusLine: string; socket: net.Socket }> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(apiUrl.port), apiUrl.hostname);
    let settled = false;
    const done = (statusLine: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ statusLine, socket });
    };
    const timer = setTimeout(() => done('no answer'), timeoutMs);
    socket.once('data', (data) => done(data.toString('latin1').split('\r\n')[0] ?? ''));
    socket.once('error', (error) => done((error as NodeJS.ErrnoException).code ?? error.message));
    socket.once('close', () => done('closed'));
    socket.once('connect', () => write(socket));
  });
}

const savePreamble = (length: number) =>
  `POST /functions/v1/save-benchmark-run HTTP/1.1\r\nHost: ${apiUrl.host}\r\n` +
  `apikey: ${LOCAL_PUBLISHABLE_KEY}\r\nContent-Type: application/json\r\n` +
  `Content-Length: ${length}\r\n\r\n`;

/** Sends the headers and a quarter of a 2 MB body, then goes away. */
async function aborter(): Promise<void> {
  const part = bodyFor(0).slice(0, Math.floor(bytes / 4));
  while (attacking()) {
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(apiUrl.port), apiUrl.hostname, () => {
        socket.write(savePreamble(bytes));
        socket.write(part, () => {
          socket.destroy();
          attacks.aborted++;
          resolve();
        });
      });
      socket.once('error', () => {
        attacks.refused++;
        resolve();
      });
    });
    await sleep(50);
  }
}

/** Declares a 2 MB body and sends one byte a second until the server gives up on it. */
async function trickler(): Promise<void> {
  const body = bodyFor(0);
  while (attacking()) {
    const { statusLine, socket } = await rawExchange((s) => {
      s.write(savePreamble(bytes));
      let sent = 0;
      const drip = setInterval(() => {
        if (s.destroyed || !attacking()) {
          clearInterval(drip);
          s.destroy();
          return;
        }
        s.write(body[sent++] ?? ' ');
      }, 1000);
      s.once('close', () => clearInterval(drip));
    }, seconds * 1000);
    socket.destroy();
    attacks.trickled++;
    count(attacks.trickleAnswers, statusLine.replace(/^HTTP\/1\.1 /, ''));
    if (!statusLine.startsWith('HTTP/')) await sleep(200);
  }
}

const MALFORMED = [
  'GET //a:99999/x HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET http://[::1/rest/v1/ HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET /rest/v1/benchmark_runs?%zz HTTP/1.1\r\nHost: x\r\n\r\n',
  'POST /functions/v1/%ff%fe HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx',
  'GET /rest/v1/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\nzz\r\n',
  `GET /${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  '\u0000\u0001\u0002 garbage\r\n\r\n',
  'GET / HTTP/9.9\r\n\r\n',
];

async function malformer(): Promise<void> {
  let k = 0;
  while (attacking()) {
    const request = MALFORMED[k++ % MALFORMED.length] as string;
    const { statusLine, socket } = await rawExchange((s) => s.write(request, 'latin1'), 5_000);
    socket.destroy();
    malformed.sent++;
    count(malformed.answers, statusLine.replace(/^HTTP\/1\.1 /, '').slice(0, 40));
    await sleep(statusLine.startsWith('HTTP/') || statusLine === 'closed' ? 100 : 500);
  }
}

const HEAVY_QUERIES = [
  '/rest/v1/benchmark_runs?select=*&limit=250',
  '/rest/v1/benchmark_runs?select=*,run_metrics(*)&limit=1000',
  // As long as fits the 16 KiB of headers Node's HTTP parser allows.
  `/rest/v1/benchmark_runs?select=run_id&transcript_tsv=wfts(english).${encodeURIComponent(
    Array.from({ length: 2500 }, (_, i) => `${'abcdefghijklmnopqrstuvwxyz'[i % 26]}${i % 10}`).join(
      ' ',
    ),
  )}`,
  `/rest/v1/benchmark_runs?select=run_id&transcript_tsv=wfts(english).${encodeURIComponent(
    Array.from({ length: 1000 }, (_, i) => `w${i % 10}`).join(' or '),
  )}`,
];

async function heavyQuerier(offset: number): Promise<void> {
  let k = offset;
  while (attacking()) {
    const t0 = performance.now();
    const path = HEAVY_QUERIES[k++ % HEAVY_QUERIES.length] as string;
    try {
      const response = await fetch(`${info.apiUrl}${path}`, {
        headers: { apikey: LOCAL_PUBLISHABLE_KEY },
        signal: AbortSignal.timeout(60_000),
      });
      await response.arrayBuffer();
      count(heavy.answers, String(response.status));
    } catch (error) {
      count(heavy.answers, (error as Error).name);
      await sleep(500);
    }
    heavy.sent++;
    heavy.ms.push(performance.now() - t0);
  }
}

async function attackers(): Promise<void> {
  await sleep(phaseSeconds * 1000);
  console.log(`abuse: attackers start at ${elapsed().toFixed(0)} s`);
  const kinds = (kind: string, n: number, start: (k: number) => Promise<void>) =>
    attackKinds.has(kind) ? Array.from({ length: n }, (_, k) => start(k)) : [];
  await Promise.all([
    ...kinds('aborts', 20, () => aborter()),
    ...kinds('trickles', 100, () => trickler()),
    ...kinds('malformed', 1, () => malformer()),
    ...kinds('queries', 4, (k) => heavyQuerier(k)),
  ]);
}

// --- run ---------------------------------------------------------------------------
console.log(
  `load: ${clients} clients ramping over ${rampSeconds} s, ${seconds} s${
    abuse ? ` (${phaseSeconds} s honest only, then ${phaseSeconds} s with attackers)` : ''
  }, ${(bytes / 1e6).toFixed(2)} MB per run`,
);
const fnCpuBefore = cpuSeconds(functionPid);
const sampler = setInterval(
  () =>
    memory.push({
      t: elapsed(),
      gateway: rss(info.gatewayPid),
      fn: rss(functionPid),
      postgres: postgresPss(),
    }),
  1000,
);
await Promise.all([
  ...Array.from({ length: clients }, (_, k) => writer(k)),
  reader(),
  reader(),
  ...(abuse ? [attackers()] : []),
]);
clearInterval(sampler);
const loadCpu = cpuSeconds(functionPid) - fnCpuBefore;
const duration = elapsed();

// Is the stack still serving? (The function may have been restarted: it is found by port.)
const probe = async () => {
  try {
    const response = await fetch(saveUrl, {
      method: 'POST',
      headers,
      body: bodyFor(30_000_000),
      signal: AbortSignal.timeout(30_000),
    });
    return `save ${response.status}`;
  } catch (error) {
    return `save failed: ${(error as Error).message}`;
  }
};
const probed = await probe();
const stayedUp = !stackExit && probed === 'save 201';

// --- verify -------------------------------------------------------------------
const sql = postgres(info.dbUrl, { max: 2, onnotice: () => {}, connect_timeout: 10 });
let stored = Number.NaN;
let mismatched = 0;
let verified = false;
try {
  const [row] = (await sql`select count(*)::int as n from public.benchmark_runs`) as unknown as [
    { n: number },
  ];
  stored = row.n;
  for (const i of acknowledged) {
    const body = bodyFor(i);
    const [check] = await sql`
      select count(*)::int as copies,
             bool_and(r.conversation_history = (b->'conversation_history') and r.event_log = (b->'event_log')
                      and r.interviewer_prompt = b->>'interviewer_prompt') as equal
      from public.benchmark_runs r, (select ${body}::text::jsonb as b) as sent
      where r.run_id = (b->>'run_id')::uuid`;
    if (check?.copies !== 1 || check?.equal !== true) mismatched++;
  }
  verified = true;
} catch (error) {
  console.log(`could not verify in Postgres: ${(error as Error).message}`);
}

// --- one save vs a direct SQL insert of the same row, and its CPU -------------------------
let single = 10_000_000;
let viaFunction: number[] = [];
let viaSql: number[] = [];
let cpuPerSave = Number.NaN;
if (stayedUp) {
  const oneSave = async () => {
    const response = await fetch(saveUrl, { method: 'POST', headers, body: bodyFor(single++) });
    await response.arrayBuffer();
  };
  await sample(3, oneSave, 2);
  const cpu0 = cpuSeconds(functionPid);
  viaFunction = await sample(15, oneSave, 0);
  cpuPerSave = ((cpuSeconds(functionPid) - cpu0) / 15) * 1000;
  const parsed = JSON.parse(bodyFor(0));
  let direct = 20_000_000;
  viaSql = await sample(
    15,
    () => {
      const id = `00000000-0000-4000-8000-${String(direct++).padStart(12, '0')}`;
      return sql`insert into public.benchmark_runs (run_id, mode, conversation_history, event_log, interviewer_prompt, simulated_user_prompt, end_reason)
      values (${id}, 'benchmark', ${sql.json(parsed.conversation_history)}, ${sql.json(parsed.event_log)},
              ${parsed.interviewer_prompt}, ${parsed.simulated_user_prompt}, ${parsed.end_reason})`;
    },
    2,
  );
}
await sql.end({ timeout: 5 }).catch(() => {});
const idle = { gateway: rss(info.gatewayPid), fn: rss(functionPid), postgres: postgresPss() };
if (!stackExit) {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
} else {
  // The stack process died and left its services behind: stop the ones it started.
  const orphans = [postmaster, info.pids.postgrest, ...Object.values(info.pids.functions)];
  for (const pid of orphans) if (pid && alive(pid)) process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 10_000 && alive(postmaster); waited += 200) await sleep(200);
  rmSync(info.dataDir, { recursive: true, force: true });
}

// --- report -------------------------------------------------------------------
const p = (s: number[], q: number) => (s.length ? percentile(s, q).toFixed(0) : '—');
const within = (xs: Array<{ started: number; ms: number }>, from: number, to: number) =>
  xs.filter((x) => x.started >= from && x.started < to).map((x) => x.ms);
const peak = (key: keyof MemorySample, from = 0, to = Number.POSITIVE_INFINITY) => {
  const values = memory
    .filter((m) => m.t >= from && m.t < to)
    .map((m) => m[key])
    .filter((v) => !Number.isNaN(v));
  return values.length ? Math.max(...values).toFixed(0) : '—';
};
const first = memory.slice(0, 10);
const last = memory.slice(-10);
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const ratio = percentile(viaFunction, 50) / percentile(viaSql, 50);
const allSaves = saves.map((s) => s.ms);
const lost = verified ? mismatched : Number.NaN;
const savedPerSecond = acknowledged.length / duration;

console.log(`
| figure | measured | target |
|---|---|---|
| saves acknowledged | ${acknowledged.length} in ${duration.toFixed(0)} s (${savedPerSecond.toFixed(1)}/s, ${((acknowledged.length * bytes) / duration / 1e6).toFixed(1)} MB/s) | — |
| save latency, first attempt to acknowledgement, p50 / p95 / p99 | ${p(allSaves, 50)} / ${p(allSaves, 95)} / ${p(allSaves, 99)} ms | — |
| 503 busy answers retried after Retry-After | ${busy} | — |
| errors (other than 503) | ${errors.length} | 0 |
| acknowledged runs stored exactly once and equal to what was sent | ${verified ? `${acknowledged.length - mismatched} of ${acknowledged.length} (${stored} rows in the table)` : 'could not verify'} | all |
| runs never acknowledged | ${unacknowledged.length} | 0 |
| list reads during the load, p50 / p95 | ${p(
  readLatencies.map((r) => r.ms),
  50,
)} / ${p(
  readLatencies.map((r) => r.ms),
  95,
)} ms (n=${readLatencies.length}) | — |
| gateway RSS: first 10 s avg → last 10 s avg (peak) → idle after | ${avg(first.map((m) => m.gateway)).toFixed(0)} → ${avg(last.map((m) => m.gateway)).toFixed(0)} MiB (${peak('gateway')}) → ${idle.gateway.toFixed(0)} MiB | no growth |
| save-benchmark-run RSS: first 10 s avg → last 10 s avg (peak) → idle after | ${avg(first.map((m) => m.fn)).toFixed(0)} → ${avg(last.map((m) => m.fn)).toFixed(0)} MiB (${peak('fn')}) → ${idle.fn.toFixed(0)} MiB | peak ≤ 200 MiB |
| Postgres memory (PSS, all its processes): peak → idle after | ${peak('postgres')} → ${idle.postgres.toFixed(0)} MiB | bounded |
| save-benchmark-run CPU under load, per acknowledged save | ${((loadCpu / Math.max(1, acknowledged.length)) * 1000).toFixed(0)} ms | — |
| save-benchmark-run CPU for one 2 MB save, alone (15 saves) | ${cpuPerSave.toFixed(0)} ms | < 2 s (hosted limit) |
| one save through gateway + function vs direct SQL insert, p50 | ${p(viaFunction, 50)} vs ${p(viaSql, 50)} ms (${ratio.toFixed(2)}x) | ≤ 2x |`);

if (abuse) {
  const calm = within(saves, rampSeconds, phaseSeconds);
  const attacked = within(saves, phaseSeconds, seconds);
  const calmReads = within(readLatencies, rampSeconds, phaseSeconds);
  const attackedReads = within(readLatencies, phaseSeconds, seconds);
  const p95ratio =
    attacked.length >= 20
      ? `p95 ${(percentile(attacked, 95) / percentile(calm, 95)).toFixed(2)}x`
      : 'too few to compare';
  const fmtCounts = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ×${v}`)
      .join(', ') || '—';
  console.log(`
Abuse: ${phaseSeconds} s of honest load alone (after the ${rampSeconds} s ramp), then ${phaseSeconds} s with attackers (${[...attackKinds].join(', ')})

| figure | without attackers | with attackers | target |
|---|---|---|---|
| stack stayed up | — | ${stayedUp ? 'yes' : `**no**: ${stackExit ? `stack process exited at ${stackExit.at.toFixed(0)} s (code ${stackExit.code}, ${stackExit.signal ?? 'no signal'})` : ''} final probe: ${probed}`} | yes |
| honest saves acknowledged | ${calm.length} | ${attacked.length} | — |
| honest saves p50 / p95 | ${p(calm, 50)} / ${p(calm, 95)} ms | ${p(attacked, 50)} / ${p(attacked, 95)} ms (${p95ratio}) | p95 ≤ 2x |
| honest list reads p50 / p95 | ${p(calmReads, 50)} / ${p(calmReads, 95)} ms | ${p(attackedReads, 50)} / ${p(attackedReads, 95)} ms | — |
| honest runs lost (acknowledged, then missing or different) | — | ${Number.isNaN(lost) ? 'could not verify' : lost} | 0 |
| honest runs never acknowledged | — | ${unacknowledged.length} | 0 |
| save-benchmark-run RSS peak | ${peak('fn', 0, phaseSeconds)} MiB | ${peak('fn', phaseSeconds)} MiB | ≤ 200 MiB |
| gateway RSS peak | ${peak('gateway', 0, phaseSeconds)} MiB | ${peak('gateway', phaseSeconds)} MiB | bounded |
| Postgres PSS peak | ${peak('postgres', 0, phaseSeconds)} MiB | ${peak('postgres', phaseSeconds)} MiB | bounded |

| attack | sent | answers |
|---|---|---|
| uploads aborted after 1/4 of a 2 MB body (20 at a time) | ${attacks.aborted} | ${attacks.refused ? `${attacks.refused} connections refused` : '—'} |
| uploads trickling a byte a second (100 at a time) | ${attacks.trickled} ended | ${fmtCounts(attacks.trickleAnswers)} |
| malformed request lines and headers (raw sockets) | ${malformed.sent} | ${fmtCounts(malformed.answers)} |
| heaviest anon queries (select=* limit 250, an embed at limit 1,000, 2,500-term and 1,000-OR wfts; 4 at a time) | ${heavy.sent} (p50 ${p(heavy.ms, 50)} ms, max ${heavy.ms.length ? Math.max(...heavy.ms).toFixed(0) : '—'} ms) | ${fmtCounts(heavy.answers)} |`);
}
if (errors.length) console.log(`first errors:\n  ${errors.slice(0, 5).join('\n  ')}`);
const ok =
  verified &&
  mismatched === 0 &&
  unacknowledged.length === 0 &&
  (abuse ? stayedUp : !errors.length);
process.exit(ok ? 0 : 1);
