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
