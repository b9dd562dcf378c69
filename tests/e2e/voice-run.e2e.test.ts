import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EventLogEntry } from '@core/benchmark-run.ts';
import { computeVoiceMetrics } from '@core/voice-metrics.ts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_ANON_KEY } from '../../config/env.ts';
import { uploadScenario } from '../../config/scenario-files.ts';
import { launchChromium, webUrl } from './browser.ts';

let browser: Browser;
const dir = mkdtempSync(path.join(tmpdir(), 'voice-e2e-'));
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const SCENARIO = `name: Spoken intake (e2e)
interviewer:
  prompt: You are a support agent.
simulated_user:
  persona: You are Lee.
  speech: { mode: voice, voice: ash, words_per_minute: 200, turn_detection: { type: server_vad, silence_duration_ms: 300 } }
termination: { cue: that concludes our call, turn_timeout_seconds: 15 }
offline:
  interviewer: [What is your order number?, What broke?]
  closing: Thank you. That concludes our call.
  simulated_user: [It is 48 2210., The lamp arrived in three pieces.]
`;

/** Runs `scenario` in the console's offline agents to its end; its id, event log and the page. */
async function runInConsole(scenario: string, fileName: string) {
  const file = path.join(dir, fileName);
  writeFileSync(file, scenario);
  const apiUrl = inject('e2eApiUrl');
  const uploaded = await uploadScenario(
    { functionsUrl: `${apiUrl}/functions/v1`, anonKey: LOCAL_ANON_KEY },
    file,
  );
  expect(['new', 'unchanged']).toContain(uploaded.outcome);

  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(webUrl(`/?scenario=${uploaded.detail}`));
  await expect
    .poll(() => page.getByLabel('Scenario name').inputValue())
    .toBe(/^name: (.*)$/m.exec(scenario)?.[1]);
  await page.getByRole('button', { name: 'Start Run' }).click();
  await page.getByText('Ended by the termination cue').waitFor({ timeout: 30_000 });
  await expect
    .poll(() => page.getByTestId('run-state').innerText(), { timeout: 15_000 })
    .toBe('Saved');
  const runId = await page.locator('.run-status code').innerText();

  const response = await fetch(`${apiUrl}/rest/v1/rpc/run_event_log?run_id=${runId}`, {
    headers: { apikey: LOCAL_ANON_KEY, authorization: `Bearer ${LOCAL_ANON_KEY}` },
  });
  const events = (await response.json()) as EventLogEntry[];
  return { apiUrl, page, pageErrors, runId, events };
}

describe('a voice run in Chromium, offline agents, real stack', () => {
  it('speaks the replies into the interviewer, which hears them with its VAD (WebAssembly in the browser) and transcribes them', async () => {
    const { apiUrl, page, pageErrors, runId, events } = await runInConsole(SCENARIO, 'spoken.yaml');
    const voice = computeVoiceMetrics({ event_log: events });
    expect(voice?.turns.map((turn) => [turn.said, turn.heard])).toEqual([
      ['It is 48 2210.', 'it is 48 2210'],
      ['The lamp arrived in three pieces.', 'the lamp arrived in three pieces'],
    ]);
    expect(voice?.wer?.rate).toBe(0);
    expect(voice?.missed_end_of_turns).toBe(0);

    // The recording is stereo: the user's microphone is kept with the interviewer's voice.
    const audio = await fetch(
      `${apiUrl}/rest/v1/benchmark_run_audio?select=loudness,user_loudness&run_id=eq.${runId}`,
      { headers: { apikey: LOCAL_ANON_KEY, authorization: `Bearer ${LOCAL_ANON_KEY}` } },
    );
    const [levels] = (await audio.json()) as {
      loudness: number[];
      user_loudness: number[] | null;
    }[];
    expect(Math.max(...(levels?.user_loudness ?? [0]))).toBeGreaterThan(30);
    expect(Math.max(...(levels?.loudness ?? [0]))).toBeGreaterThan(30);
    await page.goto(webUrl(`/results/${runId}`));
    await page.getByText('stereo: the interviewer left, the simulated user right').waitFor();
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('barges in: the user talks over each question, which stops, and is still heard word for word', async () => {
    // At once into each question's audio; the turn limit leaves the closing line to be heard out.
    const barging = SCENARIO.replace('Spoken intake (e2e)', 'Barging intake (e2e)')
      .replace('words_per_minute: 200,', 'words_per_minute: 200, interrupt_after_ms: 0,')
      .replace('turn_timeout_seconds: 15', 'turn_timeout_seconds: 15, max_turns: 5');
    const { page, pageErrors, events } = await runInConsole(barging, 'barging.yaml');
    const voice = computeVoiceMetrics({ event_log: events });
    expect(voice?.barge_ins.map((bargeIn) => [bargeIn.response_id, bargeIn.handled])).toEqual([
      ['resp_offline_1', true],
      ['resp_offline_2', true],
    ]);
    expect(voice?.turns.map((turn) => turn.heard)).toEqual([
      'it is 48 2210',
      'the lamp arrived in three pieces',
    ]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
