import { LOUDNESS_WINDOW_MS, loudnessLevel, RUN_AUDIO_SAMPLE_RATE } from '@core/run-audio.ts';
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from 'mediabunny';
import OpusScript from 'opusscript';
import { beforeAll, describe, expect, it } from 'vitest';
import { SpeechSynth } from '../engine/audio/speech-synth.ts';
import { createWebmOpusEncoder } from '../engine/audio/webm-opus-encoder.ts';
import { registerOpusEncoder } from './opus-encoder.ts';

const WINDOW = (RUN_AUDIO_SAMPLE_RATE / 1000) * LOUDNESS_WINDOW_MS;

/** Demuxes the WebM with mediabunny and decodes its Opus packets with libopus. */
async function decode(file: Uint8Array): Promise<Int16Array> {
  const input = new Input({ source: new BufferSource(file), formats: ALL_FORMATS });
  const track = await input.getPrimaryAudioTrack();
  if (!track) throw new Error('no audio track');
  const decoder = new OpusScript(RUN_AUDIO_SAMPLE_RATE, 1);
  const chunks: Int16Array[] = [];
  for await (const packet of new EncodedPacketSink(track).packets()) {
    const pcm = decoder.decode(Buffer.from(packet.data));
    chunks.push(new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.length)));
  }
  decoder.delete();
  const out = new Int16Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

const levels = (samples: Int16Array) =>
  Array.from({ length: Math.floor(samples.length / WINDOW) }, (_, i) =>
    loudnessLevel(samples.subarray(i * WINDOW, (i + 1) * WINDOW)),
  );

describe('the Node Opus encoder', () => {
  beforeAll(() => registerOpusEncoder());

  it('encodes what it is given: the decoded file has the loudness of the original, window by window', async () => {
    const synth = new SpeechSynth(11);
    const original = new Int16Array(RUN_AUDIO_SAMPLE_RATE * 3);
    original.set(synth.word('understanding', 1000), RUN_AUDIO_SAMPLE_RATE);
    const encoder = await createWebmOpusEncoder();
    if (!encoder) throw new Error('no Opus encoder on Node');
    await encoder.write(original);
    const decoded = await decode(await encoder.finish());

    // A player drops the encoder's delay (the pre-skip, 312 samples at 48 kHz) from the start.
    const heard = levels(decoded.subarray(156));
    expect(heard.length).toBeGreaterThanOrEqual(29);
    const sent = levels(original);
    expect(sent.filter((level) => level > 0)).toHaveLength(8);
    for (const [i, level] of heard.entries()) {
      const original = sent[i] as number;
      // Speech keeps its level; silence stays below -48 dBFS (the codec's tail may ring into it).
      if (original > 0) expect(Math.abs(level - original)).toBeLessThanOrEqual(8);
      else expect(level).toBeLessThanOrEqual(20);
    }
  });
});
