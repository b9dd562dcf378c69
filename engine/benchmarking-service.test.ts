import type { BenchmarkRun } from '@core/benchmark-run.ts';
import { benchmarkRunSchema } from '@core/benchmark-run.ts';
import { type RunAudio, runAudioSchema } from '@core/run-audio.ts';
import { computeRunMetrics } from '@core/run-metrics.ts';
import { scenarioSchema } from '@core/scenario.ts';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { registerOpusEncoder } from '../runner/opus-encoder.ts';
import { RunAudioRecorder } from './audio/run-audio-recorder.ts';
import { createWebmOpusEncoder } from './audio/webm-opus-encoder.ts';
import { type BenchmarkConfig, BenchmarkingService, type RunSink } from './benchmarking-service.ts';
import { createOfflineAgents } from './offline-agents.ts';
import {
  type OfflineConnection,
  OfflineInterviewerTransport,
} from './realtime/offline-transport.ts';
import { OfflineSimulatedUser, type SimulatedUser } from './simulated-user.ts';
import { ScriptedSimulatedUser } from './testing/scripted-simulated-user.ts';
import {
  type Answer,
  type RawEvent,
  recordedResponse,
  refusal,
  ScriptedTransport,
} from './testing/scripted-transport.ts';

const config: BenchmarkConfig = {
  interviewerPrompt: 'Interview the participant. Say "That concludes our interview." at the end.',
  simulatedUserPrompt: 'You are Sam, a nurse.',
  model: 'gpt-realtime',
  voice: 'marin',
  maxTurns: 20,
  terminationCue: 'that concludes our interview',
  turnTimeoutMs: 2000,
};

function harness(
  script: Array<RawEvent[] | Answer>,
  options: { audio?: boolean; sink?: RunSink; replies?: string[] } = {},
) {
  const transport = new ScriptedTransport(script, options.audio ?? false);
  const simulatedUser = new ScriptedSimulatedUser(options.replies);
  const saved: BenchmarkRun[] = [];
  const sink: RunSink = options.sink ?? {
    submit: async (run) => {
      saved.push(run);
      return { outcome: 'saved' };
    },
  };
  const service = new BenchmarkingService({ sink, notifyIntervalMs: 0 });
  const finished = () =>
    vi.waitFor(
      () => {
        const status = service.getSnapshot().status;
        if (!['saved', 'failed'].includes(status)) throw new Error(`still ${status}`);
      },
      { timeout: 5000 },
    );
  return {
    transport,
    simulatedUser,
    service,
    saved,
    finished,
    start: (c: Partial<BenchmarkConfig> = {}) =>
      service.start({ ...config, ...c }, { transport, simulatedUser }),
  };
}

const speakers = (run: BenchmarkRun) =>
  run.conversation_history.map((t) => `${t.speaker}: ${t.content}`);

