import type { BenchmarkRun } from '@core/benchmark-run.ts';
import { type RunAudio, runAudioSchema } from '@core/run-audio.ts';
import { scenarioSchema } from '@core/scenario.ts';
import { computeVoiceMetrics } from '@core/voice-metrics.ts';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { registerOpusEncoder } from '../runner/opus-encoder.ts';
import { recordRunAudio } from './audio/run-audio-recorder.ts';
import { BenchmarkingService } from './benchmarking-service.ts';
import { INPUT_CHUNK_MS } from './input-audio-stream.ts';
import { createOfflineAgents } from './offline-agents.ts';
import { offlineScriptFor } from './offline-script.ts';
import {
  type OfflineConnection,
  OfflineInterviewerTransport,
} from './realtime/offline-transport.ts';
import { benchmarkConfigFor } from './scenario-config.ts';
import { OfflineSimulatedUser } from './simulated-user.ts';

const SILENCE_MS = 300;
const FIRST_AUDIO = { min: 100, max: 200 };

function voiceScenario(
  noise?: { kind: 'white' | 'pink'; level_db: number },
  extra: { interrupt_after_ms?: number; max_turns?: number; interrupt_response?: boolean } = {},
) {
  return scenarioSchema.parse({
    name: 'Spoken intake',
    interviewer: { prompt: 'You are a support agent.' },
    simulated_user: {
      persona: 'You are Lee.',
      speech: {
        mode: 'voice',
        voice: 'ash',
        words_per_minute: 200,
        ...(noise ? { noise } : {}),
        turn_detection: {
          type: 'server_vad',
          silence_duration_ms: SILENCE_MS,
          ...(extra.interrupt_response !== undefined
            ? { interrupt_response: extra.interrupt_response }
            : {}),
        },
        ...(extra.interrupt_after_ms !== undefined
          ? { interrupt_after_ms: extra.interrupt_after_ms }
          : {}),
      },
    },
    // A turn the interviewer never hears ends the run in 8 s rather than the default minute.
    termination: {
      cue: 'that concludes our call',
      turn_timeout_seconds: 8,
      ...(extra.max_turns ? { max_turns: extra.max_turns } : {}),
    },
    offline: {
      interviewer: ['What is your order number?', 'What broke?'],
      closing: 'Thank you. That concludes our call.',
      simulated_user: ['It is 48 2210.', 'The lamp arrived in three pieces.'],
    },
  });
}

/** An offline voice run, in real time: the user's replies are spoken and heard by the interviewer's VAD. */
async function voiceRun(
  scenario: ReturnType<typeof voiceScenario>,
  recordings: Array<RunAudio | undefined> = [],
  {
    turnMs = 400,
    connection,
    replyDelayMs,
  }: { turnMs?: number; connection?: OfflineConnection; replyDelayMs?: number } = {},
): Promise<BenchmarkRun> {
  const saved: BenchmarkRun[] = [];
  const service = new BenchmarkingService({
    sink: {
      submit: async (run, audio) => {
        recordings.push(await audio);
        saved.push(run);
        return { outcome: 'saved' };
      },
    },
    recordAudio: recordRunAudio,
  });
  const pacing = { seed: 11, turnMs, firstAudioMs: FIRST_AUDIO };
  const agents = createOfflineAgents(scenario, pacing);
  const script = offlineScriptFor(scenario);
  await service.start(benchmarkConfigFor(scenario, { agents: 'offline', pacing }), {
    ...agents,
    ...(connection
      ? {
          transport: new OfflineInterviewerTransport({
            questions: script.questions,
            closing: script.closing,
            ...pacing,
            connection,
          }),
        }
      : {}),
    ...(replyDelayMs !== undefined
      ? { simulatedUser: new OfflineSimulatedUser(script.replies, replyDelayMs) }
      : {}),
  });
  await vi.waitFor(() => expect(saved).toHaveLength(1), { timeout: 30_000, interval: 100 });
  return saved[0] as BenchmarkRun;
}

