import type { StoredJudgement } from '../../../supabase/functions/judge-run/judge-store.ts';
import type { FunctionsEndpoint } from '../realtime/client-secret.ts';

/** A judgement as judge-run returns it and run_judgements stores it. */
export type Judgement = StoredJudgement;

/** POSTs to `judge-run`; the API's message becomes the error (a missing key says so). */
export async function judgeRun(endpoint: FunctionsEndpoint, runId: string): Promise<Judgement> {
  const response = await fetch(`${endpoint.functionsUrl}/judge-run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${endpoint.anonKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ run_id: runId }),
  });
  const body = (await response.json().catch(() => null)) as
    | (Judgement & { error?: { message?: string } })
    | null;
  if (response.status !== 201 || !body) {
    throw new Error(body?.error?.message ?? `judge-run answered ${response.status}`);
  }
  return body;
}
