import * as z from 'zod/mini';

// zod/mini: this module is in the first chunk every page loads.
const webEnvSchema = z.object({
  VITE_SUPABASE_URL: z.url({ error: 'VITE_SUPABASE_URL must be the URL of the Supabase API' }),
  VITE_SUPABASE_ANON_KEY: z.string().check(z.minLength(1, 'VITE_SUPABASE_ANON_KEY is required')),
});

export type WebEnv = z.infer<typeof webEnvSchema>;

export function parseWebEnv(source: Record<string, unknown>): WebEnv {
  const result = webEnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`The console is misconfigured: ${problems}`);
  }
  return result.data;
}

export const env = parseWebEnv(import.meta.env);
