import { bytesToBase64 } from '@core/base64.ts';
import { RUN_AUDIO_CONTENT_TYPE, type RunAudio } from '@core/run-audio.ts';
import type { RecordedAudio } from './run-audio-recorder.ts';

/** What `save-run-audio` takes for a run's recording. */
export function runAudioPayload(runId: string, recorded: RecordedAudio): RunAudio {
  return {
    run_id: runId,
    content_type: RUN_AUDIO_CONTENT_TYPE,
    started_at: new Date(recorded.startedAtMs).toISOString(),
    duration_ms: recorded.durationMs,
    loudness: recorded.loudness,
    ...(recorded.userLoudness ? { user_loudness: recorded.userLoudness } : {}),
    segments: recorded.segments,
    audio: bytesToBase64(recorded.bytes),
  };
}
