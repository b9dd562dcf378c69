import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TokenCounts } from '@core/pricing.ts';
import { SCENARIO_DEFAULTS } from '@core/run-constants.ts';
import { scenarioSchema } from '@core/scenario.ts';
import { scenarioToYaml } from '@core/scenario-yaml.ts';
import { fetchClientSecret } from '@engine/realtime/client-secret.ts';
import { makeScenarioInput } from '@engine/testing/benchmark-runs.ts';
import { afterAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { LOCAL_ANON_KEY } from '../../config/env.ts';
import { benchCli } from '../support/bench-cli.ts';
import { LOOPBACK_INTERVIEWER_LINES, refuseResponseCreate } from '../support/fake-realtime.ts';
import {
  LOOPBACK_SIMULATED_USER_TOKENS,
  loopbackCostUsd,
  loopbackInterviewerTokens,
} from '../support/loopback-figures.ts';
import { adminSql, apiUrl } from '../support/stack-clients.ts';

const sql = adminSql();
const workDir = mkdtempSync(path.join(tmpdir(), 'bench-openai-'));
afterAll(async () => {
  await sql.end({ timeout: 1 });
  rmSync(workDir, { recursive: true, force: true });
});

const endpoint = () => ({ functionsUrl: `${apiUrl()}/functions/v1`, anonKey: LOCAL_ANON_KEY });

describe('realtime-session hands out the Realtime URLs of OPENAI_BASE_URL', () => {
  it('the WebSocket and WebRTC URLs are the loopback’s, not OpenAI’s', async () => {
    const base = inject('openaiBaseUrl');
    const secret = await fetchClientSecret(endpoint(), {
      model: 'gpt-realtime-mini',
      voice: 'cedar',
      instructions: 'Interview the user.',
    });
    expect(secret).toMatchObject({
      realtime_url: `${base.replace(/^http/, 'ws')}/realtime?model=gpt-realtime-mini`,
      calls_url: `${base}/realtime/calls`,
    });
  });
});

/** The HTTP status the loopback answers a Realtime WebSocket upgrade with (101: accepted). */
function upgradeStatus(url: string, protocols: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols);
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', reject);
  });
}

describe('the loopback authenticates Realtime WebSockets like OpenAI', () => {
  it('takes only a key it minted, for the model in the URL, with the realtime subprotocol', async () => {
    const secret = await fetchClientSecret(endpoint(), {
      model: 'gpt-realtime',
      voice: 'marin',
      instructions: 'Interview the user.',
    });
    const key = `openai-insecure-api-key.${secret.value}`;
    expect(await upgradeStatus(secret.realtime_url, ['realtime', key])).toBe(101);
    expect(
      await upgradeStatus(secret.realtime_url, ['realtime', 'openai-insecure-api-key.ek_other']),
    ).toBe(401);
    expect(await upgradeStatus(secret.realtime_url, [key])).toBe(400);
    expect(
      await upgradeStatus(secret.realtime_url.replace('gpt-realtime', 'gpt-realtime-mini'), [
        'realtime',
        key,
      ]),
    ).toBe(400);
  });
});

describe('npm run bench -- run --agents openai (the GA loopback over WebSocket, real stack)', () => {
  it('stores the run with the loopback’s words, ended by its cue, priced from the usage it reported', async () => {
    const name = `OpenAI loopback ${path.basename(workDir)}`;
    const scenario = scenarioSchema.parse(
      makeScenarioInput({
        name,
        termination: { cue: 'that concludes our interview', max_turns: 20 },
      }),
    );
    const file = path.join(workDir, 'openai.yaml');
    writeFileSync(file, scenarioToYaml(scenario));

    const result = await benchCli(['run', file, '--agents', 'openai', '--json'], {
      BENCH_OUTBOX_DIR: path.join(workDir, 'outbox'),
    });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      runs: Array<{ run_id: string; end_reason: string; save: string }>;
    };
    expect(report.runs).toEqual([
      expect.objectContaining({ end_reason: 'termination_cue', save: 'saved' }),
    ]);
    const runId = report.runs[0]?.run_id ?? '';

    const [stored] = await sql<
      { end_reason: string; conversation_history: Array<{ speaker: string; content: string }> }[]
    >`select end_reason, conversation_history from public.benchmark_runs where run_id = ${runId}`;
    expect(stored?.end_reason).toBe('termination_cue');
    const said = (speaker: string) =>
      stored?.conversation_history.filter((t) => t.speaker === speaker).map((t) => t.content);
    // Every line of the scripted interviewer, word for word, and nothing after the cue.
    expect(said('interviewer')).toEqual([...LOOPBACK_INTERVIEWER_LINES]);
    // The simulated user (the loopback's Responses API) answered each question in between.
    expect(stored?.conversation_history.map((t) => t.speaker)).toEqual([
      'interviewer',
      'simulated_user',
      'interviewer',
      'simulated_user',
      'interviewer',
      'simulated_user',
      'interviewer',
    ]);

    // The runner recorded the voice of the deltas: each response where it is heard, loud there.
    const [audio] = await sql<
      { loudness: number[]; segments: Array<{ start_ms: number; end_ms: number }> }[]
    >`
      select loudness, segments from public.benchmark_run_audio where run_id = ${runId}`;
    expect(audio?.segments).toHaveLength(LOOPBACK_INTERVIEWER_LINES.length);
    for (const segment of audio?.segments ?? []) {
      const heard = audio?.loudness.slice(
        Math.floor(segment.start_ms / 100),
        Math.ceil(segment.end_ms / 100),
      );
      expect(Math.max(...(heard ?? [0]))).toBeGreaterThan(30);
    }

    const [metrics] = await sql<
      {
        interviewer_model: string;
        responses_completed: number;
        responses_without_usage: number;
        tokens: { interviewer: TokenCounts; simulated_user: TokenCounts };
        cost_usd: string;
      }[]
    >`select interviewer_model, responses_completed, responses_without_usage, tokens, cost_usd
      from public.run_metrics where run_id = ${runId}`;
    const interviewer = loopbackInterviewerTokens();
    const user = LOOPBACK_SIMULATED_USER_TOKENS;
    expect(metrics).toMatchObject({
      interviewer_model: SCENARIO_DEFAULTS.interviewerModel,
      responses_completed: 4,
      responses_without_usage: 0,
      tokens: { interviewer, simulated_user: user },
    });
    const expected = loopbackCostUsd(interviewer, user);
    expect(Number(metrics?.cost_usd)).toBeCloseTo(expected, 6);
  });
});

