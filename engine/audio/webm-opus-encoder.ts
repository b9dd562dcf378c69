import { RUN_AUDIO_BITRATE, RUN_AUDIO_SAMPLE_RATE } from '@core/run-audio.ts';

/** Takes PCM16 at RUN_AUDIO_SAMPLE_RATE (interleaved when stereo) in order and gives back one encoded file. */
export interface PcmEncoder {
  write(samples: Int16Array): Promise<void>;
  finish(): Promise<Uint8Array>;
  cancel(): Promise<void>;
}

/** Rates Opus encoders take; browsers' WebCodecs may take only 48 kHz, then the samples are resampled. */
const ENCODER_RATES = [RUN_AUDIO_SAMPLE_RATE, 48_000];

/**
 * An Opus-in-WebM encoder (mediabunny muxes; the browser's WebCodecs encodes,
 * or whatever Opus encoder the platform registered with mediabunny, as the
 * runner does on Node). Null when this platform cannot encode Opus: the run is
 * then saved without audio.
 */
export async function createWebmOpusEncoder(channels: 1 | 2 = 1): Promise<PcmEncoder | null> {
  // Loaded when a run starts: the console's first page does not carry the muxer.
  const {
    AudioSample,
    AudioSampleSource,
    BufferTarget,
    canEncodeAudio,
    Output,
    Quality,
    WebMOutputFormat,
  } = await import('mediabunny');
  const quality = new Quality({ bitrate: RUN_AUDIO_BITRATE * channels });
  let encoderRate: number | undefined;
  for (const sampleRate of ENCODER_RATES) {
    if (await canEncodeAudio('opus', { numberOfChannels: channels, sampleRate, quality })) {
      encoderRate = sampleRate;
      break;
    }
  }
  if (encoderRate === undefined) return null;

  const output = new Output({ format: new WebMOutputFormat(), target: new BufferTarget() });
  const source = new AudioSampleSource({
    codec: 'opus',
    quality,
    ...(encoderRate === RUN_AUDIO_SAMPLE_RATE ? {} : { transform: { sampleRate: encoderRate } }),
  });
  output.addAudioTrack(source);
  await output.start();
  let written = 0;

  return {
    async write(samples) {
      if (samples.length === 0) return;
      const sample = new AudioSample({
        data: samples,
        format: 's16',
        numberOfChannels: channels,
        sampleRate: RUN_AUDIO_SAMPLE_RATE,
        timestamp: written / RUN_AUDIO_SAMPLE_RATE,
      });
      written += samples.length / channels;
      try {
        await source.add(sample);
      } finally {
        sample.close();
      }
    },
    async finish() {
      await output.finalize();
      const buffer = output.target.buffer;
      if (!buffer) throw new Error('the audio encoder produced no file');
      return new Uint8Array(buffer);
    },
    async cancel() {
      await output.cancel();
    },
  };
}
