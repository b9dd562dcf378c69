/**
 * `npm run perf:foundation`: starts the real stack in a throwaway data folder and prints
 * cold/warm start time, save latency for a ~2 MB run (through gateway + function, and a
 * direct SQL insert of the same row for comparison), and list latency.
 * Options: --saves N (default 30), --lists N (default 200).
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createAppSupabaseClient } from '@data/client.ts';
import { getRuns } from '@data/get-runs.ts';
import { makeLargeRun } from '@engine/testing/benchmark-runs.ts';
import postgres from 'postgres';
import { LOCAL_PUBLISHABLE_KEY } from '../config/env.ts';
import { startLocalStack } from '../stack/stack.ts';
import { throwawayStackOptions } from '../stack/throwaway-stack.ts';
import { fmt, summary } from './measure.ts';

const { values } = parseArgs({
  options: { saves: { type: 'string', default: '30' }, lists: { type: 'string', default: '200' } },
});
const saves = Number(values.saves);
const lists = Number(values.lists);

const options = await throwawayStackOptions('bench');

try {
  let t = performance.now();
  let stack = await startLocalStack(options);
  const cold = performance.now() - t;
  await stack.stop();
  t = performance.now();
  stack = await startLocalStack(options);
  const warm = performance.now() - t;

  const sql = postgres(stack.dbUrl, { max: 1, onnotice: () => {} });
  const url = `${stack.apiUrl}/functions/v1/save-benchmark-run`;
  const size = JSON.stringify(makeLargeRun()).length;

  const viaFunction: number[] = [];
  const viaSql: number[] = [];
  for (let i = 0; i < saves + 3; i++) {
    const body = JSON.stringify({ ...makeLargeRun(), run_id: randomUUID() });
    let started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { apikey: LOCAL_PUBLISHABLE_KEY, 'content-type': 'application/json' },
      body,
    });
    await response.arrayBuffer();
    if (response.status !== 201) throw new Error(`save answered ${response.status}`);
    if (i >= 3) viaFunction.push(performance.now() - started);

    const row = JSON.parse(body);
    started = performance.now();
    await sql`insert into public.benchmark_runs (run_id, mode, conversation_history, event_log, interviewer_prompt, simulated_user_prompt, end_reason)
      values (${randomUUID()}, 'benchmark', ${sql.json(row.conversation_history)}, ${sql.json(row.event_log)},
              ${row.interviewer_prompt}, ${row.simulated_user_prompt}, ${row.end_reason})`;
    if (i >= 3) viaSql.push(performance.now() - started);
  }

  const client = createAppSupabaseClient(stack.apiUrl, LOCAL_PUBLISHABLE_KEY);
  const listing: number[] = [];
  for (let i = 0; i < lists + 10; i++) {
    const started = performance.now();
    const page = await getRuns(client, { cursor: null, pageSize: 50 });
    if (i >= 10) listing.push(performance.now() - started);
    if (page.runs.length === 0) throw new Error('list came back empty');
  }

  console.log('Realtime Bench foundation figures (this machine, loopback)');
  console.log(`  stack start, cold (initdb + migrations)   ${fmt(cold)}`);
  console.log(`  stack start, warm                         ${fmt(warm)}`);
  console.log(
    `  save ${(size / 1e6).toFixed(2)} MB run via gateway+function  ${summary(viaFunction)}`,
  );
  console.log(`  same row, direct SQL insert               ${summary(viaSql)}`);
  console.log(`  list first page (50 rows) via postgrest-js ${summary(listing)}`);
  await sql.end();
  await stack.stop();
} finally {
  rmSync(options.dataDir, { recursive: true, force: true });
}
