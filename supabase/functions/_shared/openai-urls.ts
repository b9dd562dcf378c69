/**
 * Every OpenAI address the project uses, derived from one base URL
 * (OPENAI_BASE_URL of the functions; OpenAI's own when unset). The browser and
 * the runner never build these themselves: `realtime-session` hands them over
 * with the ephemeral key.
 */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface RealtimeUrls {
  /** The Realtime WebSocket for one model: `{base}/realtime?model=…`, http→ws, https→wss. */
  realtime_url: string;
  /** Where a WebRTC client posts its SDP offer: `{base}/realtime/calls`. */
  calls_url: string;
}

function trimmed(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

export function realtimeUrls(baseUrl: string, model: string): RealtimeUrls {
  const base = trimmed(baseUrl);
  return {
    realtime_url: `${base.replace(/^http/i, 'ws')}/realtime?model=${encodeURIComponent(model)}`,
    calls_url: `${base}/realtime/calls`,
  };
}