describe('BenchmarkingService', () => {
  it('alternates turns and ends on the cue, ignoring case and punctuation', async () => {
    const h = harness([
      recordedResponse(1, 'Hi! What do you use to plan your week?'),
      recordedResponse(2, 'Thanks. THAT — concludes our interview!'),
    ]);
    await h.start();
    await h.finished();
    const run = h.saved[0] as BenchmarkRun;
    expect(run.end_reason).toBe('termination_cue');
    expect(speakers(run)).toEqual([
      'interviewer: Hi! What do you use to plan your week?',
      'simulated_user: Sure.',
      'interviewer: Thanks. THAT — concludes our interview!',
    ]);
    expect(benchmarkRunSchema.safeParse(run).success).toBe(true);
    expect(h.service.getSnapshot()).toMatchObject({
      status: 'saved',
      turnCount: 3,
      endReason: 'termination_cue',
    });

    // The user message goes in as input_text, then a response is requested.
    const sentTypes = h.transport.sent.map((e) => e.type);
    expect(sentTypes).toEqual([
      'session.update',
      'response.create',
      'conversation.item.create',
      'response.create',
    ]);
    expect(h.transport.sent[2]).toMatchObject({
      item: { role: 'user', content: [{ type: 'input_text', text: 'Sure.' }] },
    });
    expect(h.transport.sent[0]).toMatchObject({
      session: {
        type: 'realtime',
        audio: { input: { turn_detection: null } },
        tools: [{ name: 'end_interview' }],
      },
    });
    expect(h.simulatedUser.requests[0]?.history).toEqual([
      expect.objectContaining({ speaker: 'interviewer' }),
    ]);
  });

  it('keeps every event verbatim, in order, with direction and time, plus its own lifecycle events', async () => {
    const script = [recordedResponse(1, 'That concludes our interview.')];
    const h = harness(script);
    await h.start();
    await h.finished();
    const log = (h.saved[0] as BenchmarkRun).event_log;
    const server = log.filter((e) => e.direction === 'server').map((e) => e.event);
    expect(server).toEqual([
      expect.objectContaining({ type: 'session.created' }),
      ...(script[0] as RawEvent[]),
    ]);
    expect(log.filter((e) => e.direction === 'client').map((e) => e.event.type)).toEqual([
      'session.update',
      'response.create',
    ]);
    expect(log.filter((e) => e.direction === 'system').map((e) => e.event.type)).toEqual([
      'run.started',
      'turn.requested',
      'cue.detected',
      'turn.completed',
      'run.ended',
    ]);
    expect(log.every((e) => !Number.isNaN(Date.parse(e.timestamp)))).toBe(true);
  });

  it('writes its own events in their stored shape, leaving out fields without a value', async () => {
    const runId = '0b5f4a52-3d1e-4c55-9a57-2f7d0f3c1e11';
    const transport = new ScriptedTransport([
      recordedResponse(1, 'First question?'),
      recordedResponse(2, 'That concludes our interview.'),
    ]);
    // A reply without model or usage (an older simulated-user function).
    const simulatedUser: SimulatedUser = {
      kind: 'openai',
      reply: async () => ({ utterance: 'Sure.' }),
    };
    const saved: BenchmarkRun[] = [];
    const service = new BenchmarkingService({
      sink: {
        submit: async (run) => {
          saved.push(run);
          return { outcome: 'saved' };
        },
      },
      notifyIntervalMs: 0,
      newRunId: () => runId,
    });
    await service.start(
      { ...config, labels: { agents: 'openai', simulated_user_model: 'gpt-4.1-mini' } },
      { transport, simulatedUser },
    );
    await vi.waitFor(() => expect(service.getSnapshot().status).toBe('saved'));
    const system = (saved[0] as BenchmarkRun).event_log
      .filter((e) => e.direction === 'system')
      .map((e) => e.event);
    expect(system).toStrictEqual([
      {
        type: 'run.started',
        run_id: runId,
        transport: 'websocket',
        simulated_user: 'openai',
        model: 'gpt-realtime',
        voice: 'marin',
        max_turns: 20,
        termination_cue: 'that concludes our interview',
        agents: 'openai',
        simulated_user_model: 'gpt-4.1-mini',
      },
      { type: 'turn.requested', speaker: 'interviewer' },
      {
        type: 'turn.completed',
        speaker: 'interviewer',
        response_id: 'resp_1',
        status: 'completed',
      },
      { type: 'turn.requested', speaker: 'simulated_user' },
      { type: 'turn.completed', speaker: 'simulated_user' },
      { type: 'turn.requested', speaker: 'interviewer' },
      { type: 'cue.detected', why: '"that concludes our interview" heard' },
      {
        type: 'turn.completed',
        speaker: 'interviewer',
        response_id: 'resp_2',
        status: 'completed',
      },
      { type: 'run.ended', end_reason: 'termination_cue', turns: 3 },
    ]);
    expect(JSON.stringify(system.at(-1))).toBe(
      '{"type":"run.ended","end_reason":"termination_cue","turns":3}',
    );
  });

  it('orders the transcript by response, not by when transcript events arrive', async () => {
    const first = recordedResponse(1, 'Hello', { withDone: false });
    const second = recordedResponse(2, 'Second question, and that concludes our interview.');
    // The final transcript of the first response arrives late, during the second one.
    second.splice(1, 0, {
      type: 'response.output_audio_transcript.done',
      event_id: 'late',
      response_id: 'resp_1',
      item_id: 'item_1',
      output_index: 0,
      content_index: 0,
      transcript: 'Hello there, what do you use today?',
    });
    const h = harness([first, second]);
    await h.start();
    await h.finished();
    expect(speakers(h.saved[0] as BenchmarkRun)).toEqual([
      'interviewer: Hello there, what do you use today?',
      'simulated_user: Sure.',
      'interviewer: Second question, and that concludes our interview.',
    ]);
  });

  it('treats incomplete and cancelled responses as distinct outcomes and keeps what was said', async () => {
    const h = harness([
      recordedResponse(1, 'A long question that was cut', {
        status: 'incomplete',
        statusDetails: { type: 'incomplete', reason: 'max_output_tokens' },
      }),
      recordedResponse(2, 'Interrupted answer', {
        status: 'cancelled',
        statusDetails: { type: 'cancelled', reason: 'client_cancelled' },
      }),
      recordedResponse(3, 'Fine. That concludes our interview.'),
    ]);
    await h.start();
    await h.finished();
    const run = h.saved[0] as BenchmarkRun;
    expect(run.end_reason).toBe('termination_cue');
    expect(run.conversation_history[0]?.content).toBe('A long question that was cut');
    expect(run.conversation_history[2]?.content).toBe('Interrupted answer');
    const outcomes = run.event_log
      .filter((e) => e.event.type === 'turn.completed' && e.event.speaker === 'interviewer')
      .map((e) => e.event.status);
    expect(outcomes).toEqual(['incomplete', 'cancelled', 'completed']);
    const replies = run.event_log.filter(
      (e) => e.event.type === 'turn.completed' && e.event.speaker === 'simulated_user',
    );
    expect(replies.map((e) => e.event.usage)).toEqual([
      { input_tokens: 50, output_tokens: 8 },
      { input_tokens: 50, output_tokens: 8 },
    ]);
  });

  it('ends with error on a failed response and still saves what was captured', async () => {
    const h = harness([
      recordedResponse(1, 'First question?'),
      recordedResponse(2, 'Half', {
        status: 'failed',
        statusDetails: {
          type: 'failed',
          error: { type: 'server_error', message: 'The server had an error.' },
        },
      }),
    ]);
    await h.start();
    await h.finished();
    const run = h.saved[0] as BenchmarkRun;
    expect(run.end_reason).toBe('error');
    expect(run.conversation_history.map((t) => t.speaker)).toEqual([
      'interviewer',
      'simulated_user',
      'interviewer',
    ]);
    expect(h.service.getSnapshot().error).toBe(
      'the interviewer response failed: The server had an error.',
    );
  });

  it.each([
    [
      { type: 'invalid_request_error', code: 'inference_rate_limit_exceeded' },
      'inference_rate_limit_exceeded',
    ],
    [{ type: 'server_error' }, 'server_error'],
  ])(
    'a failed response without a message is reported by its code, else its type (%o)',
    async (error, said) => {
      const h = harness([
        recordedResponse(1, 'Half', { status: 'failed', statusDetails: { type: 'failed', error } }),
      ]);
      await h.start();
      await h.finished();
      expect(h.saved[0]?.end_reason).toBe('error');
      expect(h.service.getSnapshot().error).toBe(`the interviewer response failed: ${said}`);
      expect(h.saved[0]?.event_log.at(-1)?.event).toMatchObject({
        type: 'run.ended',
        server_error: error,
      });
    },
  );

  it('rides out a recoverable error event', async () => {
    const first = recordedResponse(1, 'Question one?');
    first.splice(2, 0, {
      type: 'error',
      event_id: 'event_err',
      error: {
        type: 'invalid_request_error',
        code: 'invalid_value',
        message: 'Invalid value for voice.',
        param: 'session.audio.output.voice',
        event_id: null,
      },
    });
    const h = harness([first, recordedResponse(2, 'That concludes our interview.')]);
    await h.start();
    await h.finished();
    expect((h.saved[0] as BenchmarkRun).end_reason).toBe('termination_cue');
    expect((h.saved[0] as BenchmarkRun).event_log.some((e) => e.event.type === 'error')).toBe(true);
  });

  it('ends with error when the session hits its 60-minute limit', async () => {
    const h = harness([recordedResponse(1, 'Question one?'), []]);
    await h.start();
    await vi.waitFor(() =>
      expect(h.transport.sent.filter((e) => e.type === 'response.create')).toHaveLength(2),
    );
    h.transport.emit({
      type: 'error',
      event_id: 'event_exp',
      error: {
        type: 'invalid_request_error',
        code: 'session_expired',
        message: 'Your session hit the maximum duration of 60 minutes.',
        param: null,
        event_id: null,
      },
    });
    await h.finished();
    const run = h.saved[0] as BenchmarkRun;
    expect(run.end_reason).toBe('error');
    expect(run.num_turns ?? run.conversation_history.length).toBe(2);
    expect(h.service.getSnapshot().error).toBe(
      'the Realtime session reached its 60-minute limit: Your session hit the maximum duration of 60 minutes. (session_expired)',
    );
    expect(run.event_log.at(-1)?.event).toMatchObject({
      type: 'run.ended',
      server_error: { code: 'session_expired', type: 'invalid_request_error' },
    });
  });

  it('ends with error when the transport drops, keeping the turns so far', async () => {
    const h = harness([recordedResponse(1, 'Question one?'), []]);
    await h.start();
    await vi.waitFor(() => expect(h.simulatedUser.requests).toHaveLength(1));
    await vi.waitFor(() =>
      expect(h.transport.sent.filter((e) => e.type === 'response.create')).toHaveLength(2),
    );
    h.transport.drop('WebSocket closed (1006)');
    await h.finished();
    const run = h.saved[0] as BenchmarkRun;
    expect(run.end_reason).toBe('error');
    expect(run.conversation_history).toHaveLength(2);
    expect(run.event_log.at(-1)?.event).toMatchObject({
      type: 'run.ended',
      error: expect.stringContaining('1006'),
    });
  });

  it('End Run cancels the response in progress and saves as user_ended', async () => {
    const h = harness([
      [
        {
          type: 'response.created',
          event_id: 'e1',
          response: { id: 'resp_1', status: 'in_progress' },
        },
      ],
    ]);
    await h.start();
    await vi.waitFor(() => expect(h.service.getSnapshot().transcript).toHaveLength(1));
    h.service.end();
    await h.finished();
    expect(h.transport.sent.at(-1)).toEqual({
      type: 'response.cancel',
      event_id: expect.any(String),
    });
    expect(h.transport.closed).toBe(true);
    expect((h.saved[0] as BenchmarkRun).end_reason).toBe('user_ended');
  });

  it('stops at the turn limit with max_turns', async () => {
    const h = harness([
      recordedResponse(1, 'One?'),
      recordedResponse(2, 'Two?'),
      recordedResponse(3, 'Three?'),
    ]);
    await h.start({ maxTurns: 3 });
    await h.finished();
    const run = h.saved[0] as BenchmarkRun;
    expect(run.end_reason).toBe('max_turns');
    expect(run.conversation_history).toHaveLength(3);
  });

  it('ends by the cue when the interviewer calls end_interview', async () => {
    const h = harness([recordedResponse(1, 'Goodbye for now.', { functionCall: 'end_interview' })]);
    await h.start();
    await h.finished();
    expect((h.saved[0] as BenchmarkRun).end_reason).toBe('termination_cue');
  });

  it('over WebRTC, waits for the audio to stop before the next user turn', async () => {
    const h = harness(
      [
        recordedResponse(1, 'Question one?', { audio: true }),
        recordedResponse(2, 'That concludes our interview.'),
      ],
      { audio: true },
    );
    await h.start();
    await vi.waitFor(() => expect(h.service.getSnapshot().transcript[0]?.final).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.simulatedUser.requests).toHaveLength(0);
    h.transport.emit({
      type: 'output_audio_buffer.stopped',
      event_id: 'stop_1',
      response_id: 'resp_1',
    });
    await vi.waitFor(() => expect(h.simulatedUser.requests).toHaveLength(1));
    h.service.end();
    await h.finished();
  });

  it('replaces audio bytes in the log by their size', async () => {
    const h = harness([recordedResponse(1, 'That concludes our interview.', { audio: true })]);
    await h.start();
    await vi.waitFor(() => expect(h.service.getSnapshot().transcript[0]?.final).toBe(true));
    h.service.end();
    await h.finished();
    const audio = (h.saved[0] as BenchmarkRun).event_log.find(
      (e) => e.event.type === 'response.output_audio.delta',
    );
    expect(audio?.event).toMatchObject({
      delta: { omitted: 'audio', bytes: 6 },
      response_id: 'resp_1',
      item_id: 'item_1',
    });
  });

  it('ends with error when a turn takes longer than the per-turn timeout', async () => {
    const h = harness([
      [
        {
          type: 'response.created',
          event_id: 'e1',
          response: { id: 'resp_1', status: 'in_progress' },
        },
      ],
    ]);
    await h.start({ turnTimeoutMs: 100 });
    await h.finished();
    expect((h.saved[0] as BenchmarkRun).end_reason).toBe('error');
    expect(h.service.getSnapshot().error).toMatch(/did not finish its turn in time/);
  });

  it('ends with error when the interviewer cannot connect, and saves the log', async () => {
    const h = harness([]);
    vi.spyOn(h.transport, 'connect').mockRejectedValue(new Error('no OpenAI key configured'));
    await h.start();
    await h.finished();
    expect(h.saved[0]?.end_reason).toBe('error');
    expect(h.service.getSnapshot().error).toContain('no OpenAI key configured');
  });

  it('keeps working when saving fails: the status says so and the next run starts', async () => {
    const sink: RunSink = {
      submit: async () => ({ outcome: 'rejected', message: 'run_id: Invalid UUID' }),
    };
    const h = harness([recordedResponse(1, 'That concludes our interview.')], { sink });
    await h.start();
    await h.finished();
    expect(h.service.getSnapshot()).toMatchObject({
      status: 'failed',
      saveMessage: 'run_id: Invalid UUID',
    });
    const refused = h.service.getLastRun();
    expect(refused?.end_reason).toBe('termination_cue');

    const again = new ScriptedTransport([recordedResponse(1, 'That concludes our interview.')]);
    await h.service.start(config, { transport: again, simulatedUser: new ScriptedSimulatedUser() });
    await h.finished();
    expect(h.service.getSnapshot().runId).not.toBe(refused?.run_id);
    expect(h.service.getSnapshot().endReason).toBe('termination_cue');
  });

  it('runs end to end with the offline agents, ending by the cue after the configured questions', async () => {
    const saved: BenchmarkRun[] = [];
    const sink: RunSink = {
      submit: async (run) => {
        saved.push(run);
        return { outcome: 'saved' };
      },
    };
    const service = new BenchmarkingService({ sink });
    const scenario = scenarioSchema.parse({
      name: 'Offline',
      interviewer: { prompt: config.interviewerPrompt },
      simulated_user: { persona: config.simulatedUserPrompt },
      termination: { cue: config.terminationCue },
      offline: { questions: 2 },
    });
    const agents = createOfflineAgents(scenario, {
      seed: 1,
      turnMs: 20,
      firstAudioMs: { min: 15, max: 30 },
    });
    await service.start(config, agents);
    await vi.waitFor(() => expect(saved).toHaveLength(1), { timeout: 5000 });
    const run = saved[0] as BenchmarkRun;
    expect(run.end_reason).toBe('termination_cue');
    expect(run.conversation_history.map((t) => t.speaker)).toEqual([
      'interviewer',
      'simulated_user',
      'interviewer',
      'simulated_user',
      'interviewer',
    ]);
    expect(run.conversation_history.at(-1)?.content).toMatch(/that concludes our interview/i);
    expect(benchmarkRunSchema.safeParse(run).success).toBe(true);
    // Timers never fire early: every turn waited at least the shortest time to first audio.
    expect(computeRunMetrics(run).first_audio_p50_ms).toBeGreaterThanOrEqual(15);
  });
});

