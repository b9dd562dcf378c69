/**
 * `npm run perf:audio`: what a run's audio costs.
 *
 * 1. Real audio: a conversation of --minutes (default 10) recorded as a run
 *    records it on Node (`RunAudioRecorder` with the Opus encoder the runner
 *    registers): interviewer speech from `SpeechSynth` about half the time,
 *    silence while the simulated user speaks and between turns. Prints the
 *    file's size, bytes per minute and the encoding time (CPU and wall), and
 *    the bytes of a minute of speech only and of silence only (the bounds).
 * 2. Storage: saves runs with random bytes of the same order (--megabytes,
 *    default 2: incompressible, like Opus) through the gateway and
 *    `save-run-audio`, reads them back as the console would (metadata, then
 *    the file), and reports the bytes a row takes in Postgres and what 1,000
 *    such runs take; also one save of the largest audio accepted, with the
 *    function's peak memory.
 * 3. Saving a real run: the conversation's run and its recording through the
 *    outbox the console uses (`createSavingOutbox`: the run, then its audio),
 *    from submit to settled 'saved', each time as a new run.
 * 4. Opening it: the run's page in a cold headless Chromium (Debian
 *    `chromium`; the console built and served as `npm start` serves it), from
 *    navigation to the transcript shown, the player's `loadedmetadata` and the
 *    waveform shown; and the player's duration against the run's.
 * Options: --minutes N, --runs N (default 30), --megabytes N, --saves N
 * (default 10), --loads N (default 5).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  LOUDNESS_WINDOW_MS,
  MAX_RUN_AUDIO_BYTES,
  type RunAudio,
  WEBM_MAGIC,
} from '@core/run-audio.ts';
import { createAppSupabaseClient } from '@data/client.ts';
import { getRunAudioBlob, getRunAudioInfo } from '@data/get-run-audio.ts';
import { runAudioPayload } from '@engine/audio/run-audio-payload.ts';
import { RunAudioRecorder } from '@engine/audio/run-audio-recorder.ts';
import { SpeechSynth } from '@engine/audio/speech-synth.ts';
import { createWebmOpusEncoder } from '@engine/audio/webm-opus-encoder.ts';
import type { OutboxEntry, OutboxStore } from '@engine/run-outbox.ts';
import { createSavingOutbox, postRun, postRunAudio } from '@engine/save-run-client.ts';
import { makeRun } from '@engine/testing/benchmark-runs.ts';
import { chromium } from 'playwright-core';
import postgres from 'postgres';
import { LOCAL_PUBLISHABLE_KEY } from '../config/env.ts';
import { registerOpusEncoder } from '../runner/opus-encoder.ts';
import { peakMemoryMb } from '../stack/process-usage.ts';
import { serveConsoleFor, startThrowawayStack } from '../stack/throwaway-stack.ts';
import { buildConversation, type HeardSpeech } from './audio-conversation.ts';
import { percentile, summary } from './measure.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    megabytes: { type: 'string', default: '2' },
    minutes: { type: 'string', default: '10' },
    saves: { type: 'string', default: '10' },
    loads: { type: 'string', default: '5' },
  },
});
const wholeNumber = (name: 'runs' | 'minutes' | 'saves' | 'loads', least: number) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < least)
    throw new Error(`--${name} must be a whole number ≥ ${least}`);
  return value;
};
const RUNS = wholeNumber('runs', 1);
const MINUTES = wholeNumber('minutes', 1);
const SAVES = wholeNumber('saves', 1);
const LOADS = wholeNumber('loads', 1);
const AUDIO_BYTES = Math.round(Number(values.megabytes) * 1024 * 1024);
if (!(AUDIO_BYTES > 0)) throw new Error('--megabytes must be a number > 0');
/** Opus at 24 kbit/s is 3,000 bytes a second. */
const DURATION_MS = Math.round((AUDIO_BYTES / 3_000) * 1000);
const WARMUP = 3;

const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/** The 1, 5 and 15 minute load averages: other work on the machine slows a cold load. */
const loadAverage = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' / ');

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

