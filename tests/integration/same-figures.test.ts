import { randomUUID } from 'node:crypto';
import type { BenchmarkRun, EventLogEntry } from '@core/benchmark-run.ts';
import type { EndReason } from '@core/run-constants.ts';
import { scenarioSchema } from '@core/scenario.ts';
import { type GroupFigures, groupFigures } from '@core/statistics.ts';
import { getComparison } from '@data/get-comparison.ts';
import { getDaily } from '@data/get-daily.ts';
import { getRun } from '@data/get-run.ts';
import { getRuns } from '@data/get-runs.ts';
import { judgeRun } from '@engine/judge-client.ts';
import { makeScenarioInput, makeScenarioRun } from '@engine/testing/benchmark-runs.ts';
import { describe, expect, it } from 'vitest';
import { reportJson } from '../../runner/report.ts';
import { measureRun, type RunResult } from '../../runner/run-scenarios.ts';
import recorded from '../../web/src/features/results/voice-run.fixture.json';
import { anonClient, apiUrl, LOCAL_ANON_KEY, saveRun } from '../support/stack-clients.ts';

const T0 = Date.parse('2026-11-20T10:00:00.000Z');

interface Turn {
  firstAudioMs?: number;
  usage?: Record<string, unknown>;
}

/**
 * A gpt-realtime run at T0 + `minute`: one interviewer turn per entry, its
 * first audio `firstAudioMs` after the request; `userUsage` adds a simulated
 * user reply with usage but no model, which leaves the run unpriced.
 */
function runLog(minute: number, turns: Turn[], userUsage?: Record<string, unknown>) {
  const start = T0 + minute * 60_000;
  const at = (ms: number) => new Date(start + ms).toISOString();
  const log: EventLogEntry[] = [
    {
      direction: 'system',
      timestamp: at(0),
      event: { type: 'run.started', model: 'gpt-realtime' },
    },
  ];
  turns.forEach((turn, i) => {
    const t = i * 5_000;
    const id = `resp_${i}`;
    log.push(
      { direction: 'client', timestamp: at(t), event: { type: 'response.create' } },
      {
        direction: 'server',
        timestamp: at(t + 20),
        event: { type: 'response.created', response: { id } },
      },
    );
    if (turn.firstAudioMs !== undefined) {
      log.push({
        direction: 'server',
        timestamp: at(t + turn.firstAudioMs),
        event: { type: 'output_audio_buffer.started', response_id: id },
      });
    }
    if (turn.usage) {
      log.push({
        direction: 'server',
        timestamp: at(t + 3_000),
        event: { type: 'response.done', response: { id, status: 'completed', usage: turn.usage } },
      });
    }
  });
  if (userUsage) {
    log.push({
      direction: 'system',
      timestamp: at(turns.length * 5_000),
      event: { type: 'turn.completed', speaker: 'simulated_user', usage: userUsage },
    });
  }
  return { created_at: at(0), event_log: log };
}

const audioOut = (audio: number, extra: Record<string, unknown> = {}) => ({
  output_token_details: { audio_tokens: audio, text_tokens: 0 },
  ...extra,
});

/**
 * Seven runs whose figures tell the definitions apart: run p50s 800, 900, 700,
 * 450, none, 600, 1000 (nearest-rank median 700, interpolated 750), run p95s
 * with a median of 800 (850 interpolated); costs of 64, 68, 80, 65, 4 and 64
 * micro-dollars, whose mean of 57.5 rounds half up, and one unpriced run.
 */
