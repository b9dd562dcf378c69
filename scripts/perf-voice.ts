/**
 * `npm run perf:voice`: what an offline voice run costs the runner, and how
 * many it sustains at once in real time on this machine. Each run is the
 * runner's own (BenchmarkingService, the offline agents speaking and hearing:
 * the microphone's 100 ms appends, the interviewer's VAD and transcription,
 * the recording to Opus), in one process, N at once. A level is sustained
 * when no turn is missed and the p95 answer comes within the configured
 * silence + time to first audio + 300 ms: past the process's capacity, timers
 * run late, turns are missed and latencies grow.
 * Then one such run in the console, in a headless Chromium on the local
 * stack: the CPU it takes there (every Chromium process, from /proc).
 * Options: --levels 1,2,4,8,16 (runs at once), --utterances N (per run, default 4),
 * --no-browser.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { BenchmarkRun } from '@core/benchmark-run.ts';
import { scenarioSchema } from '@core/scenario.ts';
import { computeVoiceMetrics } from '@core/voice-metrics.ts';
import { recordRunAudio } from '@engine/audio/run-audio-recorder.ts';
import { BenchmarkingService } from '@engine/benchmarking-service.ts';
import { createOfflineAgents } from '@engine/offline-agents.ts';
import { benchmarkConfigFor } from '@engine/scenario-config.ts';
import { chromium } from 'playwright-core';
import { LOCAL_PUBLISHABLE_KEY } from '../config/env.ts';
import { uploadScenario } from '../config/scenario-files.ts';
import { registerOpusEncoder } from '../runner/opus-encoder.ts';
import { cpuSeconds, processName } from '../stack/process-usage.ts';
import { serveConsoleFor, startThrowawayStack } from '../stack/throwaway-stack.ts';
import { percentile } from './measure.ts';

const { values } = parseArgs({
  options: {
    levels: { type: 'string', default: '1,2,4,8,16' },
    utterances: { type: 'string', default: '4' },
    'no-browser': { type: 'boolean', default: false },
  },
});
const LEVELS = values.levels.split(',').map(Number);
const UTTERANCES = Number(values.utterances);
if (LEVELS.some((n) => !Number.isInteger(n) || n < 1) || !(UTTERANCES >= 1)) {
  throw new Error('--levels takes whole numbers of 1 or more, --utterances a whole number ≥ 1');
}

const SILENCE_MS = 500;
const FIRST_AUDIO = { min: 300, max: 900 };
const SLACK_MS = 300;
const REPLIES = [
  'Mostly a paper notebook, and a calendar on the fridge.',
  'On Sunday evening, after the kids are in bed.',
  'Shift changes, and the school sending notes late.',
  'A shared calendar would help, if it worked offline.',
];

const scenario = scenarioSchema.parse({
  name: 'Voice load',
  interviewer: { prompt: 'You are a researcher.' },
  simulated_user: {
    persona: 'You are Sam.',
    speech: {
      mode: 'voice',
      voice: 'ash',
      noise: { kind: 'pink', level_db: 30 },
      turn_detection: { type: 'server_vad', silence_duration_ms: SILENCE_MS },
    },
  },
  termination: { cue: 'that concludes our interview', turn_timeout_seconds: 30 },
  offline: {
    interviewer: Array.from({ length: UTTERANCES }, (_, i) => `Question number ${i + 1}?`),
    closing: 'Thank you. That concludes our interview.',
    simulated_user: REPLIES,
  },
});

async function voiceRun(seed: number): Promise<BenchmarkRun> {
  return new Promise((resolve, reject) => {
    const service = new BenchmarkingService({
      sink: {
        submit: async (run, audio) => {
          await audio;
          resolve(run);
          return { outcome: 'saved' };
        },
      },
      recordAudio: recordRunAudio,
    });
    const pacing = { seed, firstAudioMs: FIRST_AUDIO };
    service
      .start(
        benchmarkConfigFor(scenario, { agents: 'offline', pacing }),
        createOfflineAgents(scenario, pacing),
      )
      .catch(reject);
  });
}

registerOpusEncoder();
console.log(
  `offline voice runs, ${UTTERANCES} utterances each (${cpus().length} cores): silence ${SILENCE_MS} ms, first audio ${FIRST_AUDIO.min}-${FIRST_AUDIO.max} ms, recording to Opus`,
);
let sustained = 0;
for (const level of LEVELS) {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const runs = await Promise.all(
    Array.from({ length: level }, (_, i) => voiceRun(1000 * level + i)),
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const audioSeconds = runs.reduce(
    (sum, run) =>
      sum +
      (Date.parse(run.event_log.at(-1)?.timestamp ?? '') - Date.parse(run.created_at ?? '')) / 1000,
    0,
  );
  const metrics = runs.map((run) => computeVoiceMetrics(run));
  const latencies = metrics.flatMap((m) =>
    (m?.turns ?? []).flatMap((turn) =>
      turn.voice_to_voice_ms === null ? [] : [turn.voice_to_voice_ms],
    ),
  );
  const misheard = metrics.filter((m) => (m?.wer?.rate ?? 1) > 0).length;
  const missed = metrics.reduce((sum, m) => sum + (m?.missed_end_of_turns ?? UTTERANCES), 0);
  const unanswered = runs.filter((run) => run.end_reason !== 'termination_cue').length;
  const bound = SILENCE_MS + FIRST_AUDIO.max + SLACK_MS;
  // Misheard words are reported, not held against the level: the VAD's boundaries move a little with
  // where in the background an utterance starts, whatever the load.
  const ok = missed === 0 && unanswered === 0 && percentile(latencies, 95) <= bound;
  if (ok) sustained = level;
  console.log(
    `${String(level).padStart(3)} at once: wall ${(wallMs / 1000).toFixed(1)} s, CPU ${(cpuMs / 1000).toFixed(1)} s = ${((cpuMs / 1000 / audioSeconds) * 100).toFixed(1)}% of a core per run in real time; ` +
      `voice-to-voice p50 ${percentile(latencies, 50).toFixed(0)} ms p95 ${percentile(latencies, 95).toFixed(0)} ms (bound ${bound}); ` +
      `misheard runs ${misheard}, missed turns ${missed}, runs not ended by the cue ${unanswered} → ${ok ? 'sustained' : 'NOT sustained'}`,
  );
}
console.log(`sustained in real time: ${sustained} voice runs at once`);

/** CPU seconds used so far by every Chromium process on the machine (utime + stime). */
function chromiumCpuSeconds(): number {
  let total = 0;
  for (const pid of readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)) {
    try {
      if (processName(pid).startsWith('chrom')) total += cpuSeconds(pid);
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

if (!values['no-browser']) {
  const chromiumPath =
    process.env.CHROMIUM_PATH ??
    spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
  if (!chromiumPath) throw new Error('needs Debian chromium: apt-get install chromium');
  const stack = await startThrowawayStack('perf-voice');
  const outDir = mkdtempSync(path.join(tmpdir(), 'realtime-bench-perf-voice-'));
  try {
    const file = path.join(outDir, 'voice.yaml');
    writeFileSync(file, JSON.stringify(scenario));
    const uploaded = await uploadScenario(
      { functionsUrl: `${stack.apiUrl}/functions/v1`, anonKey: LOCAL_PUBLISHABLE_KEY },
      file,
    );
    const { server } = await serveConsoleFor(stack.apiUrl, path.join(outDir, 'dist'));
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/?scenario=${uploaded.detail}`);
      await page.getByRole('button', { name: 'Start Run' }).waitFor();
      await page.waitForTimeout(1000);
      const before = chromiumCpuSeconds();
      const started = performance.now();
      await page.getByRole('button', { name: 'Start Run' }).click();
      await page.getByText('Ended by the termination cue').waitFor({ timeout: 120_000 });
      await page.waitForFunction(
        () => document.querySelector('[data-testid="run-state"]')?.textContent === 'Saved',
        undefined,
        { timeout: 30_000 },
      );
      const wall = (performance.now() - started) / 1000;
      const cpu = chromiumCpuSeconds() - before;
      console.log(
        `\nin the console (headless Chromium, the console built as npm start serves it): one offline voice run of ${wall.toFixed(1)} s took ${cpu.toFixed(1)} s of CPU in all Chromium processes = ${((cpu / wall) * 100).toFixed(0)}% of one core (UI, VAD, transcription, recording to Opus with WebCodecs)`,
      );
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await stack.stop();
    rmSync(outDir, { recursive: true, force: true });
  }
}
