import { apiKeyHeaders } from '@core/api-keys.ts';
import { PostgrestClient } from '@supabase/postgrest-js';
import type { Database } from './database.types.ts';

export type AppSupabaseClient = ReturnType<typeof createAppSupabaseClient>;

/**
 * The console only reads, as anon, through the Data API (PostgREST); writes
 * go through edge functions. So it uses PostgREST's client alone, not the
 * whole supabase-js (auth, realtime, storage), which would be most of the
 * JavaScript every page loads first. Requests carry the publishable key in
 * `apikey` (a legacy anon key also as the bearer token), as supabase-js sends
 * them without a signed-in user.
 */
export function createAppSupabaseClient(url: string, publishableKey: string) {
  const base = url.endsWith('/') ? url : `${url}/`;
  return new PostgrestClient<Database>(new URL('rest/v1', base).href, {
    headers: apiKeyHeaders(publishableKey),
  });
}
