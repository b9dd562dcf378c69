import { checkoutFunctions, checkoutMigrations } from '../config/checkout.ts';
import type { StackEnv } from '../config/env.ts';
import type { DoctorTarget } from './doctor.ts';

const CONSOLE_KEY_NAMES = ['VITE_SUPABASE_PUBLISHABLE_KEY', 'VITE_SUPABASE_ANON_KEY'];

/**
 * What the doctor checks, from the environment (and .env, read by readStackEnv):
 * SUPABASE_URL (default: the local stack), the browser key
 * (SUPABASE_PUBLISHABLE_KEY, else the legacy SUPABASE_ANON_KEY), the secret key
 * (SUPABASE_SECRET_KEY, else SUPABASE_SERVICE_ROLE_KEY, only when set),
 * SUPABASE_ACCESS_TOKEN and SUPABASE_PROJECT_REF for the advisors.
 */
export function doctorTargetFromEnv(
  env: StackEnv,
  vars: NodeJS.ProcessEnv = process.env,
): DoctorTarget {
  const set = (name: string) => (vars[name] ? vars[name] : undefined);
  // readStackEnv has put a legacy SUPABASE_ANON_KEY under the current name already.
  const browserKeyName =
    !set('SUPABASE_PUBLISHABLE_KEY') && set('SUPABASE_ANON_KEY')
      ? 'SUPABASE_ANON_KEY'
      : 'SUPABASE_PUBLISHABLE_KEY';
  return {
    url: env.SUPABASE_URL ?? `http://127.0.0.1:${env.BENCH_API_PORT}`,
    browserKey: env.SUPABASE_PUBLISHABLE_KEY,
    browserKeyName,
    consoleKeys: Object.fromEntries(
      CONSOLE_KEY_NAMES.flatMap((name) => (set(name) ? [[name, set(name) as string]] : [])),
    ),
    secretKey: set('SUPABASE_SECRET_KEY') ?? set('SUPABASE_SERVICE_ROLE_KEY'),
    accessToken: set('SUPABASE_ACCESS_TOKEN'),
    projectRef: set('SUPABASE_PROJECT_REF'),
    managementApiUrl: set('SUPABASE_MANAGEMENT_API_URL'),
    functions: checkoutFunctions(),
    migrations: checkoutMigrations(),
  };
}
