import type { SessionConfig } from './transport.ts';
import { TransportError } from './transport.ts';

export interface FunctionsEndpoint {
  /** e.g. http://127.0.0.1:54321/functions/v1 */
  functionsUrl: string;
  anonKey: string;
}

export interface ClientSecret {
  value: string;
  expires_at: number;
}

/**
 * Asks the `realtime-session` edge function for an ephemeral key: the standard
 * OpenAI key stays on the server.
 */
export async function fetchClientSecret(
  endpoint: FunctionsEndpoint,
  config: SessionConfig,
  fetchImpl: typeof fetch = fetch,
): Promise<ClientSecret> {
  const response = await fetchImpl(`${endpoint.functionsUrl}/realtime-session`, {
    method: 'POST',
    headers: { authorization: `Bearer ${endpoint.anonKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: config.model,
      voice: config.voice,
      instructions: config.instructions,
    }),
  });
  const body = (await response.json().catch(() => null)) as
    | (ClientSecret & { error?: undefined })
    | { error?: { code?: string; message?: string } }
    | null;
  if (!response.ok || !body || !('value' in body)) {
    const error = body?.error;
    throw new TransportError(
      error?.message ?? `realtime-session answered ${response.status}`,
      error?.code ?? `http_${response.status}`,
    );
  }
  return body;
}
