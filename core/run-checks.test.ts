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
    const results = evaluateChecks(
      run,
      metrics,
      {
        must_mention: ['order number', 'refund'],
        must_not_mention: ['calm down'],
        ended_by: 'cue',
        max_turns: 2,
        max_time_to_first_audio_ms: 1000,
        max_cost_usd: 0.01,
      },
      null,
    );
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
      evaluateChecks(run, unmeasured, { max_time_to_first_audio_ms: 1, max_cost_usd: 1 }, null).map(
        (r) => [r.passed, r.detail],
      ),
    ).toEqual([
      [false, 'no audio measured'],
      [false, 'cost unknown (unpriced model)'],
    ]);
    expect(evaluateChecks(run, metrics, undefined, null)).toEqual([]);
    expect(
      evaluateChecks({ ...run, end_reason: 'user_ended' }, metrics, { ended_by: 'cue' }, null)[0]
        ?.passed,
    ).toBe(false);
  });

  const voice = {
    voice_to_voice_p95_ms: 1300,
    wer: { substitutions: 1, deletions: 1, insertions: 0, reference_words: 16, rate: 2 / 16 },
    false_end_of_turns: 1,
    missed_end_of_turns: 0,
  };

  it('bounds the voice figures of a voice run: p95 latency, run WER, false and missed ends of turn', () => {
    expect(
      evaluateChecks(
        run,
        metrics,
        { max_voice_to_voice_ms: 1200, max_wer: 0.125, max_false_turns: 0, max_missed_turns: 0 },
        voice,
      ),
    ).toEqual([
      { check: 'max_voice_to_voice_ms: 1200', passed: false, detail: 'p95 1300 ms' },
      { check: 'max_wer: 0.125', passed: true, detail: 'WER 0.125' },
      { check: 'max_false_turns: 0', passed: false, detail: '1 false end of turn' },
      { check: 'max_missed_turns: 0', passed: true, detail: '0 missed ends of turn' },
    ]);
  });

  it('fails voice checks on a run without user speech, or without the figure, saying why', () => {
    const checks = { max_voice_to_voice_ms: 2000, max_wer: 1, max_false_turns: 5 };
    expect(evaluateChecks(run, metrics, checks, null)).toEqual([
      { check: 'max_voice_to_voice_ms: 2000', passed: false, detail: NOT_VOICE },
      { check: 'max_wer: 1', passed: false, detail: NOT_VOICE },
      { check: 'max_false_turns: 5', passed: false, detail: NOT_VOICE },
    ]);
    const unmeasured = { ...voice, voice_to_voice_p95_ms: null, wer: null };
    expect(
      evaluateChecks(run, metrics, checks, unmeasured).map((r) => [r.passed, r.detail]),
    ).toEqual([
      [false, 'no answered utterance'],
      [false, 'no transcription of the user to score'],
      [true, '1 false end of turn'],
    ]);
    // Declared voice checks only: the others have nothing to say about a text run.
    expect(evaluateChecks(run, metrics, { max_turns: 5 }, null)).toHaveLength(1);
  });
});

const NOT_VOICE = 'not a voice run: no simulated-user speech in the log';
