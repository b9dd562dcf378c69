/**
 * `npm run perf:first-row`: what someone opening `/results` from `npm start`
 * waits for. A local stack on the `perf:results` database (seeded up to
 * --runs, default 1,000,000), the console built and served as `npm start`
 * serves it, and a cold headless Chromium (a new browser and profile per
 * sample: empty HTTP and code caches) loading `/results`. Prints the time from
 * navigation to the first row (in the DOM, and painted: the end of the frame
 * that shows it), and the JavaScript loaded before it, gzip as served.
 * Options: --runs N, --samples N (default 10), --data-dir DIR.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import postgres from 'postgres';
import { repoRoot } from '../config/env.ts';
import { startLocalStack } from '../stack/stack.ts';
import { serveConsoleFor, throwawayStackOptions } from '../stack/throwaway-stack.ts';
import { percentile } from './measure.ts';
import { seedRunsUpTo } from './seed-runs.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '10' },
    'data-dir': { type: 'string', default: path.join(repoRoot, '.bench-results-data') },
  },
});
const targetRuns = Number(values.runs);
const samples = Number(values.samples);
if (!Number.isInteger(targetRuns) || targetRuns < 1)
  throw new Error('--runs must be a whole number ≥ 1');
if (!Number.isInteger(samples) || samples < 1)
  throw new Error('--samples must be a whole number ≥ 1');
const FIRST_ROW_TARGET_MS = 500;
const JS_TARGET_BYTES = 200 * 1024;

interface FirstRow {
  /** Navigation start to the first row in the DOM. */
  inDom: number;
  /** … and to the end of the frame that shows it. */
  painted: number;
  scripts: Array<{ url: string; encoded: number; decoded: number }>;
}

/**
 * Runs in the page before its own scripts: notes when the first row of the
 * runs table appears, and which scripts had loaded by then.
 */
function probeFirstRow(): void {
  const global = window as unknown as { firstRow: Promise<FirstRow> };
  global.firstRow = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!document.querySelector('tbody tr')) return;
      observer.disconnect();
      const inDom = performance.now();
      const scripts = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter(
          (entry) => new URL(entry.name).pathname.endsWith('.js') && entry.responseEnd <= inDom,
        )
        .map((entry) => ({
          url: entry.name,
          encoded: entry.encodedBodySize,
          decoded: entry.decodedBodySize,
        }));
      requestAnimationFrame(() =>
        setTimeout(() => resolve({ inDom, painted: performance.now(), scripts })),
      );
    });
    observer.observe(document, { childList: true, subtree: true });
  });
}

const chromiumPath =
  process.env.CHROMIUM_PATH ??
  spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
if (!chromiumPath) throw new Error('needs Debian chromium: apt-get install chromium');

const stack = await startLocalStack(
  await throwawayStackOptions('first-row', { dataDir: values['data-dir'] as string }),
);
const outDir = mkdtempSync(path.join(os.tmpdir(), 'realtime-bench-first-row-'));
try {
  const sql = postgres(stack.dbUrl, { max: 1, onnotice: () => {} });
  let total: number;
  try {
    await seedRunsUpTo(sql, targetRuns);
    [{ n: total }] =
      (await sql`select count(*)::int as n from public.benchmark_runs`) as unknown as [
        { n: number },
      ];
  } finally {
    await sql.end();
  }
  const { server, build } = await serveConsoleFor(stack.apiUrl, outDir);
  console.log(`console built in ${(build.ms / 1000).toFixed(1)} s`);
  const gzipBytes = (url: string) =>
    readFileSync(path.join(outDir, `${new URL(url).pathname}.gz`)).length;

  const results: FirstRow[] = [];
  const loadBefore = loadAverage();
  try {
    // One load first, not counted: it warms the stack (PostgREST's schema cache,
    // the gateway's JWT cache) and the OS file cache of Chromium itself; each
    // counted load still gets a new browser and profile.
    for (let i = -1; i < samples; i++) {
      const browser = await chromium.launch({
        executablePath: chromiumPath,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      try {
        const page = await browser.newPage();
        await page.addInitScript(probeFirstRow);
        await page.goto(`${server.url}/results`, { waitUntil: 'commit' });
        const result = await page.evaluate(
          () => (window as unknown as { firstRow: Promise<FirstRow> }).firstRow,
        );
        if (i < 0) continue;
        results.push(result);
        const gzip = result.scripts.reduce((sum, s) => sum + gzipBytes(s.url), 0);
        console.log(
          `  cold load ${i + 1}: first row in DOM ${result.inDom.toFixed(0)} ms, painted ${result.painted.toFixed(0)} ms, ${result.scripts.length} scripts, ${kB(gzip)} gzip`,
        );
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }

  const [first] = results as [FirstRow];
  const painted = results.map((r) => r.painted);
  const p50 = percentile(painted, 50);
  const gzip = first.scripts.reduce((sum, s) => sum + gzipBytes(s.url), 0);
  const served = first.scripts.reduce((sum, s) => sum + s.encoded, 0);
  const raw = first.scripts.reduce((sum, s) => sum + s.decoded, 0);
  console.log(
    `\n/results in a cold headless Chromium, ${total.toLocaleString('en')} runs (${os.cpus().length} cores, load average ${loadBefore} before, ${loadAverage()} after)\n`,
  );
  console.log('JavaScript before the first row:');
  for (const script of [...first.scripts].sort((a, b) => b.decoded - a.decoded)) {
    console.log(
      `  ${new URL(script.url).pathname.padEnd(44)} ${kB(gzipBytes(script.url)).padStart(9)} gzip ${kB(script.decoded).padStart(9)} raw`,
    );
  }
  const ok = (pass: boolean) => (pass ? 'ok' : 'MISSED');
  console.log('\n| figure | measured | target | |');
  console.log('|---|---|---|---|');
  console.log(
    `| \`/results\` to the first row painted, cold browser, p50 of ${samples} (min–max) | ${p50.toFixed(0)} ms (${Math.min(...painted).toFixed(0)}–${Math.max(...painted).toFixed(0)}) | < ${FIRST_ROW_TARGET_MS} ms | ${ok(p50 < FIRST_ROW_TARGET_MS)} |`,
  );
  console.log(
    `| … to the first row in the DOM, p50 | ${percentile(
      results.map((r) => r.inDom),
      50,
    ).toFixed(0)} ms | — | |`,
  );
  console.log(
    `| JavaScript before the first row | ${first.scripts.length} files, ${kB(gzip)} gzip (${kB(served)} as served, ${kB(raw)} raw) | < 200 kB gzip | ${ok(gzip < JS_TARGET_BYTES)} |`,
  );
} finally {
  rmSync(outDir, { recursive: true, force: true });
  await stack.stop();
}

function kB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

/** The 1, 5 and 15 minute load averages: other work on the machine slows a cold load. */
function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' / ');
}
