import { randomUUID } from 'node:crypto';
import type { BenchmarkRun } from '@core/benchmark-run.ts';
import { makeScenarioInput, makeScenarioRun } from '@engine/testing/benchmark-runs.ts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_ANON_KEY } from '../../config/env.ts';
import { launchChromium, webUrl } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Midnight (UTC, as /trends counts days) that began today: runs are placed on whole days before it. */
const today = Math.floor(Date.now() / DAY) * DAY;

/** A run `daysAgo` days before today at `hour` UTC by `model`, first audio after `audioMs`, passing its check or not. */
function run(
  name: string,
  daysAgo: number,
  hour: number,
  model: string,
  audioMs: number,
  passes: boolean,
) {
  const start = today - daysAgo * DAY + hour * HOUR;
  const at = (ms: number) => new Date(start + ms).toISOString();
  return makeScenarioRun(makeScenarioInput({ name, checks: { ended_by: 'cue' } }), {
    created_at: at(0),
    end_reason: passes ? 'termination_cue' : 'user_ended',
    event_log: [
      { direction: 'system', timestamp: at(0), event: { type: 'run.started', model } },
      { direction: 'client', timestamp: at(0), event: { type: 'response.create' } },
      {
        direction: 'server',
        timestamp: at(10),
        event: { type: 'response.created', response: { id: 'r1' } },
      },
      {
        direction: 'server',
        timestamp: at(audioMs),
        event: { type: 'output_audio_buffer.started', response_id: 'r1' },
      },
      {
        direction: 'server',
        timestamp: at(1500),
        event: {
          type: 'response.done',
          response: {
            id: 'r1',
            status: 'completed',
            usage: { output_token_details: { audio_tokens: 500 } },
          },
        },
      },
    ],
  });
}

async function save(runs: BenchmarkRun[]) {
  for (const body of runs) {
    const response = await fetch(`${inject('e2eApiUrl')}/functions/v1/save-benchmark-run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LOCAL_ANON_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
  }
}

describe('comparison and trends in Chromium, real stack', () => {
  it('compares two models, charts their weeks, flags the regression and opens a day of runs', async () => {
    const name = `Trends ${randomUUID().slice(0, 8)}`;
    // gpt-realtime: two runs a day for 20 days, the first 30 good, the last 10 failing their check.
    // gpt-realtime-mini: faster and steady, at noon every other day. Every charted day holds at
    // least two runs, so whichever day the pointer lands on lists two to compare, at any hour.
    await save([
      ...Array.from({ length: 40 }, (_, i) =>
        run(name, 20 - Math.floor(i / 2), i % 2 === 0 ? 6 : 18, 'gpt-realtime', 800, i < 30),
      ),
      ...Array.from({ length: 10 }, (_, i) =>
        run(name, 20 - i * 2, 12, 'gpt-realtime-mini', 300, true),
      ),
    ]);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(webUrl(`/compare?scenario=${encodeURIComponent(name)}`));
    const rows = page.locator('table.comparison tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    expect(await rows.nth(0).innerText()).toMatch(/gpt-realtime-mini.*10.*100% of 10.*300 ms/s);
    expect(await rows.nth(1).innerText()).toMatch(/gpt-realtime\b.*40.*75% of 40.*800 ms/s);

    await page.getByRole('link', { name: 'Trends', exact: true }).click();
    await page.getByRole('heading', { name: 'Trends' }).waitFor();
    await page.getByLabel('Scenario').selectOption(name);
    await page
      .getByText(
        /Regression in pass rate for gpt-realtime \+ no model: passed 0% of the last 10 runs vs 100% of 30 before/,
      )
      .waitFor({ timeout: 15_000 });
    const charts = page.locator('figure.chart');
    await expect.poll(() => charts.count()).toBe(4);
    // Two model lines in every chart.
    await expect.poll(() => charts.first().locator('.recharts-line').count()).toBe(2);

    const plot = charts.first().locator('.recharts-wrapper');
    await plot.hover({ position: { x: 200, y: 100 } });
    await charts
      .first()
      .locator('.recharts-tooltip-wrapper')
      .getByText(/\d{4}-\d{2}-\d{2}/)
      .waitFor();
    await plot.click({ position: { x: 200, y: 100 } });
    // The day under the pointer, both ends of the range: the runs of that day.
    await page.waitForURL(/\/results\?from=(\d{4}-\d{2}-\d{2})&to=\1&scenario=Trends\+/);
    await page.locator('tbody tr').first().waitFor();

    // From the runs of that day to two of them side by side.
    await page
      .getByRole('checkbox', { name: /^Compare run / })
      .nth(0)
      .check();
    await page
      .getByRole('checkbox', { name: /^Compare run / })
      .nth(1)
      .check();
    await page.getByRole('link', { name: 'Compare selected (2/4)' }).click();
    await page.getByRole('heading', { name: 'Compare runs' }).waitFor();
    const facts = page.locator('.side-by-side table').first();
    await expect.poll(() => facts.locator('thead th').count(), { timeout: 10_000 }).toBe(3);
    expect(await facts.getByRole('row', { name: /^Scenario/ }).innerText()).toContain(name);
    await page.getByRole('heading', { name: 'Transcripts by turn' }).waitFor();
    expect(await page.locator('.transcripts-by-turn tbody tr').count()).toBe(3);
    expect(errors).toEqual([]);
    await page.close();
  });
});
