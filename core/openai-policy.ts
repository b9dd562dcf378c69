// What the functions accept from OpenAI callers and what they say when OpenAI cannot be used;
// the console shows the same words.

export const MISSING_KEY_MESSAGE =
  'No OpenAI key is configured for the edge functions: set OPENAI_API_KEY in .env (local stack) or with `supabase secrets set OPENAI_API_KEY=…` (hosted). The offline demo agents work without a key.';

/** `model` is one of `allowed`, or a dated snapshot of one ("gpt-realtime-2025-08-28"). */
export function isAllowedModel(model: string, allowed: readonly string[]): boolean {
  return allowed.includes(model) || allowed.includes(model.replace(/-\d{4}-\d{2}-\d{2}$/, ''));
}

export const modelNotAllowedMessage = (allowed: readonly string[]) =>
  `this model is not allowed here; use one of ${allowed.join(', ')}`;
