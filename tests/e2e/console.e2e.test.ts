import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseScenarioYaml } from '@core/scenario-yaml.ts';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../config/env.ts';
import { launchChromium, webUrl } from './browser.ts';

let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ acceptDownloads: true });
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
afterAll(async () => {
  await browser?.close();
});

async function rowFor(runId: string) {
  const row = page.getByRole('row').filter({ has: page.locator(`a[href="/results/${runId}"]`) });
  await row.waitFor({ timeout: 15_000 });
  return row;
}

describe('benchmark console in Chromium, offline agents, real stack', () => {
  let firstRunId = '';
  let firstRunTurns = '';

  it('runs, ends with End Run, saves, and lists the run on /results', async () => {
    await page.goto(webUrl('/'));
    await page.getByText('Offline demo agents: a scripted local interviewer').waitFor();
    await page.getByLabel('Questions before the cue').fill('6');

    await page.getByRole('button', { name: 'Start Run' }).click();
    await expect
      .poll(() => page.getByTestId('turn-count').innerText(), { timeout: 20_000 })
      .toMatch(/^[3-9]$/);
    expect(await page.getByRole('button', { name: 'End Run' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'End Run' }).click();

    await page.getByText('Ended by End Run').waitFor();
    await expect
      .poll(() => page.getByTestId('run-state').innerText(), { timeout: 15_000 })
      .toBe('Saved');
    firstRunId = await page.locator('.run-status code').innerText();
    firstRunTurns = await page.getByTestId('turn-count').innerText();

    await page.getByRole('button', { name: 'View Results' }).click();
    await page.waitForURL('**/results');
    const row = await rowFor(firstRunId);
    expect(await row.getByRole('cell').nth(3).innerText()).toBe(firstRunTurns);
    expect(await row.getByRole('cell').nth(4).innerText()).toMatch(/^Ad hoc [0-9a-f]{8}$/);
    expect(await row.getByRole('cell').nth(5).innerText()).toBe('Ended by user');
  });

  it('still lists the run after a reload', async () => {
    await page.reload();
    const row = await rowFor(firstRunId);
    expect(await row.getByRole('cell').nth(3).innerText()).toBe(firstRunTurns);
  });

  it('runs a second time to the termination cue, and lists both, newest first', async () => {
    await page.goto(webUrl('/'));
    await page.getByLabel('Questions before the cue').fill('1');
    await page.getByRole('button', { name: 'Start Run' }).click();
    await page.getByText('Ended by the termination cue').waitFor({ timeout: 20_000 });
    await expect
      .poll(() => page.getByTestId('run-state').innerText(), { timeout: 15_000 })
      .toBe('Saved');
    const secondRunId = await page.locator('.run-status code').innerText();
    expect(secondRunId).not.toBe(firstRunId);
    const lastLine = await page.locator('.transcript li').last().innerText();
    expect(lastLine).toMatch(/that concludes our interview/i);

    await page.getByRole('button', { name: 'View Results' }).click();
    const row = await rowFor(secondRunId);
    expect(await row.getByRole('cell').nth(3).innerText()).toBe('3');
    expect(await row.getByRole('cell').nth(5).innerText()).toBe('Termination cue');
    const links = await page
      .locator('tbody tr td:nth-child(2) a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links.indexOf(`/results/${secondRunId}`)).toBeLessThan(
      links.indexOf(`/results/${firstRunId}`),
    );
  });

  it('opens a run from the list, replays it and downloads both exports', async () => {
    await page.goto(webUrl('/results'));
    await page.getByLabel('Transcript contains').fill('"paper notebook"');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/q=%22paper\+notebook%22|q=%22paper%20notebook%22/);
    await (await rowFor(firstRunId)).waitFor();
    await page.locator(`a[href="/results/${firstRunId}"]`).click();
    await page.getByRole('heading', { name: `Run ${firstRunId.slice(0, 8)}` }).waitFor();
    const turns = await page
      .getByRole('list', { name: 'Transcript', exact: true })
      .getByRole('listitem')
      .count();
    expect(String(turns)).toBe(firstRunTurns);

    const replay = page.getByRole('region', { name: 'Replay' });
    await replay.getByRole('button', { name: '5x' }).click();
    await replay.getByRole('button', { name: 'Play' }).click();
    await expect
      .poll(
        () =>
          replay.getByRole('list', { name: 'Replayed transcript' }).getByRole('listitem').count(),
        {
          timeout: 15_000,
        },
      )
      .toBe(turns);

    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download JSON' }).click(),
    ]);
    expect(json.suggestedFilename()).toBe(`run-${firstRunId}.json`);
    const saved = JSON.parse(await readFile(await json.path(), 'utf8'));
    expect(saved.run_id).toBe(firstRunId);
    expect(saved.conversation_history).toHaveLength(turns);
    expect(saved.event_log.length).toBeGreaterThan(turns);

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download transcript CSV' }).click(),
    ]);
    const lines = (await readFile(await csv.path(), 'utf8')).split('\r\n');
    expect(lines[0]).toBe('turn,speaker,timestamp,offset_ms,content');
    expect(lines).toHaveLength(turns + 1);
  });

  it('opens a "Run again" link on its scenario version once, without a render loop', async () => {
    const source = await readFile(path.join(repoRoot, 'scenarios', 'support-intake.yaml'), 'utf8');
    const parsed = await parseScenarioYaml(source);
    if (!parsed.ok) throw new Error(parsed.message);
    const consoleErrors: string[] = [];
    const onConsole = (message: ConsoleMessage) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    };
    page.on('console', onConsole);
    await page.goto(webUrl(`/?scenario=${parsed.hash}`));
    await expect
      .poll(() => page.getByLabel('Scenario name').inputValue())
      .toBe(parsed.scenario.name);
    await page.waitForURL((url) => url.search === '');
    await page.getByText(`Version ${parsed.hash.slice(0, 8)} (stored)`).waitFor();
    page.off('console', onConsole);
    expect(consoleErrors).toEqual([]);
  });

  it('runs a scenario picked in the console and finds the run under that scenario and version', async () => {
    const source = await readFile(path.join(repoRoot, 'scenarios', 'support-intake.yaml'), 'utf8');
    const parsed = await parseScenarioYaml(source);
    if (!parsed.ok) throw new Error(parsed.message);
    const short = parsed.hash.slice(0, 8);

    await page.goto(webUrl('/'));
    await page.locator(`option[value="${parsed.hash}"]`).waitFor({ state: 'attached' });
    await page.getByRole('combobox', { name: /^Scenario/ }).selectOption(parsed.hash);
    expect(await page.getByLabel('Termination cue').inputValue()).toBe('that concludes our call');
    expect(await page.getByLabel('Questions before the cue').inputValue()).toBe('4');
    await page.getByText(`Version ${short} (stored)`).waitFor();

    await page.getByRole('button', { name: 'Start Run' }).click();
    await page.getByText('Ended by the termination cue').waitFor({ timeout: 20_000 });
    await expect
      .poll(() => page.getByTestId('run-state').innerText(), { timeout: 15_000 })
      .toBe('Saved');
    const runId = await page.locator('.run-status code').innerText();

    await page.getByRole('button', { name: 'View Results' }).click();
    await page.getByRole('heading', { name: 'Results' }).waitFor();
    await page
      .locator('option', { hasText: 'Customer support intake' })
      .waitFor({ state: 'attached' });
    await page.getByLabel('Scenario').selectOption('Customer support intake');
    await page.getByLabel('Version').selectOption(parsed.hash);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(new RegExp(`version=${parsed.hash}`));
    const row = await rowFor(runId);
    expect(await row.getByRole('cell').nth(4).innerText()).toBe(`Customer support intake ${short}`);
    expect(await page.locator('tbody tr').count()).toBe(1);
    // The offline demo passes the scenario's own checks, with a measured first audio.
    expect(await row.getByRole('cell').nth(6).innerText()).toBe('offline');
    const firstAudio = Number.parseInt(await row.getByRole('cell').nth(8).innerText(), 10);
    expect(firstAudio).toBeGreaterThanOrEqual(300);
    expect(firstAudio).toBeLessThan(1200);
    expect(await row.getByRole('cell').nth(9).innerText()).toBe('6/6');

    await page.locator(`a[href="/results/${runId}"]`).click();
    const scenario = page.getByRole('region', { name: 'Scenario' });
    await scenario.getByRole('link', { name: short }).waitFor();
    await scenario.getByText('Compare with another version').click();
    await scenario.getByText('This is the only version of this scenario.').waitFor();
  });

  it('kept its settings across the reload, and raised no page errors', async () => {
    await page.goto(webUrl('/'));
    // The picked scenario's offline script asks four questions.
    expect(await page.getByLabel('Questions before the cue').inputValue()).toBe('4');
    expect(pageErrors).toEqual([]);
  });
});
