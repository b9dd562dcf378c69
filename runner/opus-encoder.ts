import {
  type AudioCodec,
  type AudioSample,
  CustomAudioEncoder,
  EncodedPacket,
  registerEncoder,
} from 'mediabunny';
import OpusScript from 'opusscript';

const OPUS_RATES = [8000, 12000, 16000, 24000, 48000];
const FRAME_MS = 20;
/** libopus's encoder delay at the default settings, in 48 kHz samples (RFC 7845's pre-skip). */
const PRE_SKIP = 312;

/** RFC 7845's identification header: what a player needs to decode the track. */
function opusHead(sampleRate: number, channels: number): Uint8Array {
  const head = new Uint8Array(19);
  head.set(new TextEncoder().encode('OpusHead'));
  const view = new DataView(head.buffer);
  view.setUint8(8, 1);
  view.setUint8(9, channels);
  view.setUint16(10, PRE_SKIP, true);
  view.setUint32(12, sampleRate, true);
  return head;
}

/**
 * Node has no WebCodecs: this gives mediabunny an Opus encoder made of libopus
 * compiled to WebAssembly (opusscript), so the runner records audio as the
 * console does. Mono PCM16 in, one packet per 20 ms frame out; the last frame
 * is padded with silence. libopus runs in its `audio` application: speech as
 * well as `voip` at this rate, and silence for a few bytes a frame.
 */
class OpusScriptEncoder extends CustomAudioEncoder {
  private encoder: OpusScript | null = null;
  /** Samples per channel in a 20 ms frame. */
  private frameSize = 0;
  private channels = 1;
  private pending = new Int16Array(0);
  private firstTimestamp: number | null = null;
  private frames = 0;

  static override supports(codec: AudioCodec, config: CustomAudioEncoder['config']): boolean {
    return (
      codec === 'opus' &&
      (config.numberOfChannels === 1 || config.numberOfChannels === 2) &&
      OPUS_RATES.includes(config.sampleRate)
    );
  }

  init(): void {
    const { sampleRate, bitrate, numberOfChannels } = this.config;
    this.channels = numberOfChannels;
    this.encoder = new OpusScript(
      sampleRate as ConstructorParameters<typeof OpusScript>[0],
      numberOfChannels,
      OpusScript.Application.AUDIO,
    );
    if (bitrate) this.encoder.setBitrate(bitrate);
    this.frameSize = (sampleRate * FRAME_MS) / 1000;
  }

  encode(sample: AudioSample): void {
    // Interleaved when stereo: frame by frame, left then right.
    const samples = new Int16Array(sample.numberOfFrames * this.channels);
    sample.copyTo(samples, { planeIndex: 0, format: 's16' });
    this.firstTimestamp ??= sample.timestamp;
    const joined = new Int16Array(this.pending.length + samples.length);
    joined.set(this.pending);
    joined.set(samples, this.pending.length);
    const frame = this.frameSize * this.channels;
    let offset = 0;
    while (joined.length - offset >= frame) {
      this.emit(joined.subarray(offset, offset + frame));
      offset += frame;
    }
    this.pending = joined.slice(offset);
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const last = new Int16Array(this.frameSize * this.channels);
    last.set(this.pending);
    this.pending = new Int16Array(0);
    this.emit(last);
  }

  close(): void {
    this.encoder?.delete();
    this.encoder = null;
  }

  private emit(frame: Int16Array): void {
    if (!this.encoder) throw new Error('the Opus encoder is closed');
    // opusscript wants the samples' bytes (little-endian PCM16), not the samples.
    const data = this.encoder.encode(
      Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength),
      this.frameSize,
    );
    const duration = FRAME_MS / 1000;
    const timestamp = (this.firstTimestamp ?? 0) + this.frames * duration;
    const first = this.frames === 0;
    this.frames++;
    this.onPacket(
      new EncodedPacket(new Uint8Array(data), 'key', timestamp, duration),
      first
        ? {
            decoderConfig: {
              codec: 'opus',
              numberOfChannels: this.channels,
              sampleRate: this.config.sampleRate,
              description: opusHead(this.config.sampleRate, this.channels),
            },
          }
        : undefined,
    );
  }
}

let registered = false;

/** Lets mediabunny encode Opus on Node (once per process). */
export function registerOpusEncoder(): void {
  if (registered) return;
  registered = true;
  registerEncoder(OpusScriptEncoder);
}
