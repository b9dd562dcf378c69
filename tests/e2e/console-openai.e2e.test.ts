import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EventLogEntry } from '@core/benchmark-run.ts';
import { formatCost } from '@core/format.ts';
import type { TokenCounts } from '@core/pricing.ts';
import { type AudioSegment, LOUDNESS_WINDOW_MS } from '@core/run-audio.ts';
import { SCENARIO_DEFAULTS } from '@core/run-constants.ts';
import { computeVoiceMetrics } from '@core/voice-metrics.ts';
import { speechWords } from '@engine/audio/offline-voice.ts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ANON_KEY } from '../../config/env.ts';
import { uploadScenario } from '../../config/scenario-files.ts';
import { makeScenarioInput, makeScenarioRun } from '../../engine/testing/benchmark-runs.ts';
import { LOOPBACK_INTERVIEWER_LINES, LOOPBACK_MS_PER_WORD } from '../support/fake-realtime.ts';
import { audioDirection, offerProblem } from '../support/fake-realtime-webrtc.ts';
import {
  LOOPBACK_SIMULATED_USER_TOKENS,
  loopbackCostUsd,
  loopbackInterviewerTokens,
} from '../support/loopback-figures.ts';
import { launchChromium } from './browser.ts';
import { type OpenAiConsole, startOpenAiConsole } from './openai-console.ts';

let browser: Browser;
let app: OpenAiConsole;

