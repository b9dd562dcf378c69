// How the browser and the runner call the project's edge functions: with the public key, never OpenAI's.
import { apiKeyHeaders } from '@core/api-keys.ts';

export interface FunctionsEndpoint {
  /** e.g. http://127.0.0.1:54321/functions/v1 */
  functionsUrl: string;
  /** The project's publishable key (or a legacy anon key). */
  anonKey: string;
}

/** What an edge function answered: its JSON (when 2xx) or its `{ error }` (when not). */
export interface FunctionAnswer<T> {
  status: number;
  data: T | null;
  error: { code?: string; message?: string } | null;
}

/**
 * POSTs to an edge function with the publishable key and reads its JSON answer; HTTP
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
    headers: { ...apiKeyHeaders(endpoint.anonKey), 'content-type': contentType },
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