describe('npm run bench -- run --agents openai, when the server refuses a response.create', () => {
  it('ends the run at once as error, storing the server’s code and message and the refused event', async () => {
    const message =
      'Conversation already has an active response in progress. Wait until the response is finished before creating a new one.';
    const base = makeScenarioInput({ name: `OpenAI refusal ${path.basename(workDir)}` });
    const scenario = scenarioSchema.parse({
      ...base,
      interviewer: {
        ...base.interviewer,
        prompt: `${base.interviewer.prompt}\n${refuseResponseCreate(1, 'conversation_already_has_active_response', message)}`,
      },
      // A run that waited for its turn to time out would outlast the test (6 × 600 s: within the session limit).
      termination: {
        cue: 'that concludes our interview',
        max_turns: 6,
        turn_timeout_seconds: 600,
      },
    });
    const file = path.join(workDir, 'refused.yaml');
    writeFileSync(file, scenarioToYaml(scenario));

    const result = await benchCli(['run', file, '--agents', 'openai', '--json'], {
      BENCH_OUTBOX_DIR: path.join(workDir, 'outbox-refused'),
    });
    // An errored run fails the batch, and it is saved all the same.
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as {
      runs: Array<{ run_id: string; end_reason: string; save: string; error: string }>;
    };
    expect(report.runs).toEqual([
      expect.objectContaining({
        end_reason: 'error',
        save: 'saved',
        error: `the Realtime server refused response.create: ${message} (conversation_already_has_active_response)`,
      }),
    ]);

    const runId = report.runs[0]?.run_id ?? '';
    const [stored] = await sql<
      {
        end_reason: string;
        duration_ms: number | string;
        conversation_history: Array<{ speaker: string; content: string }>;
        event_log: Array<{ direction: string; event: Record<string, unknown> }>;
      }[]
    >`select end_reason, duration_ms, conversation_history, event_log
      from public.benchmark_runs where run_id = ${runId}`;
    expect(stored?.end_reason).toBe('error');
    expect(stored?.conversation_history.map((t) => t.speaker)).toEqual([
      'interviewer',
      'simulated_user',
    ]);
    const refused = stored?.event_log.filter(
      (e) => e.direction === 'client' && e.event.type === 'response.create',
    )[1]?.event;
    expect(refused?.event_id).toEqual(expect.any(String));
    expect(stored?.event_log.at(-1)?.event).toEqual({
      type: 'run.ended',
      end_reason: 'error',
      error: expect.stringContaining(message),
      turns: 2,
      server_error: {
        type: 'invalid_request_error',
        code: 'conversation_already_has_active_response',
        message,
        event_id: refused?.event_id,
        event_type: 'response.create',
      },
    });
    // Ended by the refusal itself, not by a turn timer: well inside one turn timeout.
    expect(Number(stored?.duration_ms)).toBeLessThan(5000);
  });
});

describe('npm run bench -- run --agents openai, with a scenario that could outlast the session', () => {
  it('refuses it up front, exit code 2, naming the fields and what would fit', async () => {
    const scenario = scenarioSchema.parse(
      makeScenarioInput({
        name: `OpenAI too long ${path.basename(workDir)}`,
        termination: { max_turns: 120, turn_timeout_seconds: 60 },
      }),
    );
    const file = path.join(workDir, 'too-long.yaml');
    writeFileSync(file, scenarioToYaml(scenario));
    const result = await benchCli(['run', file, '--agents', 'openai', '--json'], {
      BENCH_OUTBOX_DIR: path.join(workDir, 'outbox-too-long'),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${file}: termination.max_turns × termination.turn_timeout_seconds (120 × 60 s) allows a run of up to 120 min, past the Realtime API's 60-minute session limit: lower termination.max_turns to 60 or termination.turn_timeout_seconds to 30`,
    );
    const [{ count } = { count: -1 }] = await sql<{ count: number }[]>`
      select count(*)::int as count from public.benchmark_scenarios where name = ${scenario.name}`;
    expect(count).toBe(0);
  });
});