const SHAPES: Array<{ end: EndReason; turns: Turn[]; userUsage?: Record<string, unknown> }> = [
  { end: 'termination_cue', turns: [{ firstAudioMs: 800, usage: audioOut(1) }] },
  {
    end: 'user_ended',
    turns: [
      {
        firstAudioMs: 900,
        usage: audioOut(1, { input_token_details: { text_tokens: 1, cached_tokens: 0 } }),
      },
    ],
  },
  {
    end: 'termination_cue',
    turns: [
      { firstAudioMs: 300, usage: audioOut(1) },
      { firstAudioMs: 700, usage: { output_token_details: { text_tokens: 1 } } },
      { firstAudioMs: 1500 },
    ],
  },
  {
    end: 'termination_cue',
    turns: [
      {
        firstAudioMs: 450,
        // Three cached text tokens at $0.40/M: 1.2 micro-dollars, stored as 1.
        usage: audioOut(1, { input_token_details: { text_tokens: 3, cached_tokens: 3 } }),
      },
      { firstAudioMs: 460 },
    ],
  },
  {
    end: 'error',
    turns: [{ usage: { input_token_details: { text_tokens: 1, cached_tokens: 0 } } }],
  },
  { end: 'termination_cue', turns: [{ firstAudioMs: 600, usage: audioOut(1) }] },
  {
    end: 'termination_cue',
    turns: [{ firstAudioMs: 1000, usage: audioOut(1) }],
    userUsage: { input_tokens: 2, output_tokens: 1 },
  },
];

const figureKeys = Object.keys(groupFigures([])) as Array<keyof GroupFigures>;
const figuresOf = (row: object) =>
  Object.fromEntries(figureKeys.map((key) => [key, (row as Record<string, unknown>)[key]]));