const chromiumPath =
  process.env.CHROMIUM_PATH ??
  spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
if (!chromiumPath) throw new Error('needs Debian chromium: apt-get install chromium');

/** Outbox entries in memory: the durable store is not what is measured here. */
function memoryStore(): OutboxStore {
  const entries = new Map<string, OutboxEntry>();
  return {
    put: async (entry) => void entries.set(entry.run.run_id, entry),
    delete: async (runId) => void entries.delete(runId),
    all: async () => [...entries.values()],
  };
}

interface RunPageLoad {
  /** Navigation start to the end of the frame showing the transcript's first turn. */
  transcript: number;
  /** … to the player's `loadedmetadata` (its duration known). */
  metadata: number;
  /** … to the end of the frame showing the waveform's bars. */
  waveform: number;
  /** The player's duration, in seconds. */
  audioDuration: number;
}

type ProbedWindow = Window & {
  transcriptShown: Promise<number>;
  waveformShown: Promise<number>;
  audioMetadata: Promise<{ at: number; duration: number }>;
};

/**
 * Runs in the page before its own scripts: notes when the transcript and the
 * waveform are shown and when the player knows its duration. (No named inner
 * functions: the page has no `__name`, which tsx adds to them.)
 */
function probeRunPage(): void {
  const probed = window as unknown as ProbedWindow;
  for (const [key, selector] of [
    ['transcriptShown', 'ol[aria-label="Transcript"] li'],
    ['waveformShown', '[aria-label="Audio timeline"] path[d^="M"]'],
  ] as const) {
    probed[key] = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (!document.querySelector(selector)) return;
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now())));
      });
      observer.observe(document, { childList: true, subtree: true, attributes: true });
    });
  }
  // Media events do not bubble, but a capturing listener on the document hears them.
  probed.audioMetadata = new Promise((resolve) =>
    document.addEventListener(
      'loadedmetadata',
      (event) => {
        if (event.target instanceof HTMLAudioElement)
          resolve({ at: performance.now(), duration: event.target.duration });
      },
      true,
    ),
  );
}

