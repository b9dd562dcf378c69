import type { BenchmarkRun } from '@core/benchmark-run.ts';
import { scenarioSchema } from '@core/scenario.ts';
import { describe, expect, it, vi } from 'vitest';
import { pcm16ToBase64 } from './audio/pcm.ts';
import { type BenchmarkConfig, BenchmarkingService } from './benchmarking-service.ts';
import type { SimulatedUser, SimulatedUserReply, SimulatedUserRequest } from './simulated-user.ts';
import {
  type RawEvent,
  recordedResponse,
  ScriptedTransport,
} from './testing/scripted-transport.ts';
import { OfflineUserVoice } from './user-voice.ts';

const CUE = 'that concludes our interview';

/** A voice scenario whose user barges in 10 ms into the interviewer's audio, or (null) waits. */
const configFor = (interruptAfterMs: number | null): BenchmarkConfig => ({
  interviewerPrompt: 'Interview the participant.',
  simulatedUserPrompt: 'You are Sam, a nurse.',
  model: 'gpt-realtime',
  voice: 'marin',
  maxTurns: 20,
  terminationCue: CUE,
  turnTimeoutMs: 3000,
  scenario: scenarioSchema.parse({
    name: 'Barging in',
    interviewer: { prompt: 'Interview the participant.' },
    simulated_user: {
      persona: 'You are Sam, a nurse.',
      speech: {
        mode: 'voice',
        voice: 'alloy',
        ...(interruptAfterMs === null ? {} : { interrupt_after_ms: interruptAfterMs }),
      },
    },
    termination: { cue: CUE },
  }),
});

/** A simulated user whose replies come when the test says. */
class HeldSimulatedUser implements SimulatedUser {
  readonly kind = 'offline';
  readonly requests: SimulatedUserRequest[] = [];
  private readonly waiting: Array<(reply: SimulatedUserReply) => void> = [];

  reply(request: SimulatedUserRequest): Promise<SimulatedUserReply> {
    this.requests.push(request);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  answer(utterance: string): void {
    this.waiting.shift()?.({ utterance });
  }
}

/** A voice run over a scripted transport; `webrtc`: the server plays the audio. */
function bargingRun(script: RawEvent[][], webrtc: boolean, interruptAfterMs: number | null = 10) {
  const transport = new ScriptedTransport(script, webrtc);
  const simulatedUser = new HeldSimulatedUser();
  const saved: BenchmarkRun[] = [];
  const service = new BenchmarkingService({
    sink: {
      submit: async (run) => {
        saved.push(run);
        return { outcome: 'saved' };
      },
    },
    notifyIntervalMs: 0,
  });
  const userVoice = new OfflineUserVoice(7, { mode: 'voice', voice: 'alloy' });
  return {
    transport,
    simulatedUser,
    service,
    saved,
    start: () =>
      service.start(configFor(interruptAfterMs), { transport, simulatedUser, userVoice }),
    systemEvents: () =>
      service
        .getEventLog()
        .filter((entry) => entry.direction === 'system')
        .map((entry) => entry.event.type),
  };
}

/** `recordedResponse` split where the interviewer has started speaking but not yet finished. */
function splitResponse(text: string, options: { functionCall?: string } = {}) {
  const events = recordedResponse(1, text, { audio: true, ...options });
  const firstDelta = events.findIndex((e) => e.type === 'response.output_audio_transcript.delta');
  const rest = events.slice(firstDelta + 1);
  const done = rest.findIndex(
    (e) =>
      e.type === 'response.output_audio_transcript.done' || e.type === 'response.output_item.done',
  );
  return {
    started: events.slice(0, firstDelta + 1),
    said: rest.slice(0, done),
    ended: rest.slice(done),
  };
}

describe('a barge-in against the end of the interview', () => {
  it('is not said once the interviewer has said the cue and its audio is still playing', async () => {
    const { started, said, ended } = splitResponse('Thank you. That concludes our interview.');
    const h = bargingRun([started], true);
    await h.start();
    // The barge-in starts while the interviewer speaks…
    await vi.waitFor(() => expect(h.simulatedUser.requests).toHaveLength(1));
    // …which then says the cue and finishes, its audio still playing.
    h.transport.emitAll([...said, ...ended]);
    h.simulatedUser.answer('Wait, one more thing.');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.systemEvents()).not.toContain('user_speech.barge_in');
    h.transport.emit({
      type: 'output_audio_buffer.stopped',
      event_id: 'stop_1',
      response_id: 'resp_1',
    });
    await vi.waitFor(() => expect(h.saved).toHaveLength(1));
    const run = h.saved[0] as BenchmarkRun;
    expect(run.end_reason).toBe('termination_cue');
    expect(run.conversation_history.map((turn) => turn.speaker)).toEqual(['interviewer']);
  });

  it('is not said once the interviewer has called end_interview, though it still speaks', async () => {
    const { started, said, ended } = splitResponse('Goodbye for now.', {
      functionCall: 'end_interview',
    });
    const toolCall = ended.find((e) => e.type === 'response.output_item.done') as RawEvent;
    const rest = ended.filter((e) => e !== toolCall);
    const h = bargingRun([started], true);
    await h.start();
    await vi.waitFor(() => expect(h.simulatedUser.requests).toHaveLength(1));
    h.transport.emitAll([...said, toolCall]);
    h.simulatedUser.answer('Wait, one more thing.');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.systemEvents()).not.toContain('user_speech.barge_in');
    h.transport.emitAll(rest);
    h.transport.emit({
      type: 'output_audio_buffer.stopped',
      event_id: 'stop_1',
      response_id: 'resp_1',
    });
    await vi.waitFor(() => expect(h.saved).toHaveLength(1));
    const run = h.saved[0] as BenchmarkRun;
    expect(run.end_reason).toBe('termination_cue');
    expect(run.conversation_history.map((turn) => turn.speaker)).toEqual(['interviewer']);
  });
});

