import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, webUrl } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const SAVE = '**/functions/v1/save-benchmark-run';

describe('a run finished while the save function is unreachable', () => {
  it('is kept in the browser across reloads and a closed tab, and saved on the next visit', async () => {
    const context = await browser.newContext();
    // The function is down: every save fails at the network level.
    await context.route(SAVE, (route) => route.abort('connectionrefused'));

    const page = await context.newPage();
    await page.goto(webUrl('/'));
    await page.getByLabel('Questions before the cue').fill('1');
    await page.getByRole('button', { name: 'Start Run' }).click();
    await page.getByText('Ended by the termination cue').waitFor({ timeout: 20_000 });
    const runId = await page.locator('.run-status code').innerText();
    const unsaved = page.getByRole('region', { name: 'Unsaved runs' });
    await unsaved.getByText(runId).waitFor();
    await unsaved.getByText(/network error/).waitFor({ timeout: 10_000 });

    // Reload while it is still pending: it is still there.
    await page.reload();
    await page.getByRole('region', { name: 'Unsaved runs' }).getByText(runId).waitFor();
    // Close the tab with the run pending.
    await page.close();

    // The function is back; the next visit delivers it.
    await context.unroute(SAVE);
    const next = await context.newPage();
    await next.goto(webUrl('/results'));
    // Saved in the background right after load; the list on screen refreshes itself.
    await next.locator(`a[href="/results/${runId}"]`).waitFor({ timeout: 30_000 });
    await next.goto(webUrl('/'));
    await next.getByRole('button', { name: 'Start Run' }).waitFor();
    expect(await next.getByRole('region', { name: 'Unsaved runs' }).count()).toBe(0);
    await context.close();
  });
});

const SAVE_AUDIO = '**/functions/v1/save-run-audio';

describe('a run whose audio cannot be saved yet', () => {
  it('is listed as saved while its audio waits in the browser, across a reload, and the run is sent once', async () => {
    const context = await browser.newContext();
    const runPosts: string[] = [];
    context.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/save-benchmark-run')) {
        runPosts.push(request.url());
      }
    });
    await context.route(SAVE_AUDIO, (route) => route.abort('connectionrefused'));

    const page = await context.newPage();
    await page.goto(webUrl('/'));
    await page.getByLabel('Questions before the cue').fill('1');
    await page.getByRole('button', { name: 'Start Run' }).click();
    await page.getByText('Ended by the termination cue').waitFor({ timeout: 20_000 });
    const runId = await page.locator('.run-status code').innerText();
    const unsaved = page.getByRole('region', { name: 'Unsaved runs' });
    await unsaved.getByText('saved; its audio is not yet').waitFor({ timeout: 10_000 });
    await unsaved.getByText(/network error/).waitFor({ timeout: 10_000 });
    expect(await unsaved.getByRole('button', { name: 'Download audio' }).count()).toBe(1);

    // The run is listed already; its page says it has no audio (yet).
    await page.goto(webUrl(`/results/${runId}`));
    await page.getByText('This run has no audio').waitFor();

    // Reload: the audio is still waiting; the function comes back and it is delivered.
    await page.goto(webUrl('/'));
    await page.getByRole('region', { name: 'Unsaved runs' }).getByText(runId).waitFor();
    await page.close();
    await context.unroute(SAVE_AUDIO);
    const next = await context.newPage();
    await next.goto(webUrl('/'));
    await next.getByRole('button', { name: 'Start Run' }).waitFor();
    await expect
      .poll(() => next.getByRole('region', { name: 'Unsaved runs' }).count(), { timeout: 30_000 })
      .toBe(0);
    await next.goto(webUrl(`/results/${runId}`));
    await next.getByRole('region', { name: 'Audio' }).locator('audio').waitFor();
    expect(runPosts).toHaveLength(1);
    await context.close();
  });
});
