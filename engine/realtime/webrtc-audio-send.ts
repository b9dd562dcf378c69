import { RUN_AUDIO_SAMPLE_RATE } from '@core/run-audio.ts';
import { TransportError } from './transport.ts';

/** A send track, what plays audio on it, and how to release what makes it. */
export interface SendAudio {
  readonly track: MediaStreamTrack;
  /** Plays PCM16 mono at RUN_AUDIO_SAMPLE_RATE on the track, right after what was played before. */
  play(samples: Int16Array): void;
  close(): void;
}

/** The part of an AudioContext the send track uses (a fake one in unit tests). */
export type SendAudioContext = Pick<
  AudioContext,
  'currentTime' | 'createBuffer' | 'createBufferSource' | 'createMediaStreamDestination'
> & { close(): Promise<void>; resume(): Promise<void> };

/**
 * How far ahead of the audio clock the first chunk is scheduled. Chunks come
 * from main-thread timers (every 100 ms); the head start lets one come this
 * late without the track running dry, and is what the audio reaches the wire
 * after it is due (docs/metrics.md).
 */
export const SEND_LEAD_MS = 60;
/**
 * After the track ran dry (a chunk came later than the lead), the next is
 * scheduled this far ahead: the stall's delay is kept, not the lead added.
 */
const RESTART_MS = 20;
/** A start closer to the audio clock than this may fall in a block already rendered. */
const SCHEDULE_MARGIN_MS = 10;

/**
 * A send track fed from the main thread with Web Audio: each chunk becomes an
 * AudioBuffer played into a MediaStreamAudioDestinationNode, back to back on
 * the audio clock, the first `SEND_LEAD_MS` ahead. No sample is dropped: a
 * chunk that comes after the track ran dry plays as soon as it can, and the
 * ones after it follow on. With nothing played the track carries silence.
 */
export function sendWithWebAudio(
  createContext: () => SendAudioContext = () =>
    new AudioContext({ sampleRate: RUN_AUDIO_SAMPLE_RATE }),
): SendAudio {
  const context = createContext();
  const destination = context.createMediaStreamDestination();
  const track = destination.stream.getAudioTracks()[0];
  if (!track) {
    void context.close().catch(() => {});
    throw new TransportError('Web Audio gave no audio track to send', 'no_audio_track');
  }
  // Created after the page's Start Run click, it may run; resume in case it was made suspended.
  void context.resume().catch(() => {});
  /** Audio-clock time (s) where the next chunk starts; null before the first. */
  let next: number | null = null;
  let closed = false;

  return {
    track,
    play(samples) {
      if (closed || samples.length === 0) return;
      const buffer = context.createBuffer(1, samples.length, RUN_AUDIO_SAMPLE_RATE);
      const channel = new Float32Array(samples.length);
      for (let i = 0; i < samples.length; i++) channel[i] = (samples[i] as number) / 32768;
      buffer.copyToChannel(channel, 0);
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(destination);
      source.onended = () => source.disconnect();
      const now = context.currentTime;
      const at =
        next !== null && next >= now + SCHEDULE_MARGIN_MS / 1000
          ? next
          : now + (next === null ? SEND_LEAD_MS : RESTART_MS) / 1000;
      source.start(at);
      next = at + samples.length / RUN_AUDIO_SAMPLE_RATE;
    },
    close() {
      if (closed) return;
      closed = true;
      track.stop();
      void context.close().catch(() => {});
    },
  };
}
