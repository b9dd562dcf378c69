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
import { benchmarkConfigFor } from './scenario-config.ts';

const SILENCE_MS = 300;
const FIRST_AUDIO = { min: 100, max: 200 };

function voiceScenario(noise?: { kind: 'white' | 'pink'; level_db: number }) {
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
        turn_detection: { type: 'server_vad', silence_duration_ms: SILENCE_MS },
      },
    },
    // A turn the interviewer never hears ends the run in 8 s rather than the default minute.
    termination: { cue: 'that concludes our call', turn_timeout_seconds: 8 },
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
  const pacing = { seed: 11, turnMs: 400, firstAudioMs: FIRST_AUDIO };
  await service.start(
    benchmarkConfigFor(scenario, { agents: 'offline', pacing }),
    createOfflineAgents(scenario, pacing),
  );
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
      rates.push(computeVoiceMetrics(run)?.wer?.rate ?? Number.NaN);
    }
    const [moderate, loud] = rates as [number, number];
    expect(moderate).toBeGreaterThan(0);
    expect(loud).toBeGreaterThan(moderate);
    expect(loud).toBeLessThanOrEqual(1);
  }, 60_000);
});
