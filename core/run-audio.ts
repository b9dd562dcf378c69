import { z } from 'zod';
import { MAX_TURNS } from './run-constants.ts';

/**
 * The one format a run's audio is kept in: Opus in WebM, mono — or, for a
 * voice-mode run, stereo with the interviewer on the left and the simulated
 * user's microphone on the right.
 */
export const RUN_AUDIO_CONTENT_TYPE = 'audio/webm;codecs=opus';
/** The PCM the recorder takes: 16-bit mono at the Realtime API's rate. */
export const RUN_AUDIO_SAMPLE_RATE = 24_000;
/** Samples of RUN_AUDIO_SAMPLE_RATE audio in a millisecond. */
export const SAMPLES_PER_MS = RUN_AUDIO_SAMPLE_RATE / 1000;
/** Opus bitrate, the ceiling: speech takes about 0.14 MB a minute, a conversation 0.09 (docs/performance.md). */
export const RUN_AUDIO_BITRATE = 24_000;
/** The loudness strip has one value (0–100) per window of this length. */
export const LOUDNESS_WINDOW_MS = 100;
/** Largest audio accepted, decoded: a 60-minute session at 24 kbit/s is about 11 MB. */
export const MAX_RUN_AUDIO_BYTES = 12 * 1024 * 1024;
/** Longest audio accepted: past the Realtime API's 60-minute session limit with room to spare. */
export const MAX_RUN_AUDIO_DURATION_MS = 2 * 60 * 60 * 1000;
/** Room for the JSON around the base64 audio (metadata, loudness strip, segments). */
const METADATA_ALLOWANCE_BYTES = 512 * 1024;
/** Largest request body `save-run-audio` accepts: the base64 of the largest audio plus its metadata. */
export const MAX_RUN_AUDIO_BODY_BYTES =
  Math.ceil(MAX_RUN_AUDIO_BYTES / 3) * 4 + METADATA_ALLOWANCE_BYTES;
/** A WebM (EBML) file starts with these four bytes. */
export const WEBM_MAGIC = [0x1a, 0x45, 0xdf, 0xa3] as const;

const isoTimestamp = z.iso.datetime({ offset: true });
const loudnessSchema = z
  .array(z.number().int().min(0).max(100))
  .max(Math.ceil(MAX_RUN_AUDIO_DURATION_MS / LOUDNESS_WINDOW_MS));
const offsetMs = z.number().int().nonnegative().max(MAX_RUN_AUDIO_DURATION_MS);

/** Where one interviewer response is heard in the recording, in ms from its start. */
export const audioSegmentSchema = z
  .strictObject({
    response_id: z.string().min(1).max(200),
    start_ms: offsetMs,
    end_ms: offsetMs,
  })
  .refine((segment) => segment.end_ms >= segment.start_ms, {
    path: ['end_ms'],
    message: 'ends before it starts',
  });

/**
 * A run's recorded audio as the client sends it to `save-run-audio`. Position
 * 0 of the recording is the instant `started_at` on the run's clock, so an
 * event stamped T is heard at T - started_at.
 */
export const runAudioSchema = z
  .strictObject({
    run_id: z.uuid({ version: 'v4' }),
    content_type: z.literal(RUN_AUDIO_CONTENT_TYPE),
    started_at: isoTimestamp,
    duration_ms: offsetMs,
    /** Loudness per LOUDNESS_WINDOW_MS window, 0 (silence, -60 dBFS and below) to 100 (full scale). */
    loudness: loudnessSchema,
    /** Voice mode: the file is stereo, the simulated user's microphone on the right; its loudness. */
    user_loudness: loudnessSchema.optional(),
    segments: z.array(audioSegmentSchema).max(MAX_TURNS),
    /** The encoded file, base64 (standard alphabet, padded). */
    audio: z.base64(),
  })
  .superRefine((audio, ctx) => {
    const windows = Math.ceil(audio.duration_ms / LOUDNESS_WINDOW_MS);
    for (const key of ['loudness', 'user_loudness'] as const) {
      const levels = audio[key];
      if (levels && levels.length !== windows) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `has ${levels.length} values; ${audio.duration_ms} ms of audio has ${windows} windows of ${LOUDNESS_WINDOW_MS} ms`,
        });
      }
    }
    audio.segments.forEach((segment, index) => {
      if (segment.end_ms > audio.duration_ms) {
        ctx.addIssue({
          code: 'custom',
          path: ['segments', index, 'end_ms'],
          message: `is past the end of the audio (${audio.duration_ms} ms)`,
        });
      }
    });
  });

export type RunAudio = z.infer<typeof runAudioSchema>;
export type AudioSegment = z.infer<typeof audioSegmentSchema>;

/** The level of one window of PCM16 samples: RMS in dBFS mapped from [-60, 0] to [0, 100]. */
export function loudnessLevel(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const sample = (samples[i] as number) / 32768;
    sum += sample * sample;
  }
  const rms = Math.sqrt(sum / samples.length);
  if (rms === 0) return 0;
  const dbfs = 20 * Math.log10(rms);
  return Math.max(0, Math.min(100, Math.round(((dbfs + 60) / 60) * 100)));
}

/** The number of bytes a standard, padded base64 string decodes to. */
export function base64DecodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}