describe('BenchmarkingService: an error that names a client event ends the run at once', () => {
  /** Long enough that a run still waiting on its turn timer could never finish in the test. */
  const noTimeout = { turnTimeoutMs: 600_000 };

  it('gives every client event an event_id of its own', async () => {
    const h = harness([
      recordedResponse(1, 'Question one?'),
      recordedResponse(2, 'That concludes our interview.'),
    ]);
    await h.start();
    await h.finished();
    const ids = h.transport.sent.map((event) => event.event_id);
    expect(ids).toHaveLength(4);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const logged = h.saved[0]?.event_log
      .filter((entry) => entry.direction === 'client')
      .map((entry) => entry.event.event_id);
    expect(logged).toEqual(ids);
  });

  it.each([
    [
      'conversation_already_has_active_response',
      'Conversation already has an active response in progress: resp_1. Wait until the response is finished before creating a new one.',
      'invalid_request_error',
    ],
    [
      'rate_limit_exceeded',
      'Rate limit reached for gpt-realtime on tokens per min (TPM). Please try again in 1.2s.',
      'rate_limit_error',
    ],
  ])(
    'a refused response.create (%s) ends it as error with the server’s code and message',
    async (code, message, type) => {
      const h = harness([
        recordedResponse(1, 'Question one?'),
        (event) => [refusal(event, { code, message, type })],
      ]);
      await h.start(noTimeout);
      await h.finished();
      const run = h.saved[0] as BenchmarkRun;
      expect(run.end_reason).toBe('error');
      expect(run.conversation_history).toHaveLength(2);
      const refused = h.transport.sent.at(-1);
      expect(refused?.type).toBe('response.create');
      expect(run.event_log.at(-1)?.event).toEqual({
        type: 'run.ended',
        end_reason: 'error',
        error: `the Realtime server refused response.create: ${message} (${code})`,
        turns: 2,
        server_error: {
          type,
          code,
          message,
          event_id: refused?.event_id,
          event_type: 'response.create',
        },
      });
      expect(h.service.getSnapshot()).toMatchObject({ status: 'saved', endReason: 'error' });
      expect(benchmarkRunSchema.safeParse(run).success).toBe(true);
    },
  );

  it('a refused session.update (a bad voice) ends it as error instead of running without end_interview', async () => {
    const h = harness([recordedResponse(1, 'Question one?')]);
    h.transport.answerWith('session.update', (event) => [
      refusal(event, {
        code: 'invalid_value',
        message:
          "Invalid value: 'robot'. Supported values are: 'alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', and 'cedar'.",
        param: 'session.audio.output.voice',
      }),
    ]);
    await h.start({ ...noTimeout, voice: 'robot' });
    await h.finished();
    const run = h.saved[0] as BenchmarkRun;
    expect(run.end_reason).toBe('error');
    expect(h.service.getSnapshot().error).toMatch(
      /^the Realtime server refused session\.update \(the session would lack the end_interview tool\): Invalid value: 'robot'.* \(invalid_value\)$/,
    );
    expect(run.event_log.at(-1)?.event).toMatchObject({
      type: 'run.ended',
      server_error: {
        code: 'invalid_value',
        param: 'session.audio.output.voice',
        event_id: h.transport.sent[0]?.event_id,
        event_type: 'session.update',
      },
    });
  });

  it('a refused user message (conversation.item.create) ends it as error too', async () => {
    const h = harness([recordedResponse(1, 'Question one?')]);
    h.transport.answerWith('conversation.item.create', (event) => [
      refusal(event, {
        code: 'invalid_value',
        message: "Invalid 'item.content[0].text': string too long.",
        param: 'item.content[0].text',
      }),
    ]);
    await h.start(noTimeout);
    await h.finished();
    const run = h.saved[0] as BenchmarkRun;
    expect(run.end_reason).toBe('error');
    expect(run.event_log.at(-1)?.event).toMatchObject({
      type: 'run.ended',
      server_error: {
        code: 'invalid_value',
        event_id: h.transport.sent[2]?.event_id,
        event_type: 'conversation.item.create',
      },
    });
  });

  it('rides out an error naming an event it did not send', async () => {
    const first = recordedResponse(1, 'Question one?');
    first.splice(
      1,
      0,
      refusal({ event_id: 'evt_someone_else' }, { code: 'invalid_value', message: 'No.' }),
    );
    const h = harness([first, recordedResponse(2, 'That concludes our interview.')]);
    await h.start();
    await h.finished();
    expect(h.saved[0]?.end_reason).toBe('termination_cue');
  });
});

