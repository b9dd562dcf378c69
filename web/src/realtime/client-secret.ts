import type { SessionConfig } from './transport.ts';
import { TransportError } from './transport.ts';

export interface FunctionsEndpoint {
  /** e.g. http://127.0.0.1:54321/functions/v1 */
  functionsUrl: string;
  anonKey: string;
}

/** What an edge function answered: its JSON (when 2xx) or its `{ error }` (when not). */
export interface FunctionAnswer<T> {
  status: number;
  data: T | null;
  error: { code?: string; message?: string } | null;
}

/**
 * POSTs to an edge function with the anon key and reads its JSON answer; HTTP
 * errors resolve (the caller decides), network errors reject.
 */
export async function callFunction<T>(
  endpoint: FunctionsEndpoint,
  name: string,
  body: string,
  {
    contentType = 'application/json',
    signal,
    fetchImpl = fetch,
  }: { contentType?: string; signal?: AbortSignal; fetchImpl?: typeof fetch } = {},
): Promise<FunctionAnswer<T>> {
  const response = await fetchImpl(`${endpoint.functionsUrl}/${name}`, {
    method: 'POST',
    signal,
    headers: { authorization: `Bearer ${endpoint.anonKey}`, 'content-type': contentType },
    body,
  });
  const json = (await response.json().catch(() => null)) as
    | (T & { error?: undefined })
    | { error?: { code?: string; message?: string }; message?: string }
    | null;
  if (response.ok && json) return { status: response.status, data: json as T, error: null };
  const error = json && 'error' in json && json.error ? json.error : null;
  const message = json && 'message' in json ? json.message : undefined;
  return {
    status: response.status,
    data: null,
    error: error ?? (typeof message === 'string' ? { message } : null),
  };
}

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