describe('an offline voice run', () => {
  beforeAll(() => registerOpusEncoder());

  it('is heard by the interviewer’s own VAD and transcription: what it heard is what was said, answered after the silence', async () => {
    const recordings: Array<RunAudio | undefined> = [];
    const run = await voiceRun(voiceScenario(), recordings);
    expect(run.end_reason).toBe('termination_cue');
    // No text goes in: the replies are input audio, and the interviewer answers by itself.
    const sent = run.event_log
      .filter((entry) => entry.direction === 'client')
      .map((e) => e.event.type);
    expect(sent).not.toContain('conversation.item.create');
    expect(sent.filter((type) => type === 'response.create')).toHaveLength(1);
    expect(sent).toContain('input_audio_buffer.append');

    const voice = computeVoiceMetrics(run);
    expect(voice?.turns.map((turn) => [turn.said, turn.heard])).toEqual([
      ['It is 48 2210.', 'it is 48 2210'],
      ['The lamp arrived in three pieces.', 'the lamp arrived in three pieces'],
    ]);
    expect(voice?.wer?.rate).toBe(0);
    expect(voice?.false_end_of_turns).toBe(0);
    expect(voice?.missed_end_of_turns).toBe(0);
    for (const turn of voice?.turns ?? []) {
      // The detector waits out the silence, then the interviewer takes its time to first audio;
      // input audio goes out a chunk (100 ms) ahead of the clock, and the voice fades before its end.
      expect(turn.voice_to_voice_ms).toBeGreaterThanOrEqual(
        SILENCE_MS + FIRST_AUDIO.min - INPUT_CHUNK_MS - 50,
      );
      expect(turn.voice_to_voice_ms).toBeLessThanOrEqual(SILENCE_MS + FIRST_AUDIO.max + 300);
    }

    // The recording is stereo: the simulated user's microphone is heard on the right where it spoke.
    const [audio] = recordings;
    expect(runAudioSchema.safeParse(audio).success).toBe(true);
    const start = Date.parse(run.created_at as string);
    for (const turn of voice?.turns ?? []) {
      const from = Math.ceil(((turn.speech_started_ms ?? 0) + 100) / 100);
      const heard = audio?.user_loudness?.slice(from, from + 5) ?? [];
      expect(Math.max(...heard)).toBeGreaterThan(30);
      // ... and the interviewer is silent there.
      expect(Math.max(...(audio?.loudness.slice(from, from + 5) ?? [100]))).toBeLessThan(20);
    }
    expect(audio?.started_at).toBe(new Date(start).toISOString());
  }, 40_000);

  it('mishears more as the noise rises: its word error rate climbs from 0 with the noise level', async () => {
    const rates: number[] = [];
    for (const level_db of [9, 7]) {
      const run = await voiceRun(voiceScenario({ kind: 'white', level_db }));
      // The noise is the offline seed's: recorded, so the run can be heard again alike.
      expect(run.event_log[0]?.event).toMatchObject({ type: 'run.started', noise_seed: 11 });
      rates.push(computeVoiceMetrics(run)?.wer?.rate ?? Number.NaN);
    }
    const [moderate, loud] = rates as [number, number];
    expect(moderate).toBeGreaterThan(0);
    expect(loud).toBeGreaterThan(moderate);
    expect(loud).toBeLessThanOrEqual(1);
  }, 60_000);

  describe('with a user who barges in', () => {
    // Each line's audio lasts 0.6 × 3000 ms; the offline user replies 0.4 × 3000 ms after it is
    // asked (1.5 s into the line: the answer is out, its audio still playing) unless told otherwise.
    const TURN_MS = 3000;
    const bargingScenario = voiceScenario(undefined, { interrupt_after_ms: 300, max_turns: 5 });

    const serverEvents = (run: BenchmarkRun, type: string) =>
      run.event_log
        .filter((entry) => entry.direction === 'server' && entry.event.type === type)
        .map((entry) => entry.event as Record<string, unknown>);

    it('talks over the interviewer, which stops (cancelled, its audio cleared) and answers what it heard', async () => {
      const recordings: Array<RunAudio | undefined> = [];
      // Replying at once, the user speaks 0.35 s into each line, while it is being said.
      const run = await voiceRun(bargingScenario, recordings, {
        turnMs: TURN_MS,
        replyDelayMs: 50,
      });
      // Two questions talked over; the closing (the fifth turn: no turn may follow) is heard out.
      expect(run.end_reason).toBe('termination_cue');
      expect(run.conversation_history.map((turn) => turn.speaker)).toEqual([
        'interviewer',
        'simulated_user',
        'interviewer',
        'simulated_user',
        'interviewer',
      ]);
      const done = serverEvents(run, 'response.done').map(
        (event) => event.response as { id: string; status: string; status_details?: unknown },
      );
      expect(done.map((response) => [response.id, response.status])).toEqual([
        ['resp_offline_1', 'cancelled'],
        ['resp_offline_2', 'cancelled'],
        ['resp_offline_3', 'completed'],
      ]);
      expect(done[0]?.status_details).toEqual({ type: 'cancelled', reason: 'turn_detected' });
      expect(serverEvents(run, 'output_audio_buffer.cleared').map((e) => e.response_id)).toEqual([
        'resp_offline_1',
        'resp_offline_2',
      ]);
      // What the interviewer had said when it was cut is what the run keeps of its turn.
      const [firstQuestion] = run.conversation_history;
      expect('What is your order number?'.startsWith(firstQuestion?.content ?? '')).toBe(true);
      expect(firstQuestion?.content.length).toBeGreaterThan(0);
      expect(firstQuestion?.content).not.toBe('What is your order number?');

      const voice = computeVoiceMetrics(run);
      expect(voice?.barge_ins.map((b) => [b.utterance_id, b.response_id, b.handled])).toEqual([
        ['utterance_1', 'resp_offline_1', true],
        ['utterance_2', 'resp_offline_2', true],
      ]);
      expect(voice?.barge_ins_handled).toBe(2);
      // Talked over or not, every word was heard, and each answer came after the user finished.
      expect(voice?.turns.map((turn) => turn.heard)).toEqual([
        'it is 48 2210',
        'the lamp arrived in three pieces',
      ]);
      expect(voice?.false_end_of_turns).toBe(0);
      const [audio] = recordings;
      // Each answer is stored where it is heard; a cut response stops where it was cut.
      expect(audio?.segments.map((segment) => segment.response_id)).toEqual([
        'resp_offline_1',
        'resp_offline_2',
        'resp_offline_3',
      ]);
    }, 60_000);

    it('does not barge in with the run’s last turn, which nothing could answer', async () => {
      // Four turns: the second question leaves room for one reply only, said as an ordinary turn.
      const run = await voiceRun(
        voiceScenario(undefined, { interrupt_after_ms: 300, max_turns: 4 }),
        [],
        { turnMs: TURN_MS, replyDelayMs: 50 },
      );
      expect(run.end_reason).toBe('max_turns');
      expect(computeVoiceMetrics(run)?.barge_ins.map((b) => [b.response_id, b.handled])).toEqual([
        ['resp_offline_1', true],
      ]);
      expect(
        serverEvents(run, 'response.done').map((e) => (e.response as { status: string }).status),
      ).toEqual(['cancelled', 'completed']);
    }, 60_000);

    it('over WebSocket, stops playing the talked-over audio, said but still playing, and tells the server where (conversation.item.truncate)', async () => {
      const run = await voiceRun(bargingScenario, [], { turnMs: TURN_MS, connection: 'websocket' });
      expect(run.end_reason).toBe('termination_cue');
      const truncates = run.event_log
        .filter((e) => e.direction === 'client' && e.event.type === 'conversation.item.truncate')
        .map((e) => e.event as Record<string, unknown>);
      expect(truncates.map((e) => e.item_id)).toEqual(['item_offline_1', 'item_offline_2']);
      for (const truncate of truncates) {
        // Cut after the barge-in's 300 ms, before the line's 1.8 s of audio was all played.
        expect(truncate.audio_end_ms).toBeGreaterThanOrEqual(300);
        expect(truncate.audio_end_ms).toBeLessThan(0.6 * TURN_MS);
      }
      expect(serverEvents(run, 'conversation.item.truncated')).toHaveLength(2);
      expect(computeVoiceMetrics(run)?.barge_ins_handled).toBe(2);
    }, 60_000);

    it.each<OfflineConnection>(['webrtc', 'websocket'])(
      'over %s, lets the interviewer speak on when the session does not interrupt it (interrupt_response false)',
      async (connection) => {
        const recordings: Array<RunAudio | undefined> = [];
        const run = await voiceRun(
          voiceScenario(undefined, { interrupt_after_ms: 300, interrupt_response: false }),
          recordings,
          { turnMs: TURN_MS, replyDelayMs: 50, connection },
        );
        expect(computeVoiceMetrics(run)?.barge_ins.length).toBeGreaterThan(0);
        // Talked over, the interviewer is heard to the end: nothing cancels, clears or truncates it.
        expect(
          serverEvents(run, 'response.done').map((e) => (e.response as { status: string }).status),
        ).not.toContain('cancelled');
        expect(serverEvents(run, 'output_audio_buffer.cleared')).toEqual([]);
        expect(
          run.event_log.filter(
            (e) => e.direction === 'client' && e.event.type === 'conversation.item.truncate',
          ),
        ).toEqual([]);
        expect(computeVoiceMetrics(run)?.barge_ins_handled).toBe(0);
        const [firstQuestion] = run.conversation_history;
        expect(firstQuestion?.content).toBe('What is your order number?');
      },
      60_000,
    );

    it('is answered once the interviewer finished the line it spoke on over the barge-in (interrupt_response false)', async () => {
      // Each line's audio lasts 3.6 s: the barge-in, said 0.35 s into it, ends before it does.
      const run = await voiceRun(
        voiceScenario(undefined, {
          interrupt_after_ms: 300,
          interrupt_response: false,
          max_turns: 5,
        }),
        [],
        { turnMs: 6000, replyDelayMs: 50 },
      );
      expect(run.end_reason).toBe('termination_cue');
      expect(run.conversation_history.map((turn) => turn.speaker)).toEqual([
        'interviewer',
        'simulated_user',
        'interviewer',
        'simulated_user',
        'interviewer',
      ]);
      const voice = computeVoiceMetrics(run);
      expect(voice?.barge_ins).toHaveLength(2);
      // Each barge-in ended while its line was still being said: the answer came after the line.
      for (const turn of voice?.turns ?? []) expect(turn.response_id).not.toBeNull();
    }, 60_000);

    it('waits for the interviewer to finish when its audio is shorter than the barge-in delay', async () => {
      const run = await voiceRun(voiceScenario(undefined, { interrupt_after_ms: 5000 }), [], {
        turnMs: TURN_MS,
      });
      expect(run.end_reason).toBe('termination_cue');
      expect(computeVoiceMetrics(run)?.barge_ins).toEqual([]);
      expect(
        serverEvents(run, 'response.done').map((e) => (e.response as { status: string }).status),
      ).toEqual(['completed', 'completed', 'completed']);
    }, 60_000);
  });
});
