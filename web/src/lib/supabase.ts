import { createClient } from '@supabase/supabase-js';
import type { Database } from './database.types.ts';

export type AppSupabaseClient = ReturnType<typeof createAppSupabaseClient>;

/**
 * The console only reads, as anon; writes go through edge functions. With no
 * sign-in, requests carry the anon key as their token directly, so the first
 * query does not wait for the auth client to initialise a session.
 */
export function createAppSupabaseClient(url: string, anonKey: string) {
  return createClient<Database>(url, anonKey, {
    accessToken: async () => anonKey,
  });
}
