import { describe, expect, it } from 'vitest';
import { evaluateChecks } from './run-checks.ts';

const run = {
  end_reason: 'termination_cue' as const,
  conversation_history: [
    {
      speaker: 'interviewer' as const,
      content: 'Hi! What is your Order-Number?',
      timestamp: '2026-11-20T10:00:00Z',
    },
    {
      speaker: 'simulated_user' as const,
      content: 'It is 48-2210. Calm down, please.',
      timestamp: '2026-11-20T10:00:02Z',
    },
    {
      speaker: 'interviewer' as const,
      content: 'Thanks. That concludes our call.',
      timestamp: '2026-11-20T10:00:04Z',
    },
  ],
};
const metrics = { first_audio_p95_ms: 900, cost_usd: 0.02 };

describe('evaluateChecks', () => {
  it('passes and fails each declared check with what was found', () => {
    const results = evaluateChecks(run, metrics, {
      must_mention: ['order number', 'refund'],
      must_not_mention: ['calm down'],
      ended_by: 'cue',
      max_turns: 2,
      max_time_to_first_audio_ms: 1000,
      max_cost_usd: 0.01,
    });
    expect(results).toEqual([
      { check: 'must_mention: order number', passed: true, detail: 'said' },
      { check: 'must_mention: refund', passed: false, detail: 'never said' },
      // Only the interviewer's words count: the user saying it is fine.
      { check: 'must_not_mention: calm down', passed: true, detail: 'not said' },
      { check: 'ended_by: cue', passed: true, detail: 'ended by termination_cue' },
      { check: 'max_turns: 2', passed: false, detail: '3 turns' },
      { check: 'max_time_to_first_audio_ms: 1000', passed: true, detail: 'p95 900 ms' },
      { check: 'max_cost_usd: 0.01', passed: false, detail: '$0.02' },
    ]);
  });

  it('fails latency and cost checks that cannot be measured, and has nothing to say without checks', () => {
    const unmeasured = { first_audio_p95_ms: null, cost_usd: null };
    expect(
      evaluateChecks(run, unmeasured, { max_time_to_first_audio_ms: 1, max_cost_usd: 1 }).map(
        (r) => [r.passed, r.detail],
      ),
    ).toEqual([
      [false, 'no audio measured'],
      [false, 'cost unknown (unpriced model)'],
    ]);
    expect(evaluateChecks(run, metrics, undefined)).toEqual([]);
    expect(
      evaluateChecks({ ...run, end_reason: 'user_ended' }, metrics, { ended_by: 'cue' })[0]?.passed,
    ).toBe(false);
  });
});