describe('one definition of every figure', () => {
  it('gives the same figures in the runner report, /compare, /trends and the run pages', async () => {
    const input = makeScenarioInput({
      name: `Figures ${randomUUID()}`,
      checks: { ended_by: 'cue', max_time_to_first_audio_ms: 1000 },
      rubric: { criteria: [{ name: 'Polite', description: 'Thanks the caller.' }] },
    });
    const scenario = scenarioSchema.parse(input);
    const runs: BenchmarkRun[] = SHAPES.map((shape, minute) =>
      makeScenarioRun(input, {
        ...runLog(minute, shape.turns, shape.userUsage),
        end_reason: shape.end,
      }),
    );
    let scenarioHash = '';
    for (const run of runs) {
      const response = await saveRun(run);
      expect(response.status).toBe(201);
      scenarioHash = ((await response.json()) as { scenario_hash: string }).scenario_hash;
    }
    // Two runs judged (the loopback OpenAI scores every criterion at the top of the scale).
    const endpoint = { functionsUrl: `${apiUrl()}/functions/v1`, anonKey: LOCAL_ANON_KEY };
    const judged = new Map<string, number>();
    for (const run of runs.slice(0, 2)) {
      judged.set(run.run_id, (await judgeRun(endpoint, run.run_id)).overall_score as number);
    }

    // 1. The runner: each run measured from its payload, as `bench run` does, then its report.
    const results: RunResult[] = runs.map((run, i) => ({
      scenario: scenario.name,
      file: 'figures.yaml',
      scenarioHash,
      index: i + 1,
      runId: run.run_id,
      endReason: run.end_reason,
      turns: run.conversation_history.length,
      durationMs: 0,
      error: null,
      save: 'saved',
      saveMessage: null,
      ...measureRun(run, scenario),
      judgeScore: judged.get(run.run_id) ?? null,
    }));
    const report = reportJson({ results, wallMs: 1 });
    expect(report.summary).toHaveLength(1);
    const runner = report.summary[0]?.figures as GroupFigures;

    // 2. /compare: the benchmark_comparison view through PostgREST, as the page asks it.
    const client = anonClient();
    const comparison = await getComparison(client, scenario.name);
    expect(comparison).toHaveLength(1);

    // 3. The run pages: each run's stored metrics, and the group's figures made from them.
    const details = await Promise.all(runs.map((run) => getRun(client, run.run_id)));
    const stored = details.map((detail) => {
      if (!detail?.metrics) throw new Error(`run ${detail?.run_id} has no metrics`);
      return detail.metrics;
    });

    // The figures themselves, worked out by hand from the shapes above.
    expect(runner).toEqual({
      runs: 7,
      runs_with_checks: 7,
      pass_rate: 0.5714,
      median_first_audio_p50_ms: 700,
      median_first_audio_p95_ms: 800,
      mean_tokens: 2,
      mean_cost_usd: 0.000058,
      unpriced_runs: 1,
      mean_judge_score: 1,
      judged_runs: 2,
      voice_runs: 0,
      median_voice_to_voice_p50_ms: null,
      median_voice_to_voice_p95_ms: null,
      wer: null,
    });
    expect(figuresOf(comparison[0] as object)).toEqual(runner);
    expect(groupFigures(stored)).toEqual(runner);

    // Per run: what the runner reported is what the run page shows.
    expect(
      stored.map((metrics) => ({
        first_audio_p50_ms: metrics.first_audio_p50_ms,
        first_audio_p95_ms: metrics.first_audio_p95_ms,
        total_tokens: metrics.total_tokens,
        cost_usd: metrics.cost_usd,
        checks: metrics.checks,
      })),
    ).toEqual(
      report.runs.map((run) => ({
        first_audio_p50_ms: run.first_audio_p50_ms,
        first_audio_p95_ms: run.first_audio_p95_ms,
        total_tokens: run.total_tokens,
        cost_usd: run.cost_usd,
        checks: run.checks,
      })),
    );

    // /trends: the same runs are one UTC day of one model pair.
    const days = await getDaily(client, scenario.name, '2026-11-20');
    expect(days).toEqual([
      {
        day: '2026-11-20',
        interviewer_model: 'gpt-realtime',
        simulated_user_model: null,
        runs: runner.runs,
        pass_rate: runner.pass_rate,
        median_first_audio_p50_ms: runner.median_first_audio_p50_ms,
        mean_cost_usd: runner.mean_cost_usd,
        voice_runs: 0,
        median_voice_to_voice_p50_ms: null,
        wer: null,
      },
    ]);
  });

  it('gives the same voice figures in the runner report, /results, /compare, /trends and the run pages', async () => {
    const input = makeScenarioInput({ name: `Voice figures ${randomUUID()}` });
    const scenario = scenarioSchema.parse(input);
    const voiceLog = recorded.event_log as EventLogEntry[];
    const runs: BenchmarkRun[] = [
      // A: the recorded offline run as it is: 3 of 10 words lost; voice to voice 315 / 413 ms.
      makeScenarioRun(input, {
        created_at: recorded.created_at,
        conversation_history: recorded.conversation_history,
        event_log: voiceLog,
        end_reason: 'termination_cue',
      }),
      // B: its first answer heard whole, its second utterance longer, all answers 100 ms later.
      makeScenarioRun(input, {
        created_at: recorded.created_at,
        conversation_history: recorded.conversation_history,
        event_log: voiceLog.map(editedUtterance),
        end_reason: 'termination_cue',
      }),
      // C: a text run of the same scenario, version and models, on the same day.
      makeScenarioRun(input, { ...offlineTextRun(), end_reason: 'termination_cue' }),
    ];
    for (const run of runs) expect((await saveRun(run)).status).toBe(201);

    const results: RunResult[] = runs.map((run, i) => ({
      scenario: scenario.name,
      file: 'voice.yaml',
      scenarioHash: 'voice',
      index: i + 1,
      runId: run.run_id,
      endReason: run.end_reason,
      turns: run.conversation_history.length,
      durationMs: 0,
      error: null,
      save: 'saved',
      saveMessage: null,
      ...measureRun(run, scenario),
    }));
    const runner = reportJson({ results, wallMs: 1 }).summary[0]?.figures as GroupFigures;

    const client = anonClient();
    const comparison = await getComparison(client, scenario.name);
    const details = await Promise.all(runs.map((run) => getRun(client, run.run_id)));
    const stored = details.map((detail) => {
      if (!detail?.metrics) throw new Error(`run ${detail?.run_id} has no metrics`);
      return detail.metrics;
    });

    // Worked out by hand: A 315 / 413 ms, 3 of 10 words; B 415 / 513 ms, 9 of 17 words.
    expect(runner).toMatchObject({
      runs: 3,
      voice_runs: 2,
      // Nearest rank over the runs (interpolated would be 365 and 463).
      median_voice_to_voice_p50_ms: 315,
      median_voice_to_voice_p95_ms: 413,
      // 12 errors in 27 words; the mean of the runs' rates would be 0.4147.
      wer: 0.4444,
    });
    expect(comparison).toHaveLength(1);
    expect(figuresOf(comparison[0] as object)).toEqual(runner);
    expect(groupFigures(stored)).toEqual(runner);

    const voiceColumns = (row: Record<string, unknown>) => ({
      voice_to_voice_p50_ms: row.voice_to_voice_p50_ms,
      voice_to_voice_p95_ms: row.voice_to_voice_p95_ms,
      wer: row.wer,
      wer_errors: row.wer_errors,
      wer_words: row.wer_words,
      false_end_of_turns: row.false_end_of_turns,
      missed_end_of_turns: row.missed_end_of_turns,
    });
    expect(stored.map(voiceColumns)).toEqual([
      {
        voice_to_voice_p50_ms: 315,
        voice_to_voice_p95_ms: 413,
        wer: 0.3,
        wer_errors: 3,
        wer_words: 10,
        false_end_of_turns: 0,
        missed_end_of_turns: 0,
      },
      {
        voice_to_voice_p50_ms: 415,
        voice_to_voice_p95_ms: 513,
        wer: 9 / 17,
        wer_errors: 9,
        wer_words: 17,
        false_end_of_turns: 0,
        missed_end_of_turns: 0,
      },
      {
        voice_to_voice_p50_ms: null,
        voice_to_voice_p95_ms: null,
        wer: null,
        wer_errors: null,
        wer_words: null,
        false_end_of_turns: null,
        missed_end_of_turns: null,
      },
    ]);
    // The runner's per-run figures are the stored ones.
    expect(
      reportJson({ results, wallMs: 1 }).runs.map((run) => [
        run.voice_to_voice_p50_ms,
        run.voice_to_voice_p95_ms,
        run.wer,
      ]),
    ).toEqual(stored.map((row) => [row.voice_to_voice_p50_ms, row.voice_to_voice_p95_ms, row.wer]));

    // /results: the list shows each run's stored WER and voice to voice p50.
    const page = await getRuns(client, { cursor: null, filters: { scenario: scenario.name } });
    const listed = new Map(page.runs.map((run) => [run.run_id, run.metrics]));
    expect(runs.map((run) => listed.get(run.run_id))).toMatchObject(
      stored.map((row) => ({ voice_to_voice_p50_ms: row.voice_to_voice_p50_ms, wer: row.wer })),
    );

    // /trends: one UTC day of one model pair.
    const days = await getDaily(client, scenario.name, recorded.created_at.slice(0, 10));
    expect(days).toMatchObject([
      {
        runs: 3,
        voice_runs: runner.voice_runs,
        median_voice_to_voice_p50_ms: runner.median_voice_to_voice_p50_ms,
        wer: runner.wer,
      },
    ]);
  });
});