beforeAll(async () => {
  [app, browser] = await Promise.all([startOpenAiConsole(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

interface StoredRun {
  end_reason: string;
  conversation_history: Array<{ speaker: string; content: string; response_id?: string }>;
  event_log: Array<{ direction: string; event: { type: string; transport?: string } }>;
  metrics: {
    interviewer_model: string;
    simulated_user_model: string;
    responses_completed: number;
    responses_without_usage: number;
    tokens: { interviewer: TokenCounts; simulated_user: TokenCounts };
    cost_usd: string | number;
  } | null;
}

/** GETs a PostgREST path of the stack as the console does (anon key); its JSON. */
async function rest<T>(pathAndQuery: string): Promise<T> {
  const response = await fetch(`${app.apiUrl}/rest/v1/${pathAndQuery}`, {
    headers: { apikey: LOCAL_ANON_KEY, authorization: `Bearer ${LOCAL_ANON_KEY}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

/** The run as stored, read through PostgREST as the console reads it (the log by its RPC). */
async function storedRun(runId: string): Promise<StoredRun> {
  const rows = await rest<Omit<StoredRun, 'event_log'>[]>(
    `benchmark_runs?select=end_reason,conversation_history,metrics:run_metrics(*)&run_id=eq.${runId}`,
  );
  expect(rows).toHaveLength(1);
  const eventLog = await rest<StoredRun['event_log']>(`rpc/run_event_log?run_id=${runId}`);
  return { ...(rows[0] as Omit<StoredRun, 'event_log'>), event_log: eventLog };
}

/** Runs the default scenario with the OpenAI agents over `transport` until it is saved; its run id. */
async function runOpenAi(page: Page, transport: Transport): Promise<string> {
  await page.goto(`${app.webUrl}/`);
  // The functions have a key: a fresh console defaults to the OpenAI agents, over WebRTC.
  expect(await page.getByLabel('Agents').inputValue()).toBe('openai');
  expect(await page.getByLabel('Transport').inputValue()).toBe('webrtc');
  await page.getByLabel('Transport').selectOption(transport);
  await page.getByRole('button', { name: 'Start Run' }).click();
  await page.getByText('Ended by the termination cue').waitFor({ timeout: 30_000 });
  await expect
    .poll(() => page.getByTestId('run-state').innerText(), { timeout: 15_000 })
    .toBe('Saved');
  return page.locator('.run-status code').innerText();
}

/** What `countInboundAudio` keeps on the page's window. */
interface InboundAudio {
  inboundAudioPackets: number;
}

/**
 * Runs in the page before the console: keeps the number of audio RTP packets
 * the page's peer connections received (their inbound-rtp stats), as the
 * console's own peer is closed when the run ends.
 */
function countInboundAudio() {
  const Native = window.RTCPeerConnection;
  const page = window as unknown as InboundAudio;
  page.inboundAudioPackets = 0;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      const timer = setInterval(async () => {
        if (this.connectionState === 'closed') return clearInterval(timer);
        const stats = await this.getStats().catch(() => null);
        stats?.forEach((report) => {
          if (report.type === 'inbound-rtp' && report.kind === 'audio') {
            page.inboundAudioPackets = Math.max(page.inboundAudioPackets, report.packetsReceived);
          }
        });
      }, 50);
    }
  };
}

type Transport = 'webrtc' | 'websocket';
const TRANSPORTS: Transport[] = ['webrtc', 'websocket'];

describe.each(TRANSPORTS)(
  'console, OpenAI agents over %s, against the GA loopback (real stack, Chromium)',
  (transport) => {
    let page: Page;
    const pageErrors: string[] = [];
    let runId = '';

    beforeAll(async () => {
      page = await (await browser.newContext()).newPage();
      await page.addInitScript(countInboundAudio);
      page.on('pageerror', (error) => pageErrors.push(error.message));
    });

    it('runs to the termination cue and saves the run', async () => {
      const callsBefore = app.calls().length;
      runId = await runOpenAi(page, transport);
      const calls = app.calls().slice(callsBefore);
      if (transport === 'webrtc') {
        // One call, its offer as OpenAI takes it, and the voice heard on the media track.
        expect(calls).toHaveLength(1);
        expect(offerProblem(calls[0]?.offer ?? '')).toBeNull();
        // No microphone and no silent track unless an offer is refused: audio is receive-only.
        expect(audioDirection(calls[0]?.offer ?? '')).toBe('recvonly');
        const words = LOOPBACK_INTERVIEWER_LINES.join(' ').split(' ').length;
        const frames = calls[0]?.framesSent ?? 0;
        expect(frames).toBe((words * LOOPBACK_MS_PER_WORD) / 20);
        const heard = await page.evaluate(
          () => (window as unknown as InboundAudio).inboundAudioPackets,
        );
        expect(heard).toBeGreaterThan(frames / 2);
        expect(heard).toBeLessThanOrEqual(frames);
      } else {
        expect(calls).toEqual([]);
      }
      const lines = await page.locator('.transcript li').evaluateAll((items) =>
        items.map((li) => ({
          speaker: li.classList.contains('interviewer') ? 'interviewer' : 'simulated_user',
          text: li.querySelector('.content')?.textContent ?? '',
        })),
      );
      expect(lines.filter((l) => l.speaker === 'interviewer').map((l) => l.text)).toEqual([
        ...LOOPBACK_INTERVIEWER_LINES,
      ]);
      expect(lines).toHaveLength(7);
      expect(pageErrors).toEqual([]);
    });

    it('stores the loopback’s exact words, ended by its cue, priced from the usage it reported', async () => {
      const run = await storedRun(runId);
      expect(run.end_reason).toBe('termination_cue');
      expect(run.conversation_history.map((t) => t.speaker)).toEqual([
        'interviewer',
        'simulated_user',
        'interviewer',
        'simulated_user',
        'interviewer',
        'simulated_user',
        'interviewer',
      ]);
      const said = (speaker: string) =>
        run.conversation_history.filter((t) => t.speaker === speaker).map((t) => t.content);
      expect(said('interviewer')).toEqual([...LOOPBACK_INTERVIEWER_LINES]);
      // Each reply came from `simulated-user` through the loopback's Responses API, to the question before it.
      expect(said('simulated_user')).toEqual(
        LOOPBACK_INTERVIEWER_LINES.slice(0, 3).map((line) =>
          expect.stringMatching(new RegExp(`You asked: ${line.replace(/[.?]/g, '\\$&')}$`)),
        ),
      );

      // It went over the transport picked: WebSocket gets the audio as deltas, WebRTC on the media track.
      expect(run.event_log[0]?.event).toMatchObject({ type: 'run.started', transport });
      const serverEvents = new Set(
        run.event_log.filter((e) => e.direction === 'server').map((e) => e.event.type),
      );
      expect(serverEvents.has('response.output_audio.delta')).toBe(transport === 'websocket');
      expect(serverEvents.has('output_audio_buffer.stopped')).toBe(transport === 'webrtc');

      const interviewer = loopbackInterviewerTokens();
      expect(run.metrics).toMatchObject({
        // A fresh console runs the default models.
        interviewer_model: SCENARIO_DEFAULTS.interviewerModel,
        simulated_user_model: SCENARIO_DEFAULTS.simulatedUserModel,
        responses_completed: 4,
        responses_without_usage: 0,
        tokens: { interviewer, simulated_user: LOOPBACK_SIMULATED_USER_TOKENS },
      });
      // Stored to the micro-dollar.
      expect(Number(run.metrics?.cost_usd)).toBe(
        Number(loopbackCostUsd(interviewer, LOOPBACK_SIMULATED_USER_TOKENS).toFixed(6)),
      );
    });

    it('stores the interviewer’s audio as heard: each response where it plays, loud there', async () => {
      const run = await storedRun(runId);
      const [audio] = await rest<{ loudness: number[]; segments: AudioSegment[] }[]>(
        `benchmark_run_audio?select=loudness,segments&run_id=eq.${runId}`,
      );
      expect(audio).toBeDefined();
      if (!audio) return;
      const responses = run.conversation_history.flatMap((turn) =>
        turn.speaker === 'interviewer' ? [turn.response_id] : [],
      );
      expect(audio.segments.map((segment) => segment.response_id)).toEqual(responses);
      const windows = (from: number, to: number) =>
        audio.loudness.slice(
          Math.floor(from / LOUDNESS_WINDOW_MS),
          Math.ceil(to / LOUDNESS_WINDOW_MS),
        );
      for (const segment of audio.segments) {
        expect(Math.max(...windows(segment.start_ms, segment.end_ms))).toBeGreaterThan(30);
      }
    });

    it('shows the same tokens and cost on the run page', async () => {
      await page.goto(`${app.webUrl}/results/${runId}`);
      const metrics = page.getByRole('region', { name: 'Metrics' });
      await metrics.getByRole('table').waitFor();
      const interviewer = loopbackInterviewerTokens();
      const cells = await metrics
        .getByRole('row')
        .evaluateAll((rows) =>
          rows
            .slice(1)
            .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent)),
        );
      const shown = (n: number) => n.toLocaleString('en-US');
      expect(cells).toEqual([
        ['Text in', shown(interviewer.textInput), '30'],
        ['Text in, cached', shown(interviewer.textCachedInput), '0'],
        ['Text out', shown(interviewer.textOutput), '15'],
        ['Audio in', '0', '0'],
        ['Audio in, cached', '0', '0'],
        ['Audio out', shown(interviewer.audioOutput), '0'],
      ]);
      const cost = formatCost(loopbackCostUsd(interviewer, LOOPBACK_SIMULATED_USER_TOKENS));
      await metrics.getByText(cost, { exact: false }).waitFor();
      expect(await metrics.getByText('4 completed').count()).toBe(1);
      expect(pageErrors).toEqual([]);
    });
  },
);

/** What `trackAudioContexts` keeps on the page's window. */
interface AudioContexts {
  audioContexts: AudioContext[];
}

/** Runs in the page before the console: keeps every AudioContext it makes. */
function trackAudioContexts() {
  const Native = window.AudioContext;
  const page = window as unknown as AudioContexts;
  page.audioContexts = [];
  window.AudioContext = class extends Native {
    constructor(options?: AudioContextOptions) {
      super(options);
      page.audioContexts.push(this);
    }
  };
}

describe('console, OpenAI agents over WebRTC, against a loopback that refuses receive-only audio (real stack, Chromium)', () => {
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app.refuseReceiveOnlyAudio(true);
    page = await (await browser.newContext()).newPage();
    await page.addInitScript(trackAudioContexts);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  afterAll(() => app.refuseReceiveOnlyAudio(false));

  it('places the call again with a silent send track and completes the run over WebRTC', async () => {
    const offersBefore = app.offers().length;
    const callsBefore = app.calls().length;
    const runId = await runOpenAi(page, 'webrtc');

    // Two offers: receive-only audio, refused as OpenAI refuses a bad offer; then sendrecv, answered.
    const offers = app.offers().slice(offersBefore);
    expect(offers.map((o) => [o.status, audioDirection(o.offer)])).toEqual([
      [400, 'recvonly'],
      [201, 'sendrecv'],
    ]);
    expect(offerProblem(offers[1]?.offer ?? '')).toBeNull();
    const calls = app.calls().slice(callsBefore);
    expect(calls.map((c) => c.offer)).toEqual([offers[1]?.offer]);

    const run = await storedRun(runId);
    expect(run.end_reason).toBe('termination_cue');
    expect(run.event_log[0]?.event).toMatchObject({ type: 'run.started', transport: 'webrtc' });
    expect(
      run.conversation_history.filter((t) => t.speaker === 'interviewer').map((t) => t.content),
    ).toEqual([...LOOPBACK_INTERVIEWER_LINES]);

    // The Web Audio of the silent track and of the recording's tap are released with the transport.
    const states = await page.evaluate(() =>
      (window as unknown as AudioContexts).audioContexts.map((context) => context.state),
    );
    expect(states).toEqual(['closed', 'closed']);
    expect(pageErrors).toEqual([]);
  });
});

describe('the judge, from the run page, against the loopback (real stack, Chromium)', () => {
  const rubric = {
    criteria: [
      { name: 'Clarity', description: 'Asks one clear question at a time.', weight: 2 },
      { name: 'Empathy', description: 'Follows up on what the user said.', weight: 1 },
    ],
    scale: { min: 1, max: 5 },
  };

  it('judges a run whose scenario has a rubric, shows the scores and stores them', async () => {
    const run = makeScenarioRun(makeScenarioInput({ name: 'Judged from the page', rubric }));
    const saved = await fetch(`${app.apiUrl}/functions/v1/save-benchmark-run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LOCAL_ANON_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(run),
    });
    expect(saved.status).toBe(201);

    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${app.webUrl}/results/${run.run_id}`);
    await page.getByRole('button', { name: 'Judge this run' }).click();
    // The loopback's judge gives every criterion the top of the scale.
    await page.getByText('fake judge summary').waitFor({ timeout: 15_000 });
    expect(await page.getByText('Clarity', { exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: 'Judge again' }).waitFor();

    const stored = await rest<
      Array<{ status: string; overall_score: number; scores: Array<{ score: number }> }>
    >(`run_judgements?select=status,overall_score,scores&run_id=eq.${run.run_id}`);
    expect(stored).toEqual([
      expect.objectContaining({
        status: 'ok',
        overall_score: 1,
        scores: [expect.objectContaining({ score: 5 }), expect.objectContaining({ score: 5 })],
      }),
    ]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

const VOICE_SCENARIO = `name: Spoken planning (e2e, WebRTC)
interviewer:
  prompt: You are a researcher.
simulated_user:
  persona: You are Lee.
  speech: { mode: voice, voice: ash, words_per_minute: 200, turn_detection: { type: server_vad, silence_duration_ms: 300 } }
termination: { cue: that concludes our interview, turn_timeout_seconds: 20 }
`;

describe('console, OpenAI agents over WebRTC, a scenario in voice mode, against the GA loopback (real stack, Chromium)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'voice-webrtc-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says each reply on the call’s send track: the loopback hears and transcribes it, the interviewer answers, the recording keeps it on the right', async () => {
    const file = path.join(dir, 'spoken.yaml');
    writeFileSync(file, VOICE_SCENARIO);
    const uploaded = await uploadScenario(
      { functionsUrl: `${app.apiUrl}/functions/v1`, anonKey: LOCAL_ANON_KEY },
      file,
    );
    expect(['new', 'unchanged']).toContain(uploaded.outcome);

    const page = await (await browser.newContext()).newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.addInitScript(trackAudioContexts);
    await page.goto(`${app.webUrl}/?scenario=${uploaded.detail}`);
    await expect
      .poll(() => page.getByLabel('Scenario name').inputValue())
      .toBe('Spoken planning (e2e, WebRTC)');
    expect(await page.getByLabel('Agents').inputValue()).toBe('openai');
    expect(await page.getByLabel('Transport').inputValue()).toBe('webrtc');
    const offersBefore = app.offers().length;
    await page.getByRole('button', { name: 'Start Run' }).click();
    await page.getByText('Ended by the termination cue').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => page.getByTestId('run-state').innerText(), { timeout: 15_000 })
      .toBe('Saved');
    const runId = await page.locator('.run-status code').innerText();
    // The Web Audio of the send track and of the recording's tap are released with the transport.
    const states = await page.evaluate(() =>
      (window as unknown as AudioContexts).audioContexts.map((context) => context.state),
    );
    expect(states).toEqual(['closed', 'closed']);

    // One offer, sendrecv from the start: the microphone is its send track.
    const offers = app.offers().slice(offersBefore);
    expect(offers.map((o) => [o.status, audioDirection(o.offer)])).toEqual([[201, 'sendrecv']]);

    const run = await storedRun(runId);
    expect(run.end_reason).toBe('termination_cue');
    expect(run.event_log[0]?.event).toMatchObject({ type: 'run.started', transport: 'webrtc' });
    const said = (speaker: string) =>
      run.conversation_history.filter((t) => t.speaker === speaker).map((t) => t.content);
    expect(said('interviewer')).toEqual([...LOOPBACK_INTERVIEWER_LINES]);
    const replies = said('simulated_user');
    expect(replies).toHaveLength(LOOPBACK_INTERVIEWER_LINES.length - 1);

    // The audio went on the track, and the loopback's turn detection and transcription heard it there.
    const events = await rest<EventLogEntry[]>(`rpc/run_event_log?run_id=${runId}`);
    const count = (direction: string, type: string) =>
      events.filter((e) => e.direction === direction && e.event.type === type).length;
    expect(count('client', 'input_audio_buffer.append')).toBe(0);
    expect(count('client', 'response.create')).toBe(1);
    for (const type of [
      'input_audio_buffer.speech_started',
      'input_audio_buffer.speech_stopped',
      'input_audio_buffer.committed',
      'conversation.item.input_audio_transcription.completed',
    ]) {
      expect(count('server', type), type).toBe(replies.length);
    }
    const voice = computeVoiceMetrics({ event_log: events });
    expect(voice?.turns.map((turn) => [turn.said, turn.heard])).toEqual(
      replies.map((reply) => [reply, speechWords(reply).join(' ')]),
    );
    expect(voice?.wer?.rate).toBe(0);
    // Each reply answered after its speech ended, none missed.
    expect(voice?.turns.every((turn) => turn.response_id !== null)).toBe(true);
    expect(voice?.missed_end_of_turns).toBe(0);
    expect(voice?.false_end_of_turns).toBe(0);
    expect(voice?.unmatched_speech_items).toBe(0);

    // The recording is stereo: each reply loud on the right while it is said, the right silent between.
    const [audio] = await rest<{ started_at: string; user_loudness: number[] | null }[]>(
      `benchmark_run_audio?select=started_at,user_loudness&run_id=eq.${runId}`,
    );
    const right = audio?.user_loudness ?? [];
    expect(right.length).toBeGreaterThan(0);
    const origin = Date.parse(audio?.started_at ?? '');
    const windowOf = (e: EventLogEntry | undefined) =>
      Math.floor((Date.parse(e?.timestamp ?? '') - origin) / LOUDNESS_WINDOW_MS);
    const starts = events.filter((e) => e.event.type === 'user_speech.started');
    const ends = events.filter((e) => e.event.type === 'user_speech.ended');
    expect(starts).toHaveLength(replies.length);
    const speaking = new Set<number>();
    starts.forEach((start, i) => {
      const [from, to] = [windowOf(start), windowOf(ends[i])];
      expect(Math.max(...right.slice(from, to))).toBeGreaterThan(30);
      for (let w = from - 1; w <= to + 1; w++) speaking.add(w);
    });
    expect(Math.max(...right.filter((_, w) => !speaking.has(w)))).toBe(0);
    await page.goto(`${app.webUrl}/results/${runId}`);
    await page.getByText('stereo: the interviewer left, the simulated user right').waitFor();
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 150_000);
});
