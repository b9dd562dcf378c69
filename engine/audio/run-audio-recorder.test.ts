import { LOUDNESS_WINDOW_MS, WEBM_MAGIC } from '@core/run-audio.ts';
import { ALL_FORMATS, BufferSource, Input } from 'mediabunny';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerOpusEncoder } from '../../runner/opus-encoder.ts';
import { RunAudioRecorder } from './run-audio-recorder.ts';
import { SpeechSynth } from './speech-synth.ts';
import { createWebmOpusEncoder, type PcmEncoder } from './webm-opus-encoder.ts';

const START = Date.UTC(2026, 10, 30, 9, 0, 0);
const voice = (ms: number) => new SpeechSynth(7).word('hello', ms);

beforeAll(() => registerOpusEncoder());

async function durationOf(bytes: Uint8Array): Promise<number> {
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  return input.computeDuration();
}

describe('RunAudioRecorder', () => {
  it('lays audio on the run clock, fills gaps with silence and pads to the end of the run', async () => {
    const recorder = new RunAudioRecorder(START, createWebmOpusEncoder());
    recorder.append(voice(200), START + 500, 'resp_1');
    recorder.append(voice(300), START + 1500, 'resp_2');
    const recorded = await recorder.finish(START + 2500);

    expect(recorded).not.toBeNull();
    if (!recorded) return;
    expect(recorded.startedAtMs).toBe(START);
    expect(recorded.durationMs).toBe(2500);
    expect(recorded.segments).toEqual([
      { response_id: 'resp_1', start_ms: 500, end_ms: 700 },
      { response_id: 'resp_2', start_ms: 1500, end_ms: 1800 },
    ]);
    expect(recorded.loudness).toHaveLength(2500 / LOUDNESS_WINDOW_MS);
    const loud = recorded.loudness.flatMap((level, i) => (level > 30 ? [i] : []));
    expect(loud).toEqual([5, 6, 15, 16, 17]);
    expect([...recorded.bytes.subarray(0, 4)]).toEqual([...WEBM_MAGIC]);
    expect(await durationOf(recorded.bytes)).toBeCloseTo(2.5, 1);
  });

  it('queues audio that arrives while earlier audio still plays, as a player would', async () => {
    const recorder = new RunAudioRecorder(START, createWebmOpusEncoder());
    // A WebSocket delivers a response's audio faster than it plays: all of it at once.
    recorder.append(voice(400), START + 100, 'resp_1');
    recorder.append(voice(400), START + 120, 'resp_1');
    recorder.append(voice(100), START + 150, 'resp_2');
    const recorded = await recorder.finish(START + 200);

    expect(recorded?.segments).toEqual([
      { response_id: 'resp_1', start_ms: 100, end_ms: 900 },
      { response_id: 'resp_2', start_ms: 900, end_ms: 1000 },
    ]);
    // The run ended while the audio played: the recording keeps all of it.
    expect(recorded?.durationMs).toBe(1000);
  });

  it('keeps a 10-minute conversation under 3 MB', async () => {
    const recorder = new RunAudioRecorder(START, createWebmOpusEncoder());
    const synth = new SpeechSynth(1);
    for (let second = 0; second < 600; second += 1) {
      recorder.append(synth.word('conversation', 1000), START + second * 1000, null);
    }
    const recorded = await recorder.finish(START + 600_000);
    expect(recorded?.durationMs).toBe(600_000);
    expect(recorded?.bytes.length).toBeLessThan(3 * 1024 * 1024);
    expect(await durationOf(recorded?.bytes ?? new Uint8Array())).toBeCloseTo(600, 0);
  }, 60_000);

  it('records stereo: the interviewer left, the simulated user right, each with its loudness', async () => {
    const recorder = new RunAudioRecorder(START, createWebmOpusEncoder(2), undefined, 2);
    recorder.append(voice(300), START + 200, 'resp_1');
    recorder.append(new Int16Array(24_000), START, null, 'user');
    recorder.append(voice(400), START + 1000, null, 'user');
    const recorded = await recorder.finish(START + 2000);

    const loud = (levels: number[] | undefined) =>
      (levels ?? []).flatMap((level, i) => (level > 30 ? [i] : []));
    expect(recorded?.durationMs).toBe(2000);
    expect(loud(recorded?.loudness)).toEqual([2, 3, 4]);
    expect(loud(recorded?.userLoudness)).toEqual([10, 11, 12, 13]);
    expect(recorded?.segments).toEqual([{ response_id: 'resp_1', start_ms: 200, end_ms: 500 }]);
    const input = new Input({
      source: new BufferSource(recorded?.bytes ?? new Uint8Array()),
      formats: ALL_FORMATS,
    });
    expect(await (await input.getPrimaryAudioTrack())?.getNumberOfChannels()).toBe(2);
    expect(await input.computeDuration()).toBeCloseTo(2, 1);
  });

  it('drops the interviewer audio queued past a stop (a barge-in), not what already played', async () => {
    const recorder = new RunAudioRecorder(START, createWebmOpusEncoder(2), undefined, 2);
    // A WebSocket answer: 1.2 s of audio arrives at once at 0.2 s; the microphone runs to 0.6 s.
    recorder.append(voice(1200), START + 200, 'resp_1');
    recorder.append(new Int16Array(14_400), START, null, 'user');
    // The user barges in at 0.7 s: the player stops there.
    recorder.stopInterviewer(START + 700);
    recorder.append(voice(400), START + 800, null, 'user');
    const recorded = await recorder.finish(START + 2000);

    const loud = (levels: number[] | undefined) =>
      (levels ?? []).flatMap((level, i) => (level > 30 ? [i] : []));
    expect(recorded?.durationMs).toBe(2000);
    expect(loud(recorded?.loudness)).toEqual([2, 3, 4, 5, 6]);
    expect(loud(recorded?.userLoudness)).toEqual([8, 9, 10, 11]);
    expect(recorded?.segments).toEqual([{ response_id: 'resp_1', start_ms: 200, end_ms: 700 }]);
  });

  it('drops what was queued past a stop though the microphone, sent a chunk at a time, is ahead of it', async () => {
    const recorder = new RunAudioRecorder(START, createWebmOpusEncoder(2), undefined, 2);
    recorder.append(voice(1000), START, 'resp_1');
    // Each 100 ms chunk of the microphone is placed whole when it is due: the last runs to 0.6 s.
    for (let at = 0; at <= 500; at += 100)
      recorder.append(new Int16Array(2400), START + at, null, 'user');
    // The player stops at 0.52 s, while that chunk is going out.
    recorder.stopInterviewer(START + 520);
    const recorded = await recorder.finish(START + 1000);
    expect(recorded?.segments).toEqual([{ response_id: 'resp_1', start_ms: 0, end_ms: 520 }]);
  });

  it('cannot drop what was already encoded: a stop before the encoded audio keeps it', async () => {
    const recorder = new RunAudioRecorder(START, createWebmOpusEncoder());
    // Mono: each piece is encoded as it comes, so nothing waits to be dropped.
    recorder.append(voice(500), START, 'resp_1');
    recorder.stopInterviewer(START + 200);
    const recorded = await recorder.finish(START + 1000);
    expect(recorded?.segments).toEqual([{ response_id: 'resp_1', start_ms: 0, end_ms: 500 }]);
  });

  it('gives no recording when the platform cannot encode Opus', async () => {
    const recorder = new RunAudioRecorder(START, Promise.resolve(null));
    recorder.append(voice(100), START, 'resp_1');
    expect(await recorder.finish(START + 1000)).toBeNull();
  });

  it('gives no recording, and says why, when the encoder fails', async () => {
    const failures: unknown[] = [];
    let cancelled = false;
    const broken: PcmEncoder = {
      write: async () => {
        throw new Error('encoder crashed');
      },
      finish: async () => new Uint8Array([1]),
      cancel: async () => {
        cancelled = true;
      },
    };
    const recorder = new RunAudioRecorder(START, Promise.resolve(broken), (error) =>
      failures.push(error),
    );
    recorder.append(voice(100), START, 'resp_1');
    expect(await recorder.finish(START + 1000)).toBeNull();
    expect(failures).toEqual([new Error('encoder crashed')]);
    expect(cancelled).toBe(true);
  });
});
