import { describe, expect, it } from 'vitest';
import {
  base64DecodedLength,
  LOUDNESS_WINDOW_MS,
  loudnessLevel,
  runAudioSchema,
} from './run-audio.ts';

const valid = {
  run_id: '7b0c2f4e-9d8a-4c1b-8e2f-3a4b5c6d7e8f',
  content_type: 'audio/webm;codecs=opus',
  started_at: '2026-11-30T10:00:00.000Z',
  duration_ms: 250,
  loudness: [0, 40, 80],
  segments: [{ response_id: 'resp_1', start_ms: 100, end_ms: 250 }],
  audio: btoa('\x1a\x45\xdf\xa3webm'),
};

describe('runAudioSchema', () => {
  it('takes a well-formed recording', () => {
    expect(runAudioSchema.safeParse(valid).success).toBe(true);
  });

  it.each([
    ['loudness', { loudness: [0, 40] }],
    ['user_loudness', { user_loudness: [0, 40, 80, 0] }],
    ['segments.0.end_ms', { segments: [{ response_id: 'r', start_ms: 0, end_ms: 300 }] }],
    ['segments.0.end_ms', { segments: [{ response_id: 'r', start_ms: 200, end_ms: 100 }] }],
    ['audio', { audio: 'not base64!' }],
    ['content_type', { content_type: 'audio/wav' }],
    ['run_id', { run_id: 'run-1' }],
  ])('names %s when it is wrong', (path, change) => {
    const result = runAudioSchema.safeParse({ ...valid, ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('has one loudness value per started window', () => {
    const duration_ms = 10 * LOUDNESS_WINDOW_MS + 1;
    const loudness = Array.from({ length: 11 }, () => 0);
    expect(
      runAudioSchema.safeParse({ ...valid, duration_ms, loudness, segments: [] }).success,
    ).toBe(true);
  });
});

describe('loudnessLevel', () => {
  it('maps -60..0 dBFS to 0..100', () => {
    expect(loudnessLevel(new Int16Array(480))).toBe(0);
    expect(loudnessLevel(new Int16Array(480).fill(32767))).toBe(100);
    // A full-scale square wave at -20 dB: amplitude 0.1 → RMS -20 dBFS → 67.
    expect(loudnessLevel(new Int16Array(480).fill(3277))).toBe(67);
  });
});

describe('base64DecodedLength', () => {
  it.each(['', 'a', 'ab', 'abc', 'abcd'])('counts the bytes of btoa(%j)', (text) => {
    expect(base64DecodedLength(btoa(text))).toBe(text.length);
  });
});
