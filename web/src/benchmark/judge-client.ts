import type { StoredJudgement } from '../../../supabase/functions/judge-run/judge-store.ts';
import { callFunction, type FunctionsEndpoint } from '../realtime/client-secret.ts';

/** A judgement as judge-run returns it and run_judgements stores it. */
export type Judgement = StoredJudgement;

/** POSTs to `judge-run`; the API's message becomes the error (a missing key says so). */
export async function judgeRun(endpoint: FunctionsEndpoint, runId: string): Promise<Judgement> {
  const { status, data, error } = await callFunction<Judgement>(
    endpoint,
    'judge-run',
    JSON.stringify({ run_id: runId }),
  );
  if (status !== 201 || !data) throw new Error(error?.message ?? `judge-run answered ${status}`);
  return data;
}
