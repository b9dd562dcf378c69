import { RUN_AUDIO_SAMPLE_RATE } from '@core/run-audio.ts';
import { pcm16FromFloat } from '../audio/pcm.ts';
import type { HeardAudio } from './transport.ts';

/** Taps a received stream's audio; returns what stops the tap. */
export type AudioCapture = (
  stream: MediaStream,
  onAudio: (audio: HeardAudio) => void,
) => () => void;

const PROCESSOR = 'realtime-bench-tap';
/** Samples per message from the audio thread: 20 ms, fine enough to tell which response is heard. */
const CHUNK = RUN_AUDIO_SAMPLE_RATE / 50;

/**
 * Runs on the audio thread: hands the main thread 20 ms of samples at a time,
 * with the frame number of the first (the audio clock, free of message jitter).
 * Outputs silence, so being connected to the destination plays nothing twice.
 */
const TAP_SOURCE = `
class Tap extends AudioWorkletProcessor {
  constructor() { super(); this.buffer = new Float32Array(${CHUNK}); this.filled = 0; this.first = 0; }
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true;
    for (let i = 0; i < channel.length; i++) {
      if (this.filled === 0) this.first = currentFrame + i;
      this.buffer[this.filled++] = channel[i];
      if (this.filled === this.buffer.length) {
        this.port.postMessage({ frame: this.first, samples: this.buffer }, [this.buffer.buffer]);
        this.buffer = new Float32Array(${CHUNK});
        this.filled = 0;
      }
    }
    return true;
  }
}
registerProcessor('${PROCESSOR}', Tap);
`;

/**
 * The browser's tap on the interviewer's WebRTC track: Web Audio resamples it
 * to the recording's rate and an AudioWorklet passes the samples on, each
 * chunk stamped by the audio clock, anchored to the run's clock at the first
 * chunk. Chromium only feeds a remote stream to Web Audio while a media
 * element plays it: without one, a muted element does.
 */
export const captureWithWebAudio: AudioCapture = (stream, onAudio) => {
  const context = new AudioContext({ sampleRate: RUN_AUDIO_SAMPLE_RATE });
  const sink = new Audio();
  sink.muted = true;
  sink.srcObject = stream;
  void sink.play().catch(() => {});
  let stopped = false;
  let anchor: { frame: number; atMs: number } | null = null;
  const url = URL.createObjectURL(new Blob([TAP_SOURCE], { type: 'text/javascript' }));

  void context.audioWorklet
    .addModule(url)
    .then(() => {
      if (stopped) return;
      const tap = new AudioWorkletNode(context, PROCESSOR);
      tap.port.onmessage = ({ data }: MessageEvent<{ frame: number; samples: Float32Array }>) => {
        if (stopped) return;
        const length = (data.samples.length / RUN_AUDIO_SAMPLE_RATE) * 1000;
        anchor ??= { frame: data.frame, atMs: Date.now() - length };
        const atMs = anchor.atMs + ((data.frame - anchor.frame) / RUN_AUDIO_SAMPLE_RATE) * 1000;
        onAudio({ samples: pcm16FromFloat(data.samples), atMs });
      };
      context.createMediaStreamSource(stream).connect(tap).connect(context.destination);
    })
    .catch(() => {})
    .finally(() => URL.revokeObjectURL(url));

  return () => {
    stopped = true;
    sink.srcObject = null;
    void context.close();
  };
};
