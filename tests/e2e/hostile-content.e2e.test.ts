import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { makeRun } from '@engine/testing/benchmark-runs.ts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  LOCAL_ANON_KEY,
  LOCAL_JWT_SECRET,
  LOCAL_PUBLISHABLE_KEY,
  LOCAL_SECRET_KEY,
  LOCAL_SERVICE_ROLE_KEY,
} from '../../config/env.ts';
import { launchChromium, webUrl } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const PAYLOADS = [
  '<script>window.__pwned = "script"</script>',
  '<img src="x" onerror="window.__pwned = \'img\'">',
  '[click me](javascript:window.__pwned="link") <a href="javascript:window.__pwned=1">link</a>',
];

describe('hostile content in saved runs, rendered in Chromium', () => {
  it('shows transcripts, prompts and event payloads as text; nothing runs', async () => {
    const run = makeRun({
      interviewer_prompt: PAYLOADS.join('\n'),
      simulated_user_prompt: PAYLOADS[1],
      conversation_history: PAYLOADS.map((content, i) => ({
        speaker: i % 2 ? 'simulated_user' : 'interviewer',
        content,
        timestamp: new Date(Date.parse('2026-11-20T10:00:01Z') + i * 1000).toISOString(),
      })),
      event_log: [
        {
          direction: 'server',
          timestamp: '2026-11-20T10:00:00Z',
          event: { type: PAYLOADS[0], html: PAYLOADS[1] },
        },
      ],
    });
    const saved = await fetch(`${inject('e2eApiUrl')}/functions/v1/save-benchmark-run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LOCAL_ANON_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(run),
    });
    expect(saved.status).toBe(201);

    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(webUrl(`/results/${run.run_id}`));
    const transcript = page.getByRole('list', { name: 'Transcript', exact: true });
    await transcript.waitFor();
    expect(await transcript.innerText()).toContain('<script>window.__pwned = "script"</script>');
    expect(await transcript.innerText()).toContain('<img src="x" onerror=');
    await page.locator('summary', { hasText: 'Interviewer prompt' }).click();
    await page.locator('.event-row').first().click();
    expect(await page.locator('.raw-event').innerText()).toContain('onerror=');
    await page.waitForTimeout(300);

    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await page.locator('main script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('ships no server secret in the built console', () => {
    const dist = inject('distDir');
    const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.(js|html|css|map)$/.test(f),
    );
    expect(files.length).toBeGreaterThan(0);
    const bundle = files.map((file) => readFileSync(path.join(dist, file), 'utf8')).join('\n');
    expect(bundle).toContain(LOCAL_PUBLISHABLE_KEY);
    // Names like OPENAI_API_KEY appear in help text; the values must not.
    for (const secret of [
      LOCAL_SECRET_KEY,
      LOCAL_SERVICE_ROLE_KEY,
      LOCAL_JWT_SECRET,
      'postgres:postgres@',
    ]) {
      expect(bundle.includes(secret), `bundle contains ${secret.slice(0, 12)}…`).toBe(false);
    }
  });
});
