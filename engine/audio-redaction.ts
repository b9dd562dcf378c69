import { base64DecodedLength } from '@core/run-audio.ts';

/** Audio payload fields of GA Realtime events, replaced in the saved log by their size. */
const AUDIO_EVENTS: Record<string, string> = {
  'response.output_audio.delta': 'delta',
  'input_audio_buffer.append': 'audio',
};

export interface OmittedAudio {
  omitted: 'audio';
  bytes: number;
}

/**
 * Keeps the event, drops the audio bytes: `{ omitted: "audio", bytes: N }`
 * stands in for the base64 payload, so the log stays small but still shows
 * when audio arrived and how much. Every other event is returned as is.
 */
export function redactAudio<T extends { type: string }>(event: T): T {
  const field = AUDIO_EVENTS[event.type];
  if (!field) return event;
  const value = (event as Record<string, unknown>)[field];
  if (typeof value !== 'string') return event;
  const omitted: OmittedAudio = { omitted: 'audio', bytes: base64DecodedLength(value) };
  return { ...event, [field]: omitted };
}