/** Records `speech` from `startedAtMs` to `endedAtMs` as a run does, timed (wall and CPU). */
async function record(speech: HeardSpeech[], startedAtMs: number, endedAtMs: number) {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const recorder = new RunAudioRecorder(startedAtMs, createWebmOpusEncoder());
  for (const heard of speech) recorder.append(heard.samples, heard.atMs, heard.responseId);
  const recorded = await recorder.finish(endedAtMs);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  if (!recorded) throw new Error('the recorder could not encode the audio');
  return { recorded, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** A minute of uninterrupted interviewer speech: the most a minute of recording can take. */
function speechMinute(startedAtMs: number): HeardSpeech[] {
  const synth = new SpeechSynth(11);
  const speech: HeardSpeech[] = [];
  for (let at = 0, i = 0; at < 60_000; i++) {
    const ms = 300 + ((i * 70) % 250);
    speech.push({ samples: synth.word('planning', ms), atMs: startedAtMs + at, responseId: 'r' });
    at += ms;
  }
  return speech;
}

const perMinute = (bytes: number, minutes: number) =>
  `${kB(bytes / minutes)} a minute (${((bytes * 8) / (minutes * 60) / 1000).toFixed(1)} kbit/s)`;

const PAGE_TIMEOUT_MS = 30_000;

/** The page's figures, or an error naming what never came (the probe waits without end). */
async function withinPageTimeout<T>(figures: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `the run page did not show its transcript, waveform and player's duration within ${PAGE_TIMEOUT_MS / 1000} s`,
          ),
        ),
      PAGE_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([figures, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// 1. A conversation recorded as a run records it on Node.
registerOpusEncoder();
const conversation = buildConversation(MINUTES);
const recordingMinutes = (conversation.endedAtMs - conversation.startedAtMs) / 60_000;
const {
  recorded,
  wallMs: encodeWallMs,
  cpuMs: encodeCpuMs,
} = await record(conversation.speech, conversation.startedAtMs, conversation.endedAtMs);
const speechOnly = await record(speechMinute(0), 0, 60_000);
const silenceOnly = await record([], 0, 60_000);
const sampleRun = conversation.runAs(crypto.randomUUID());
const sampleAudio = runAudioPayload(sampleRun.run_id, recorded);
console.log(
  `recording: ${recordingMinutes.toFixed(1)} min, ${sampleRun.conversation_history.length} turns, interviewer speaking ${((conversation.interviewerMs / (recordingMinutes * 60_000)) * 100).toFixed(0)}% of it (SpeechSynth), silence between`,
);
console.log(
  `  file ${MB(recorded.bytes.length)} (${recorded.bytes.length.toLocaleString('en')} bytes) = ${perMinute(recorded.bytes.length, recordingMinutes)}`,
);
console.log(
  `  a minute of speech only: ${perMinute(speechOnly.recorded.bytes.length, 1)}; of silence only: ${perMinute(silenceOnly.recorded.bytes.length, 1)}`,
);
console.log(
  `  encoding (recorder + Opus in WebM, Node): ${encodeWallMs.toFixed(0)} ms wall, ${encodeCpuMs.toFixed(0)} ms CPU = ${(encodeWallMs / recordingMinutes).toFixed(0)} ms wall, ${(encodeCpuMs / recordingMinutes).toFixed(0)} ms CPU a minute of audio (speech only ${speechOnly.cpuMs.toFixed(0)} ms CPU, silence only ${silenceOnly.cpuMs.toFixed(0)} ms a minute)`,
);
console.log(
  `  run JSON ${MB(JSON.stringify(sampleRun).length)} (${sampleRun.event_log.length} events); audio body ${MB(JSON.stringify(sampleAudio).length)} as JSON with base64`,
);

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
    `\nrandom bytes as audio: ${MB(AUDIO_BYTES)} (${(DURATION_MS / 60_000).toFixed(1)} min at 24 kbit/s), body ${MB(bodyBytes)} as JSON with base64`,
  );
  console.log(`save through gateway + save-run-audio   ${summary(saves)}`);
  console.log(`read back (metadata, then the file)     ${summary(reads)}`);
  console.log(`pg_column_size(audio) ${MB(row?.audio ?? 0)}, whole row ${MB(row?.row ?? 0)}`);
  console.log(
    `table after ${rows} runs: ${MB(table?.total ?? 0)} (heap ${MB(table?.heap ?? 0)}, toast ${MB(table?.toast ?? 0)}, indexes ${MB(table?.indexes ?? 0)}) = ${MB(perRun)} a run`,
  );
  console.log(`1,000 such runs: about ${((perRun * 1000) / 1024 / 1024 / 1024).toFixed(2)} GB`);
  console.log(
    `largest audio (${MB(MAX_RUN_AUDIO_BYTES)}): ${largestAnswer.status} in ${largestMs.toFixed(0)} ms; save-run-audio peak RSS ${peakMemoryMb(fnPid).toFixed(0)} MB`,
  );
  console.log(`p95/p50 save ratio ${(percentile(saves, 95) / percentile(saves, 50)).toFixed(2)}`);

  // 3. The real run and its recording, through the outbox the console saves with.
  const tableBytes = async () => {
    const [sizes] = await sql<{ audio: number; database: number }[]>`
      select pg_total_relation_size('public.benchmark_run_audio')::float8 as audio,
             pg_database_size(current_database())::float8 as database`;
    return sizes ?? { audio: Number.NaN, database: Number.NaN };
  };
  const before = await tableBytes();
  const outbox = createSavingOutbox(endpoint, memoryStore());
  const realSaves: number[] = [];
  let savedRunId = '';
  for (let i = 0; i < WARMUP + SAVES; i++) {
    const runId = crypto.randomUUID();
    const run = conversation.runAs(runId);
    const audio = runAudioPayload(runId, recorded);
    const started = performance.now();
    const settled = await outbox.submit(run, audio);
    const ms = performance.now() - started;
    if (settled.outcome !== 'saved')
      throw new Error(`run ${runId} was ${settled.outcome}: ${settled.message}`);
    if (i >= WARMUP) realSaves.push(ms);
    savedRunId = runId;
  }
  outbox.stop();
  const after = await tableBytes();
  const [realRow] = await sql<{ audio: number }[]>`
    select pg_column_size(audio) as audio from public.benchmark_run_audio where run_id = ${savedRunId}`;
  const saved = WARMUP + SAVES;
  const audioPerRun = (after.audio - before.audio) / saved;
  const restPerRun = (after.database - before.database) / saved - audioPerRun;
  console.log(
    `\nsave a ${recordingMinutes.toFixed(0)}-minute run + its recording (outbox: run, then audio; submit to 'saved')   ${summary(realSaves)}`,
  );
  console.log(
    `  stored, each: audio ${MB(realRow?.audio ?? 0)} in its column, ${MB(audioPerRun)} of benchmark_run_audio, ${MB(restPerRun)} of the rest of the database (the run, its metrics, indexes) = ${MB(audioPerRun + restPerRun)} a run; 1,000 such runs about ${(((audioPerRun + restPerRun) * 1000) / 1024 / 1024 / 1024).toFixed(2)} GB`,
  );

  // 4. Its page in a cold Chromium.
  const [stored] = await sql<{ run: number; audio: number }[]>`
    select r.duration_ms::float8 as run, a.duration_ms::float8 as audio
    from public.benchmark_runs r join public.benchmark_run_audio a using (run_id)
    where run_id = ${savedRunId}`;
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'realtime-bench-perf-audio-'));
  try {
    const { server, build } = await serveConsoleFor(stack.apiUrl, outDir);
    console.log(`\nconsole built in ${(build.ms / 1000).toFixed(1)} s`);
    const loads: RunPageLoad[] = [];
    const loadBefore = loadAverage();
    try {
      // One load first, not counted (warms the stack and the OS file cache); each
      // counted load gets a new browser and profile.
      for (let i = -1; i < LOADS; i++) {
        const browser = await chromium.launch({
          executablePath: chromiumPath,
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
        });
        try {
          const page = await browser.newPage();
          await page.addInitScript(probeRunPage);
          await page.goto(`${server.url}/results/${savedRunId}`, { waitUntil: 'commit' });
          const load = await withinPageTimeout(
            page.evaluate(async (): Promise<RunPageLoad> => {
              const probed = window as unknown as ProbedWindow;
              const [transcript, waveform, audio] = await Promise.all([
                probed.transcriptShown,
                probed.waveformShown,
                probed.audioMetadata,
              ]);
              return { transcript, waveform, metadata: audio.at, audioDuration: audio.duration };
            }),
          );
          if (i < 0) continue;
          loads.push(load);
          console.log(
            `  cold load ${i + 1}: transcript ${load.transcript.toFixed(0)} ms, audio loadedmetadata ${load.metadata.toFixed(0)} ms, waveform ${load.waveform.toFixed(0)} ms`,
          );
        } finally {
          await browser.close();
        }
      }
    } finally {
      await server.close();
    }
    const p = (pick: (load: RunPageLoad) => number) => {
      const values = loads.map(pick);
      return `p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
    };
    console.log(
      `\n/results/:id of that run in a cold headless Chromium, ${LOADS} loads (${os.cpus().length} cores, load average ${loadBefore} before, ${loadAverage()} after)`,
    );
    console.log(`  navigation to the transcript shown        ${p((l) => l.transcript)}`);
    console.log(`  … to the player's loadedmetadata          ${p((l) => l.metadata)}`);
    console.log(`  … to the waveform shown                   ${p((l) => l.waveform)}`);
    const audioSeconds = loads[0]?.audioDuration ?? Number.NaN;
    console.log(
      `  player's duration ${audioSeconds.toFixed(3)} s; run's duration_ms ${((stored?.run ?? 0) / 1000).toFixed(3)} s; recording's duration_ms ${((stored?.audio ?? 0) / 1000).toFixed(3)} s`,
    );
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
} finally {
  await sql.end({ timeout: 1 });
  await stack.dispose();
}
