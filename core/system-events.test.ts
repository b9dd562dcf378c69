import { describe, expect, expectTypeOf, it } from 'vitest';
import { readSystemEvent, type SystemEvent } from './system-events.ts';

describe('system events', () => {
  it('are typed: a field a system event does not have is a type error, on writing and reading', () => {
    const write = (event: SystemEvent) => event;
    // @ts-expect-error run.ended has `end_reason`, not `reason`
    write({ type: 'run.ended', reason: 'max_turns', turns: 2 });
    // @ts-expect-error a simulated user's turn.completed has `usage`, not `tokens`
    write({ type: 'turn.completed', speaker: 'simulated_user', tokens: {} });

    const read = readSystemEvent({ type: 'run.started', model: 'gpt-realtime' });
    if (read?.type !== 'run.started') throw new Error('run.started not read');
    expectTypeOf(read.model).toEqualTypeOf<string | undefined>();
    expectTypeOf(read.simulated_user_model).toEqualTypeOf<string | undefined>();
    // @ts-expect-error run.started has no `interviewer_model` (it is `model`)
    expect(read.interviewer_model).toBeUndefined();

    const turn = readSystemEvent({ type: 'turn.completed', speaker: 'simulated_user' });
    if (turn?.type !== 'turn.completed' || turn.speaker !== 'simulated_user') throw new Error();
    expectTypeOf(turn.model).toEqualTypeOf<string | undefined>();
    expectTypeOf(turn.usage).toEqualTypeOf<unknown>();
    // @ts-expect-error an interviewer's turn has the response id, a simulated user's does not
    expect(turn.response_id).toBeUndefined();
  });

  it('reads back what the run wrote', () => {
    const written: SystemEvent[] = [
      {
        type: 'run.started',
        run_id: '0b5f4a52-3d1e-4c55-9a57-2f7d0f3c1e11',
        transport: 'webrtc',
        simulated_user: 'openai',
        model: 'gpt-realtime',
        voice: 'marin',
        max_turns: 12,
        termination_cue: 'goodbye',
        agents: 'openai',
        simulated_user_model: 'gpt-4.1-mini',
      },
      { type: 'turn.requested', speaker: 'interviewer' },
      { type: 'turn.completed', speaker: 'interviewer', response_id: 'resp_1', status: 'failed' },
      {
        type: 'turn.completed',
        speaker: 'simulated_user',
        model: 'gpt-4.1-mini',
        usage: { input_tokens: 3, output_tokens: 1 },
      },
      { type: 'cue.detected', why: 'end_interview tool called' },
      {
        type: 'user_speech.started',
        utterance_id: 'u2',
        audio_start_ms: 8420,
        text: 'It is 48-2210.',
      },
      { type: 'user_speech.barge_in', utterance_id: 'u2', response_id: 'resp_1' },
      { type: 'user_speech.ended', utterance_id: 'u2', audio_end_ms: 9710.5 },
      { type: 'run.ended', end_reason: 'error', error: 'timed out', turns: 3 },
      {
        type: 'run.ended',
        end_reason: 'error',
        error:
          'the Realtime server refused response.create: Rate limit reached. (rate_limit_exceeded)',
        turns: 2,
        server_error: {
          type: 'rate_limit_error',
          code: 'rate_limit_exceeded',
          message: 'Rate limit reached.',
          event_id: 'evt_client_4',
          event_type: 'response.create',
        },
      },
    ];
    for (const event of written) {
      const stored = JSON.parse(JSON.stringify(event));
      expect(readSystemEvent(stored)).toEqual(event);
    }
  });

  it('leaves out a stored field of the wrong type, keeps the rest, and ignores other types', () => {
    expect(
      readSystemEvent({
        type: 'run.started',
        model: 42,
        simulated_user_model: 'gpt-4.1-mini',
        offline_seed: 7,
      }),
    ).toEqual({ type: 'run.started', simulated_user_model: 'gpt-4.1-mini' });
    expect(readSystemEvent({ type: 'turn.completed', speaker: 'nobody', model: null })).toEqual({
      type: 'turn.completed',
    });
    expect(
      readSystemEvent({ type: 'user_speech.ended', utterance_id: 'u1', audio_end_ms: -5 }),
    ).toEqual({ type: 'user_speech.ended', utterance_id: 'u1' });
    expect(readSystemEvent({ type: 'response.done' })).toBeNull();
    expect(readSystemEvent({ type: 'constructor' })).toBeNull();
  });
});
