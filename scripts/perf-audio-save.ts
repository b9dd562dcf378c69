/**
 * `npm run perf:audio`: what a run's audio costs. Saves runs with 2 MB of
 * audio (random bytes behind the WebM header: about 10 minutes of Opus at
 * 24 kbit/s, and as incompressible) through the gateway and `save-run-audio`,
 * reads them back as the console would (metadata, then the file), then
 * reports the bytes a row takes in Postgres and what 1,000 such runs take.
 * Also one save of the largest audio accepted, with the function's peak
 * memory. Options: --runs N (default 30), --megabytes N (default 2).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  LOUDNESS_WINDOW_MS,
  MAX_RUN_AUDIO_BYTES,
  type RunAudio,
  WEBM_MAGIC,
} from '@core/run-audio.ts';
import { createAppSupabaseClient } from '@data/client.ts';
import { getRunAudioBlob, getRunAudioInfo } from '@data/get-run-audio.ts';
import { postRun, postRunAudio } from '@engine/save-run-client.ts';
import { makeRun } from '@engine/testing/benchmark-runs.ts';
import postgres from 'postgres';
import { LOCAL_PUBLISHABLE_KEY } from '../config/env.ts';
import { startThrowawayStack } from '../stack/throwaway-stack.ts';
import { percentile, summary } from './measure.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    megabytes: { type: 'string', default: '2' },
  },
});
const RUNS = Number(values.runs);
const AUDIO_BYTES = Math.round(Number(values.megabytes) * 1024 * 1024);
/** Opus at 24 kbit/s is 3,000 bytes a second. */
const DURATION_MS = Math.round((AUDIO_BYTES / 3_000) * 1000);
const WARMUP = 3;

const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

function audioFor(runId: string, bytes: number): RunAudio {
  const file = randomBytes(bytes);
  file.set(WEBM_MAGIC);
  const durationMs = Math.round((bytes / 3_000) * 1000);
  const windows = Math.ceil(durationMs / LOUDNESS_WINDOW_MS);
  return {
    run_id: runId,
    content_type: 'audio/webm;codecs=opus',
    started_at: '2026-12-01T10:00:00.000Z',
    duration_ms: durationMs,
    loudness: Array.from({ length: windows }, (_, i) => (i * 37) % 101),
    segments: Array.from({ length: 40 }, (_, i) => ({
      response_id: `resp_${i}`,
      start_ms: Math.floor((durationMs / 40) * i),
      end_ms: Math.floor((durationMs / 40) * i + durationMs / 80),
    })),
    audio: file.toString('base64'),
  };
}

/** Peak resident memory of a process so far, in MB. */
const peakMb = (pid: number) =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

const stack = await startThrowawayStack('perf-audio');
const sql = postgres(stack.dbUrl, { max: 2, onnotice: () => {} });
try {
  const endpoint = { functionsUrl: `${stack.apiUrl}/functions/v1`, anonKey: LOCAL_PUBLISHABLE_KEY };
  const client = createAppSupabaseClient(stack.apiUrl, LOCAL_PUBLISHABLE_KEY);

  const saves: number[] = [];
  const reads: number[] = [];
  const runIds: string[] = [];
  let bodyBytes = 0;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const run = makeRun();
    const saved = await postRun(endpoint, run);
    if (saved.status !== 201) throw new Error(`run save answered ${saved.status}`);
    const audio = audioFor(run.run_id, AUDIO_BYTES);
    bodyBytes = JSON.stringify(audio).length;
    const started = performance.now();
    const answer = await postRunAudio(endpoint, audio);
    const saveMs = performance.now() - started;
    if (answer.status !== 201)
      throw new Error(`audio save answered ${answer.status}: ${answer.message}`);
    const readStarted = performance.now();
    const info = await getRunAudioInfo(client, run.run_id);
    const blob = await getRunAudioBlob(client, run.run_id, info?.content_type ?? '');
    const readMs = performance.now() - readStarted;
    if (blob?.size !== AUDIO_BYTES) throw new Error(`read back ${blob?.size} bytes`);
    if (i >= WARMUP) {
      saves.push(saveMs);
      reads.push(readMs);
      runIds.push(run.run_id);
    }
  }

  const [row] = await sql<{ audio: number; row: number }[]>`
    select avg(pg_column_size(audio))::int as audio,
           avg(pg_column_size(a.*))::int as row
    from public.benchmark_run_audio a where run_id = any(${runIds}::uuid[])`;
  const [table] = await sql<{ total: number; heap: number; toast: number; indexes: number }[]>`
    select pg_total_relation_size('public.benchmark_run_audio')::bigint::float8 as total,
           pg_relation_size('public.benchmark_run_audio')::bigint::float8 as heap,
           pg_total_relation_size(reltoastrelid)::bigint::float8 as toast,
           pg_indexes_size('public.benchmark_run_audio')::bigint::float8 as indexes
    from pg_class where oid = 'public.benchmark_run_audio'::regclass`;
  const rows = WARMUP + RUNS;
  const perRun = (table?.total ?? 0) / rows;

  const fnPid = stack.pids().functions['save-run-audio'] as number;
  const largestRun = makeRun();
  await postRun(endpoint, largestRun);
  const largest = audioFor(largestRun.run_id, MAX_RUN_AUDIO_BYTES);
  const largestStarted = performance.now();
  const largestAnswer = await postRunAudio(endpoint, largest);
  const largestMs = performance.now() - largestStarted;

  console.log(
    `audio ${MB(AUDIO_BYTES)} (${(DURATION_MS / 60_000).toFixed(1)} min at 24 kbit/s), body ${MB(bodyBytes)} as JSON with base64`,
  );
  console.log(`save through gateway + save-run-audio   ${summary(saves)}`);
  console.log(`read back (metadata, then the file)     ${summary(reads)}`);
  console.log(`pg_column_size(audio) ${MB(row?.audio ?? 0)}, whole row ${MB(row?.row ?? 0)}`);
  console.log(
    `table after ${rows} runs: ${MB(table?.total ?? 0)} (heap ${MB(table?.heap ?? 0)}, toast ${MB(table?.toast ?? 0)}, indexes ${MB(table?.indexes ?? 0)}) = ${MB(perRun)} a run`,
  );
  console.log(`1,000 such runs: about ${((perRun * 1000) / 1024 / 1024 / 1024).toFixed(2)} GB`);
  console.log(
    `largest audio (${MB(MAX_RUN_AUDIO_BYTES)}): ${largestAnswer.status} in ${largestMs.toFixed(0)} ms; save-run-audio peak RSS ${peakMb(fnPid).toFixed(0)} MB`,
  );
  console.log(`p95/p50 save ratio ${(percentile(saves, 95) / percentile(saves, 50)).toFixed(2)}`);
} finally {
  await sql.end({ timeout: 1 });
  await stack.dispose();
}