/** A text run with the recorded run's agents ("offline"), a minute after it. */
function offlineTextRun() {
  const minute = (Date.parse(recorded.created_at) - T0) / 60_000 + 1;
  const { created_at, event_log } = runLog(minute, [{ firstAudioMs: 500 }]);
  const [started, ...rest] = event_log;
  return {
    created_at,
    event_log: [
      {
        ...(started as EventLogEntry),
        event: { type: 'run.started', model: 'offline', simulated_user_model: 'offline' },
      },
      ...rest,
    ],
  };
}

/**
 * The recorded run, edited: its first utterance heard whole (0 of 4 words
 * wrong), its second said at 13 words of which the same 4 are heard (9
 * lost), and every answer's audio starting 100 ms later.
 */
function editedUtterance(entry: EventLogEntry): EventLogEntry {
  const event = entry.event as Record<string, unknown>;
  if (event.type === 'conversation.item.input_audio_transcription.completed') {
    if (event.item_id === 'item_input_1')
      return { ...entry, event: { ...event, transcript: 'it is 48 2210' } as never };
  }
  if (event.type === 'user_speech.started' && event.utterance_id === 'utterance_2') {
    return {
      ...entry,
      event: {
        ...event,
        text: 'The lamp arrived in three pieces, all of them broken beyond any repair.',
      } as never,
    };
  }
  if (
    event.type === 'output_audio_buffer.started' ||
    event.type === 'response.output_audio.delta'
  ) {
    return { ...entry, timestamp: new Date(Date.parse(entry.timestamp) + 100).toISOString() };
  }
  return entry;
}
