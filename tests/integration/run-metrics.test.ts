import { randomUUID } from 'node:crypto';
import type { EventLogEntry } from '@core/benchmark-run.ts';
import { PRICING } from '@core/pricing.ts';
import { makeRun, makeScenarioInput, makeScenarioRun } from '@engine/testing/benchmark-runs.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { backfillMetrics } from '../../runner/backfill-metrics.ts';
import { adminSql, anonClient, saveRun } from '../support/stack-clients.ts';

const sql = adminSql();
afterAll(() => sql.end({ timeout: 1 }));

const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

/** A two-turn gpt-realtime log: first audio 400 ms and 600 ms after each request. */
function realtimeLog(): EventLogEntry[] {
  const turn = (start: number, id: string, audio: number): EventLogEntry[] => [
    { direction: 'client', timestamp: at(start), event: { type: 'response.create' } },
    {
      direction: 'server',
      timestamp: at(start + 50),
      event: { type: 'response.created', response: { id } },
    },
    {
      direction: 'server',
      timestamp: at(start + audio),
      event: { type: 'output_audio_buffer.started', response_id: id },
    },
    {
      direction: 'server',
      timestamp: at(start + 900),
      event: {
        type: 'response.done',
        response: {
          id,
          status: 'completed',
          usage: {
            input_token_details: { text_tokens: 500, audio_tokens: 0, cached_tokens: 0 },
            output_token_details: { text_tokens: 10, audio_tokens: 100 },
          },
        },
      },
    },
  ];
  return [
    {
      direction: 'system',
      timestamp: at(0),
      event: { type: 'run.started', model: 'gpt-realtime', simulated_user_model: 'gpt-4.1-mini' },
    },
    ...turn(0, 'resp_1', 400),
    ...turn(2000, 'resp_2', 600),
  ];
}

async function metricsOf(runId: string) {
  const { data, error } = await anonClient()
    .from('run_metrics')
    .select('*')
    .eq('run_id', runId)
    .maybeSingle();
  if (error) throw new Error(error.message);
  return data;
}

describe('run metrics on the real stack', () => {
  it('are computed when a run is saved, with its scenario checks, and readable by anon', async () => {
    const scenario = makeScenarioInput({
      name: `Metrics ${randomUUID()}`,
      checks: {
        must_mention: ['plan your week'],
        ended_by: 'cue',
        max_time_to_first_audio_ms: 500,
      },
    });
    const run = makeScenarioRun(scenario, { event_log: realtimeLog() });
    const response = await saveRun(run);
    expect(response.status).toBe(201);
    const saved = (await response.json()) as { scenario_hash: string; created_at: string };

    const metrics = await metricsOf(run.run_id);
    // Copied from the run, so comparisons read run_metrics alone.
    expect(metrics?.scenario_hash).toBe(saved.scenario_hash);
    expect(Date.parse(metrics?.created_at ?? '')).toBe(Date.parse(saved.created_at));
    expect(metrics).toMatchObject({
      interviewer_model: 'gpt-realtime',
      interviewer_turns: 2,
      first_audio_p50_ms: 400,
      first_audio_p95_ms: 600,
      responses_completed: 2,
      total_tokens: 1220,
      pricing_version: PRICING.version,
      checks_passed: 2,
      checks_total: 3,
    });
    // 1000 text in × $4 + 20 text out × $16 + 200 audio out × $64, per 1M tokens.
    expect(Number(metrics?.cost_usd)).toBeCloseTo(0.01712, 6);
    expect(metrics?.checks).toEqual([
      { check: 'must_mention: plan your week', passed: true, detail: 'said' },
      { check: 'ended_by: cue', passed: true, detail: 'ended by termination_cue' },
      { check: 'max_time_to_first_audio_ms: 500', passed: false, detail: 'p95 600 ms' },
    ]);

    // A retried save keeps the one row.
    expect((await saveRun(run)).status).toBe(200);
    const [count] =
      await sql`select count(*)::int as n from public.run_metrics where run_id = ${run.run_id}`;
    expect(count?.n).toBe(1);
  });

  it('are refused to anon for writing', async () => {
    const { error } = await anonClient()
      .from('run_metrics')
      .insert({
        run_id: randomUUID(),
        metrics_version: 1,
        interviewer_turns: 0,
        tokens: {},
        total_tokens: 0,
        pricing_version: 'x',
      } as never);
    expect(error?.code).toBe('42501');
  });

  it('are backfilled for runs saved before metrics existed, once', async () => {
    const run = makeRun({ event_log: realtimeLog() });
    await sql.begin(async (tx) => {
      await tx`set local role service_role`;
      await tx`insert into public.benchmark_runs
        (run_id, mode, conversation_history, event_log, interviewer_prompt, simulated_user_prompt, end_reason)
        values (${run.run_id}, 'benchmark', ${sql.json(run.conversation_history as never)},
                ${sql.json(run.event_log as never)}, 'i', 'p', 'user_ended')`;
    });
    expect(await metricsOf(run.run_id)).toBeNull();

    const first = await backfillMetrics(sql, { batchSize: 7 });
    expect(first.computed).toBeGreaterThanOrEqual(1);
    const computed = await metricsOf(run.run_id);
    expect(computed).toMatchObject({ first_audio_p50_ms: 400, checks_total: 0 });
    // Runs that have current metrics are left alone (other tests may add runs meanwhile).
    await backfillMetrics(sql);
    expect((await metricsOf(run.run_id))?.computed_at).toBe(computed?.computed_at);
  });
});
