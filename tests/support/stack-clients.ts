import { apiKeyHeaders } from '@core/api-keys.ts';
import { createAppSupabaseClient } from '@data/client.ts';
import { SignJWT } from 'jose';
import postgres from 'postgres';
import { inject } from 'vitest';
import {
  LOCAL_ANON_KEY,
  LOCAL_JWT_SECRET,
  LOCAL_PUBLISHABLE_KEY,
  LOCAL_SERVICE_ROLE_KEY,
} from '../../config/env.ts';

export const apiUrl = () => inject('apiUrl');
export const saveRunUrl = () => `${inject('apiUrl')}/functions/v1/save-benchmark-run`;

/** A superuser connection for setting up and inspecting; switch roles with `set local role`. */
export function adminSql() {
  return postgres(inject('dbUrl'), { max: 2, onnotice: () => {} });
}

export function anonClient() {
  return createAppSupabaseClient(inject('apiUrl'), LOCAL_PUBLISHABLE_KEY);
}

/** A signed-in user's JWT, as Supabase Auth would issue it. */
export async function authenticatedToken(): Promise<string> {
  return new SignJWT({ role: 'authenticated', sub: crypto.randomUUID(), aud: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(LOCAL_JWT_SECRET));
}

/** Saves with the publishable key in `apikey`, or with `token` alone as the bearer token. */
export function saveRun(
  body: unknown,
  init: { token?: string; headers?: Record<string, string> } = {},
) {
  return fetch(saveRunUrl(), {
    method: 'POST',
    headers: {
      ...(init.token
        ? { authorization: `Bearer ${init.token}` }
        : apiKeyHeaders(LOCAL_PUBLISHABLE_KEY)),
      'content-type': 'application/json',
      ...init.headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export { LOCAL_ANON_KEY, LOCAL_PUBLISHABLE_KEY, LOCAL_SERVICE_ROLE_KEY };
