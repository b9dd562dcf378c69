import type { RunDetail } from '@data/get-run.ts';

/** A saved run as PostgREST returns it from the detail query. */
export function savedRun(overrides: Partial<RunDetail> = {}): RunDetail {
  const at = (ms: number) => new Date(Date.parse('2026-11-20T10:00:00Z') + ms).toISOString();
  return {
    run_id: '11111111-2222-4333-8444-555555555555',
    created_at: '2026-11-20T10:00:00+00:00',
    mode: 'benchmark',
    end_reason: 'termination_cue',
    num_turns: 3,
    duration_ms: 4_200,
    interviewer_prompt: 'You are a researcher.\nAsk one question at a time.',
    simulated_user_prompt: 'You are Sam, a nurse.',
    scenario_hash: null,
    scenario: null,
    metrics: null,
    conversation_history: [
      { speaker: 'interviewer', content: 'Hi! How do you plan your week?', timestamp: at(1_000) },
      {
        speaker: 'simulated_user',
        content: 'With a notebook, "mostly", and a calendar.',
        timestamp: at(2_500),
      },
      {
        speaker: 'interviewer',
        content: 'Thanks, that concludes our interview.',
        timestamp: at(4_000),
      },
    ],
    event_log: [
      {
        direction: 'system',
        timestamp: at(0),
        event: { type: 'run.started', model: 'gpt-realtime' },
      },
      {
        direction: 'client',
        timestamp: at(10),
        event: { type: 'session.update', session: { type: 'realtime' } },
      },
      { direction: 'client', timestamp: at(20), event: { type: 'response.create' } },
      {
        direction: 'server',
        timestamp: at(900),
        event: {
          type: 'response.output_audio.delta',
          response_id: 'resp_1',
          delta: { omitted: 'audio', bytes: 960 },
        },
      },
      {
        direction: 'server',
        timestamp: at(1_000),
        event: {
          type: 'response.done',
          response: { id: 'resp_1', status: 'completed', usage: { total_tokens: 42 } },
        },
      },
      {
        direction: 'system',
        timestamp: at(4_200),
        event: { type: 'run.ended', end_reason: 'termination_cue' },
      },
    ],
    ...overrides,
  };
}
