/**
 * `npm run perf:service`: how fast BenchmarkingService records events, and
 * how much memory a 5,000-event run holds. A scripted transport replays GA
 * event sequences as fast as the service takes them (no pacing, no network).
 * Options: --events N (default 5000), --repeat N (default 5).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { BenchmarkRun } from '@core/benchmark-run.ts';
import { BenchmarkingService } from '@engine/benchmarking-service.ts';
import { ScriptedSimulatedUser } from '@engine/testing/scripted-simulated-user.ts';
import {
  type RawEvent,
  recordedResponse,
  ScriptedTransport,
} from '@engine/testing/scripted-transport.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '5000' },
    repeat: { type: 'string', default: '5' },
  },
});
const targetEvents = Number(values.events);
const repeat = Number(values.repeat);

/** Responses of ~60 words with audio: about 130 events each, like a spoken turn. */
function script(): RawEvent[][] {
  const sentence = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
  const perResponse = recordedResponse(0, sentence, { audio: true }).length;
  const responses = Math.ceil(targetEvents / (perResponse + 4));
  return Array.from({ length: responses }, (_, i) =>
    recordedResponse(
      i + 1,
      i === responses - 1 ? `${sentence} that concludes our interview` : sentence,
      { audio: true },
    ),
  );
}

async function oneRun(): Promise<{ run: BenchmarkRun; ms: number }> {
  let saved: BenchmarkRun | undefined;
  const service = new BenchmarkingService({
    sink: {
      submit: async (run) => {
        saved = run;
        return { outcome: 'saved' };
      },
    },
  });
  const transport = new ScriptedTransport(script());
  const started = performance.now();
  await service.start(
    {
      interviewerPrompt: 'Interview.',
      simulatedUserPrompt: 'Persona.',
      model: 'bench',
      voice: 'marin',
      maxTurns: 10_000,
      terminationCue: 'that concludes our interview',
      turnTimeoutMs: 60_000,
    },
    { transport, simulatedUser: new ScriptedSimulatedUser() },
  );
  while (!saved) await new Promise((resolve) => setImmediate(resolve));
  return { run: saved, ms: performance.now() - started };
}

const gc = (globalThis as { gc?: () => void }).gc;
const rates: number[] = [];
let events = 0;
for (let i = 0; i < repeat; i++) {
  const { run, ms } = await oneRun();
  events = run.event_log.length;
  rates.push(events / (ms / 1000));
}

gc?.();
const before = process.memoryUsage().heapUsed;
const kept = await oneRun();
gc?.();
const after = process.memoryUsage().heapUsed;
const json = JSON.stringify(kept.run);

rates.sort((a, b) => a - b);
console.log('BenchmarkingService recording figures (this machine)');
console.log(`  events per run                        ${events}`);
console.log(
  `  events recorded per second, median    ${Math.round(rates[Math.floor(rates.length / 2)] ?? 0).toLocaleString('en')}`,
);
console.log(
  `  events recorded per second, slowest   ${Math.round(rates[0] ?? 0).toLocaleString('en')}`,
);
console.log(
  `  heap held by one ${kept.run.event_log.length}-event run   ${((after - before) / 1024 / 1024).toFixed(1)} MiB${gc ? '' : ' (run with --expose-gc for a settled figure)'}`,
);
console.log(
  `  saved payload size                    ${(json.length / 1024 / 1024).toFixed(2)} MiB`,
);