describe('a response talked over', () => {
  it('ends the run by the cue when it called end_interview', async () => {
    const { started } = splitResponse('Thank you for your time, goodbye.');
    const h = bargingRun([started], true);
    await h.start();
    await vi.waitFor(() => expect(h.simulatedUser.requests).toHaveLength(1));
    h.simulatedUser.answer('Wait, one more thing.');
    await vi.waitFor(() => expect(h.systemEvents()).toContain('user_speech.barge_in'));
    const cancelled = recordedResponse(1, 'Thank you for your time', {
      audio: true,
      status: 'cancelled',
      functionCall: 'end_interview',
      statusDetails: { type: 'cancelled', reason: 'turn_detected' },
    });
    h.transport.emitAll(
      cancelled.filter((e) => e.type === 'response.output_item.done' || e.type === 'response.done'),
    );
    await vi.waitFor(() => expect(h.saved).toHaveLength(1));
    const run = h.saved[0] as BenchmarkRun;
    expect(run.end_reason).toBe('termination_cue');
    expect(run.conversation_history.map((turn) => turn.speaker)).toEqual([
      'interviewer',
      'simulated_user',
    ]);
  });
});

describe('End Run during a barge-in', () => {
  it('cancels the response talked over while it is still in progress', async () => {
    const { started } = splitResponse('What is your order number and when did it arrive?');
    const h = bargingRun([started], true);
    await h.start();
    await vi.waitFor(() => expect(h.simulatedUser.requests).toHaveLength(1));
    h.simulatedUser.answer('It is 48 2210.');
    // The user talks over the interviewer, whose response the server has not ended yet.
    await vi.waitFor(() => expect(h.systemEvents()).toContain('user_speech.barge_in'));
    h.service.end();
    await vi.waitFor(() => expect(h.saved).toHaveLength(1));
    expect((h.saved[0] as BenchmarkRun).end_reason).toBe('user_ended');
    expect(h.transport.sent.map((event) => event.type)).toContain('response.cancel');
  });
});

describe('a barge-in while the user still speaks', () => {
  it('is not started: an interviewer answering too soon is talked over by the speech already going on', async () => {
    const h = bargingRun([recordedResponse(1, 'What is your order number?')], true);
    await h.start();
    await vi.waitFor(() => expect(h.simulatedUser.requests).toHaveLength(1));
    h.simulatedUser.answer(
      'It is forty eight twenty two ten, and it arrived on Tuesday in three pieces.',
    );
    await vi.waitFor(() => expect(h.systemEvents()).toContain('user_speech.started'));
    // The server takes a pause for the end of the turn and answers while the user goes on.
    const { started } = splitResponse('Thanks, and what broke?');
    h.transport.emitAll(
      started.map((event) =>
        JSON.parse(
          JSON.stringify(event).replaceAll('resp_1', 'resp_2').replaceAll('item_1', 'item_2'),
        ),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.systemEvents()).not.toContain('user_speech.ended');
    expect(h.simulatedUser.requests).toHaveLength(1);
    h.service.end();
    await vi.waitFor(() => expect(h.saved).toHaveLength(1));
  });
});

describe('over WebSocket, speech heard while the interviewer is still playing', () => {
  it('ends its turn once the client stopped the playback, as a cleared buffer does over WebRTC', async () => {
    // One word carrying 5 s of audio: done at once, it plays on at the client.
    const response = recordedResponse(1, 'Hello?', { audio: true }).map((event) =>
      event.type === 'response.output_audio.delta'
        ? { ...event, delta: pcm16ToBase64(new Int16Array(5 * 24_000)) }
        : event,
    );
    const h = bargingRun([response], false, null);
    await h.start();
    await vi.waitFor(() =>
      expect(h.transport.sent.map((event) => event.type)).toContain('response.create'),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.simulatedUser.requests).toHaveLength(0);
    // The session hears speech (the user's microphone, noise): the client stops the interviewer.
    h.transport.emit({
      type: 'input_audio_buffer.speech_started',
      event_id: 'speech_1',
      audio_start_ms: 100,
      item_id: 'item_input_1',
    });
    expect(h.transport.sent.map((event) => event.type)).toContain('conversation.item.truncate');
    // Nothing is playing any more: the user's turn does not wait out the 5 s.
    await vi.waitFor(() => expect(h.simulatedUser.requests).toHaveLength(1), { timeout: 1000 });
    h.service.end();
    await vi.waitFor(() => expect(h.saved).toHaveLength(1));
  });
});
