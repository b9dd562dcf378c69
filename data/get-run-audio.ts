import type { AudioSegment } from '@core/run-audio.ts';
import type { AppSupabaseClient } from './client.ts';
import { isRunId } from './get-run.ts';
import type { TableRow } from './rows.ts';

/** Everything stored with a run's audio but the bytes (which clients may not select). */
export const RUN_AUDIO_COLUMNS =
  'run_id, content_type, started_at, duration_ms, byte_length, sha256, loudness, user_loudness, segments, created_at';

export type RunAudioInfo = Omit<TableRow<'benchmark_run_audio'>, 'audio' | 'segments'> & {
  /** jsonb: stored as the save function validated it. */
  segments: AudioSegment[];
};

/** The metadata of a run's audio, or null when the run has none (or no such run). */
export async function getRunAudioInfo(
  client: AppSupabaseClient,
  runId: string,
): Promise<RunAudioInfo | null> {
  if (!isRunId(runId)) return null;
  const { data, error } = await client
    .from('benchmark_run_audio')
    .select(RUN_AUDIO_COLUMNS)
    .eq('run_id', runId)
    .maybeSingle()
    .overrideTypes<RunAudioInfo, { merge: false }>();
  if (error) throw new Error(error.message);
  return data;
}

/**
 * The media type `public.run_audio` answers with: PostgREST sends a function
 * returning the `"audio/webm"` domain as the raw bytes when asked for it.
 */
const AUDIO_MEDIA_TYPE = 'audio/webm';

/**
 * A run's audio file as a Blob of `contentType` (the stored content_type,
 * from getRunAudioInfo), or null when the run has none. The bytes come raw
 * from `run_audio(run_id)`: postgrest-js reads every answer as text, which
 * would mangle them, so this is a plain GET with the client's URL and keys.
 */
export async function getRunAudioBlob(
  client: AppSupabaseClient,
  runId: string,
  contentType: string,
  { signal }: { signal?: AbortSignal } = {},
): Promise<Blob | null> {
  if (!isRunId(runId)) return null;
  const url = new URL(`${client.url}/rpc/run_audio`);
  url.searchParams.set('run_id', runId);
  const headers = new Headers(client.headers);
  headers.set('Accept', AUDIO_MEDIA_TYPE);
  const response = await (client.fetch ?? fetch)(url, { headers, signal });
  if (!response.ok) {
    const body = await response.text();
    let message = body.slice(0, 200);
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? message;
    } catch {
      // Not PostgREST's JSON error: the start of the body says what went wrong.
    }
    throw new Error(`run audio: HTTP ${response.status}: ${message}`);
  }
  const bytes = await response.arrayBuffer();
  // A stored recording has at least the 4-byte WebM header; no row answers an empty body.
  if (bytes.byteLength === 0) return null;
  return new Blob([bytes], { type: contentType });
}
