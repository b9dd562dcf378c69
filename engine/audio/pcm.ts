import { bytesFromBase64, bytesToBase64 } from '@core/base64.ts';

/** PCM16 little-endian samples from base64 (the Realtime API's audio deltas). */
export function pcm16FromBase64(base64: string): Int16Array {
  const bytes = bytesFromBase64(base64);
  const samples = new Int16Array(bytes.length >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
  return samples;
}

/** Base64 of PCM16 samples, little-endian, as the Realtime API sends and takes them. */
export function pcm16ToBase64(samples: Int16Array): string {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i] as number, true);
  return bytesToBase64(bytes);
}

/** Float samples in [-1, 1] (Web Audio's) as PCM16. */
export function pcm16FromFloat(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] as number));
    out[i] = Math.round(s < 0 ? s * 32768 : s * 32767);
  }
  return out;
}
