import { RUN_AUDIO_SAMPLE_RATE } from '@core/run-audio.ts';
import { describe, expect, it } from 'vitest';
import { SEND_LEAD_MS, type SendAudioContext, sendWithWebAudio } from './webrtc-audio-send.ts';

/** A source node as Web Audio makes one: where it is connected, when it starts, what it plays. */
interface FakeSource {
  buffer: { samples: Float32Array; sampleRate: number } | null;
  connectedTo: unknown;
  startedAt: number | null;
  disconnected: boolean;
  onended: (() => void) | null;
}

/** Web Audio at the boundary: an AudioContext whose clock the test moves. */
function fakeWebAudio(options: { tracks?: number } = {}) {
  const track = { kind: 'audio', stopped: false, stop: () => (track.stopped = true) };
  const destination = {
    stream: { getAudioTracks: () => (options.tracks === 0 ? [] : [track]) },
  };
  const sources: FakeSource[] = [];
  const state = { closed: false, resumed: false };
  const context = {
    currentTime: 0,
    createMediaStreamDestination: () => destination,
    createBuffer: (channels: number, length: number, sampleRate: number) => {
      expect(channels).toBe(1);
      const samples = new Float32Array(length);
      return {
        samples,
        sampleRate,
        copyToChannel: (from: Float32Array, channel: number) => {
          expect(channel).toBe(0);
          samples.set(from);
        },
      };
    },
    createBufferSource: () => {
      const source: FakeSource & Record<string, unknown> = {
        buffer: null,
        connectedTo: null,
        startedAt: null,
        disconnected: false,
        onended: null,
        connect: (node: unknown) => {
          source.connectedTo = node;
        },
        disconnect: () => {
          source.disconnected = true;
        },
        start: (when: number) => {
          source.startedAt = when;
        },
      };
      sources.push(source);
      return source;
    },
    close: async () => {
      state.closed = true;
    },
    resume: async () => {
      state.resumed = true;
    },
  };
  return {
    context,
    track,
    destination,
    sources,
    state,
    create: () => context as unknown as SendAudioContext,
  };
}

/** `ms` of PCM16 at the recording's rate, every sample `value`. */
const chunk = (ms: number, value = 1000) =>
  new Int16Array((ms * RUN_AUDIO_SAMPLE_RATE) / 1000).fill(value);

describe('sendWithWebAudio', () => {
  it('gives the destination’s track, and plays each chunk into it as 24 kHz float samples', () => {
    const audio = fakeWebAudio();
    const send = sendWithWebAudio(audio.create);
    expect(send.track).toBe(audio.track);
    expect(audio.state.resumed).toBe(true);

    send.play(Int16Array.from([16384, -32768, 0, 32767]));
    const [source] = audio.sources;
    expect(source?.connectedTo).toBe(audio.destination);
    expect(source?.buffer?.sampleRate).toBe(RUN_AUDIO_SAMPLE_RATE);
    expect([...(source?.buffer?.samples ?? [])]).toEqual([0.5, -1, 0, 32767 / 32768]);
    // A finished source lets go of the destination.
    source?.onended?.();
    expect(source?.disconnected).toBe(true);
  });

  it('schedules the first chunk the lead ahead of the audio clock, and the next back to back after it', () => {
    const audio = fakeWebAudio();
    const send = sendWithWebAudio(audio.create);
    audio.context.currentTime = 2;
    send.play(chunk(100));
    // The next chunk comes a little late on the main thread: still seamless.
    audio.context.currentTime = 2.13;
    send.play(chunk(100));
    audio.context.currentTime = 2.2;
    send.play(chunk(40));
    send.play(chunk(100));
    const lead = SEND_LEAD_MS / 1000;
    const expected = [2 + lead, 2 + lead + 0.1, 2 + lead + 0.2, 2 + lead + 0.24];
    expect(audio.sources).toHaveLength(expected.length);
    audio.sources.forEach((source, i) => {
      expect(source.startedAt).toBeCloseTo(expected[i] as number, 9);
    });
  });

  it('after the track ran dry plays the late chunk at once, and the next ones after it, dropping nothing', () => {
    const audio = fakeWebAudio();
    const send = sendWithWebAudio(audio.create);
    send.play(chunk(100));
    const firstEnds = SEND_LEAD_MS / 1000 + 0.1;
    // A 300 ms stall: the chunk comes after the first has finished playing.
    audio.context.currentTime = firstEnds + 0.3;
    send.play(chunk(100));
    send.play(chunk(100));
    const [, late, after] = audio.sources.map((s) => s.startedAt ?? Number.NaN);
    expect(late).toBeCloseTo(firstEnds + 0.3 + 0.02, 9);
    expect(after).toBeCloseTo((late as number) + 0.1, 9);
    expect(audio.sources.every((s) => s.buffer?.samples.length === 2400)).toBe(true);
  });

  it('does not schedule a chunk where the audio clock is about to be', () => {
    const audio = fakeWebAudio();
    const send = sendWithWebAudio(audio.create);
    send.play(chunk(100));
    const next = SEND_LEAD_MS / 1000 + 0.1;
    audio.context.currentTime = next - 0.005;
    send.play(chunk(100));
    expect(audio.sources[1]?.startedAt).toBeCloseTo(next - 0.005 + 0.02, 9);
  });

  it('releases the track and the context on close, and plays nothing after', () => {
    const audio = fakeWebAudio();
    const send = sendWithWebAudio(audio.create);
    send.play(chunk(100));
    send.close();
    expect(audio.track.stopped).toBe(true);
    expect(audio.state.closed).toBe(true);
    send.play(chunk(100));
    expect(audio.sources).toHaveLength(1);
  });

  it('fails, closing the context, when Web Audio gives no track', () => {
    const audio = fakeWebAudio({ tracks: 0 });
    expect(() => sendWithWebAudio(audio.create)).toThrow('Web Audio gave no audio track to send');
    expect(audio.state.closed).toBe(true);
  });
});