describe('BenchmarkingService: the interviewer audio', () => {
  beforeAll(() => registerOpusEncoder());

  /** Offline agents that say only their closing line: a run of one quick turn. */
  const closingOnlyAgents = () =>
    createOfflineAgents(
      scenarioSchema.parse({
        name: 'Offline',
        interviewer: { prompt: config.interviewerPrompt },
        simulated_user: { persona: config.simulatedUserPrompt },
        termination: { cue: config.terminationCue },
        offline: { questions: 0 },
      }),
      { seed: 1, turnMs: 20, firstAudioMs: { min: 5, max: 10 } },
    );

  async function recordedRun(connection: OfflineConnection) {
    const saved: Array<{ run: BenchmarkRun; audio?: RunAudio }> = [];
    const service = new BenchmarkingService({
      sink: {
        submit: async (run, audio) => {
          saved.push({ run, audio: await audio });
          return { outcome: 'saved' };
        },
      },
      recordAudio: (startedAtMs) => new RunAudioRecorder(startedAtMs, createWebmOpusEncoder()),
    });
    const transport = new OfflineInterviewerTransport({
      questions: ['How do you plan your week?', 'What gets in the way?'],
      closing: 'Thank you. That concludes our interview.',
      seed: 5,
      turnMs: 300,
      firstAudioMs: { min: 40, max: 80 },
      connection,
    });
    // A loaded machine may be slow to encode: no turn may time out for it.
    await service.start(
      { ...config, turnTimeoutMs: 30_000 },
      { transport, simulatedUser: new OfflineSimulatedUser(['Paper.', 'Meetings.'], 50) },
    );
    await vi.waitFor(() => expect(saved).toHaveLength(1), { timeout: 5000 });
    return saved[0] as { run: BenchmarkRun; audio?: RunAudio };
  }

  it.each<OfflineConnection>(['webrtc', 'websocket'])(
    'over %s, saves the run with its audio, each response heard where its first audio is logged',
    async (connection) => {
      const { run, audio } = await recordedRun(connection);
      expect(audio).toBeDefined();
      if (!audio) return;
      expect(runAudioSchema.safeParse(audio).success).toBe(true);
      expect(audio.run_id).toBe(run.run_id);
      expect(audio.started_at).toBe(run.created_at);

      const responseIds = run.conversation_history.flatMap((turn) =>
        turn.speaker === 'interviewer' ? [turn.response_id] : [],
      );
      expect(responseIds).toEqual(['resp_offline_1', 'resp_offline_2', 'resp_offline_3']);
      expect(audio.segments.map((segment) => segment.response_id)).toEqual(responseIds);

      const start = Date.parse(run.created_at as string);
      const firstAudioType =
        connection === 'webrtc' ? 'output_audio_buffer.started' : 'response.output_audio.delta';
      for (const segment of audio.segments) {
        const logged = run.event_log.find(
          (entry) =>
            entry.event.type === firstAudioType && entry.event.response_id === segment.response_id,
        );
        const loggedMs = Date.parse(logged?.timestamp as string) - start;
        expect(Math.abs(segment.start_ms - loggedMs)).toBeLessThanOrEqual(20);
        // Where a response is heard, the recording is loud.
        const window = Math.floor((segment.start_ms + 30) / 100);
        expect(audio.loudness[window]).toBeGreaterThan(30);
      }
      const ended = run.event_log.at(-1) as BenchmarkRun['event_log'][number];
      expect(audio.duration_ms).toBeGreaterThanOrEqual(Date.parse(ended.timestamp) - start - 1);
    },
  );

  it('hands the run to the sink the moment it ends, before its audio is encoded', async () => {
    const submitted: BenchmarkRun[] = [];
    let audioSettled = false;
    const service = new BenchmarkingService({
      sink: {
        submit: async (run, audio) => {
          submitted.push(run);
          void audio?.then(() => {
            audioSettled = true;
          });
          return new Promise(() => {});
        },
      },
      // An encoder that never finishes: the run must not wait for it to be kept.
      recordAudio: () => ({
        append: () => {},
        stopInterviewer: () => {},
        finish: () => new Promise(() => {}),
      }),
    });
    await service.start(config, closingOnlyAgents());
    await vi.waitFor(() => expect(submitted).toHaveLength(1), { timeout: 5000 });
    expect(submitted[0]?.end_reason).toBe('termination_cue');
    expect(audioSettled).toBe(false);
  });

  it('saves the run without audio when the recording fails', async () => {
    const saved: Array<RunAudio | undefined> = [];
    const service = new BenchmarkingService({
      sink: {
        submit: async (_run, audio) => {
          saved.push(await audio);
          return { outcome: 'saved' };
        },
      },
      recordAudio: (startedAtMs) =>
        new RunAudioRecorder(startedAtMs, Promise.reject(new Error('no encoder'))),
    });
    await service.start(config, closingOnlyAgents());
    await vi.waitFor(() => expect(service.getSnapshot().status).toBe('saved'), { timeout: 5000 });
    expect(saved).toEqual([undefined]);
  });
});
