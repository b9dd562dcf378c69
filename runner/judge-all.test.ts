import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { scenarioSchema } from '@core/scenario.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJudgeRunHandler } from '../supabase/functions/judge-run/handler.ts';
import { judgeAll, type RunResult } from './run-scenarios.ts';

// The real judge-run handler of a deployment without an OpenAI key, served on loopback.
const withoutKey = createJudgeRunHandler({
  openai: null,
  store: {
    load: () => Promise.reject(new Error('not reached without a key')),
    insert: () => Promise.reject(new Error('not reached without a key')),
  },
  budget: { admit: () => Promise.reject(new Error('not reached without a key')) },
});
let server: Server;
let requests = 0;
let functionsUrl = '';

beforeAll(async () => {
  server = createServer(async (req, res) => {
    requests++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const response = await withoutKey(
      new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(await response.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  functionsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/functions/v1`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const scenario = scenarioSchema.parse({
  name: 'Judged',
  interviewer: { prompt: 'Interview.' },
  simulated_user: { persona: 'You are Sam.' },
  rubric: { criteria: [{ name: 'Polite', description: 'Stays polite.' }] },
});

const saved = (index: number): RunResult => ({
  scenario: 'Judged',
  file: 'judged.yaml',
  scenarioHash: 'h',
  index,
  runId: `00000000-0000-4000-8000-00000000000${index}`,
  endReason: 'termination_cue',
  turns: 3,
  durationMs: 1000,
  error: null,
  save: 'saved',
  saveMessage: null,
  firstAudioP50Ms: null,
  firstAudioP95Ms: null,
  totalTokens: 0,
  costUsd: null,
  checks: [],
});

describe('runner --judge without an OpenAI key', () => {
  it('asks once, then reports the missing key for every run', async () => {
    const results = [1, 2, 3, 4, 5].map(saved);
    await judgeAll(results, [{ hash: 'h', scenario }], { functionsUrl, anonKey: 'anon' });
    expect(requests).toBe(1);
    expect(new Set(results.map((result) => result.judgeError)).size).toBe(1);
    expect(results[0]?.judgeError).toMatch(/OPENAI_API_KEY/);
  });
});
