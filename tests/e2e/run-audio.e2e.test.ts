import type { ConversationTurn, EventLogEntry } from '@core/benchmark-run.ts';
import type { Browser, Page } from 'playwright-core';
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

/** A read through PostgREST with the publishable key, as any visitor of the results can make. */
async function rest<T>(path: string): Promise<T> {
  const response = await fetch(`${inject('e2eApiUrl')}/rest/v1/${path}`, {
    headers: { apikey: LOCAL_ANON_KEY, authorization: `Bearer ${LOCAL_ANON_KEY}` },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface StoredRun {
  created_at: string;
  duration_ms: number;
  conversation_history: ConversationTurn[];
}
interface StoredAudio {
  duration_ms: number;
  started_at: string;
}

async function storedRun(runId: string) {
  const [run] = await rest<StoredRun[]>(
    `benchmark_runs?run_id=eq.${runId}&select=created_at,duration_ms,conversation_history`,
  );
  const audio = await rest<StoredAudio[]>(
    `benchmark_run_audio?run_id=eq.${runId}&select=duration_ms,started_at`,
  );
  const events = await rest<EventLogEntry[]>(`rpc/run_event_log?run_id=${runId}`);
  if (!run) throw new Error(`run ${runId} is not stored`);
  return { run, audio, events };
}

async function offlineRun(page: Page, questions: number): Promise<string> {
  await page.goto(webUrl('/'));
  await page.getByLabel('Questions before the cue').fill(String(questions));
  await page.getByRole('button', { name: 'Start Run' }).click();
  await page.getByText('Ended by the termination cue').waitFor({ timeout: 30_000 });
  return page.locator('.run-status code').innerText();
}

/** The player's duration once the file's metadata is loaded, in ms. */
const playerDurationMs = (page: Page) =>
  page
    .getByRole('region', { name: 'Audio' })
    .locator('audio')
    .evaluate(async (audio: HTMLAudioElement) => {
      if (audio.readyState < 1) {
        await new Promise((resolve) =>
          audio.addEventListener('loadedmetadata', resolve, { once: true }),
        );
      }
      return audio.duration * 1000;
    });

/** RMS level (dBFS) of the recording in the 200 ms after `atMs`, decoded by the browser. */
const levelAt = (page: Page, atMs: number) =>
  page
    .getByRole('region', { name: 'Audio' })
    .locator('audio')
    .evaluate(async (audio: HTMLAudioElement, at: number) => {
      const bytes = await (await fetch(audio.src)).arrayBuffer();
      const decoded = await new OfflineAudioContext(1, 1, 48_000).decodeAudioData(bytes);
      const samples = decoded.getChannelData(0);
      const from = Math.floor((at / 1000) * decoded.sampleRate);
      const to = Math.min(samples.length, from + Math.floor(0.2 * decoded.sampleRate));
      let sum = 0;
      for (let i = from; i < to; i++) sum += (samples[i] as number) ** 2;
      return 20 * Math.log10(Math.sqrt(sum / Math.max(1, to - from)) || 1e-9);
    }, atMs);

describe('the audio of a run, in Chromium, offline agents, real stack', () => {
  it('is stored; the player lasts the run, and clicking the third turn seeks to where it is heard', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const runId = await offlineRun(page, 2);
    await expect
      .poll(() => page.getByTestId('run-state').innerText(), { timeout: 15_000 })
      .toBe('Saved');

    const { run, audio, events } = await storedRun(runId);
    expect(audio).toHaveLength(1);
    const start = Date.parse(run.created_at);
    expect(Date.parse(audio[0]?.started_at as string)).toBe(start);

    await page.goto(webUrl(`/results/${runId}`));
    const duration = await playerDurationMs(page);
    expect(Math.abs(duration - run.duration_ms)).toBeLessThanOrEqual(run.duration_ms * 0.05);

    // The third turn is the interviewer's second question: it is heard from its first audio on.
    const third = run.conversation_history[2] as ConversationTurn;
    expect(third.speaker).toBe('interviewer');
    const firstAudio = events.find(
      (entry) =>
        entry.event.type === 'output_audio_buffer.started' &&
        entry.event.response_id === third.response_id,
    );
    const heardAtMs = Date.parse(firstAudio?.timestamp as string) - start;

    const transcript = page.getByRole('list', { name: 'Transcript', exact: true });
    await transcript.getByRole('listitem').nth(2).getByRole('button').click();
    const position = await page
      .getByRole('region', { name: 'Audio' })
      .locator('audio')
      .evaluate((element: HTMLAudioElement) => element.currentTime * 1000);
    expect(Math.abs(position - heardAtMs)).toBeLessThanOrEqual(200);
    await expect
      .poll(() => transcript.getByRole('listitem').nth(2).getAttribute('class'))
      .toContain('current');

    // What is there is the interviewer speaking; before its first audio it was silent.
    expect(await levelAt(page, heardAtMs + 50)).toBeGreaterThan(-30);
    expect(await levelAt(page, heardAtMs - 250)).toBeLessThan(-50);

    // Played, the page follows the audio: the replay's clock moves with it.
    await page
      .getByRole('region', { name: 'Replay' })
      .getByRole('button', { name: 'Play' })
      .click();
    await expect
      .poll(() =>
        page
          .getByRole('region', { name: 'Audio' })
          .locator('audio')
          .evaluate((element: HTMLAudioElement) => element.currentTime * 1000),
      )
      .toBeGreaterThan(position + 300);
    await page
      .getByRole('region', { name: 'Replay' })
      .getByRole('button', { name: 'Pause' })
      .click();
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
