import { callFunction, type FunctionsEndpoint } from '../functions-client.ts';
import type { SessionConfig } from './transport.ts';
import { TransportError } from './transport.ts';

/** An ephemeral key and where to use it; the client never builds an OpenAI URL itself. */
export interface ClientSecret {
  value: string;
  expires_at: number;
  /** The Realtime WebSocket, model included (`{base}/realtime?model=…`). */
  realtime_url: string;
  /** Where WebRTC posts its SDP offer (`{base}/realtime/calls`). */
  calls_url: string;
}

/**
 * Asks the `realtime-session` edge function for an ephemeral key and the
 * Realtime URLs of the OpenAI base it is configured with: the standard OpenAI
 * key stays on the server.
 */
export async function fetchClientSecret(
  endpoint: FunctionsEndpoint,
  config: SessionConfig,
  fetchImpl: typeof fetch = fetch,
): Promise<ClientSecret> {
  const { status, data, error } = await callFunction<ClientSecret>(
    endpoint,
    'realtime-session',
    JSON.stringify({ model: config.model, voice: config.voice, instructions: config.instructions }),
    { fetchImpl },
  );
  if (!data || !('value' in data)) {
    throw new TransportError(
      error?.message ?? `realtime-session answered ${status}`,
      error?.code ?? `http_${status}`,
    );
  }
  for (const field of ['realtime_url', 'calls_url'] as const) {
    if (typeof data[field] !== 'string') {
      throw new TransportError(
        `realtime-session answered without ${field}: update the edge functions`,
        'bad_session_answer',
      );
    }
  }
  return data;
}
