import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CriterionScore } from '../../../../../supabase/functions/_shared/judge.ts';
import { useSupabase } from '../../../lib/supabase-context.tsx';
import type { FunctionsEndpoint } from '../../../realtime/client-secret.ts';
import { useBenchmarkRuntime } from '../../console/runtime-context.tsx';

export interface Judgement {
  judgement_id: string;
  judged_at: string;
  judge_model: string;
  rubric_hash: string;
  status: 'ok' | 'error';
  scores: CriterionScore[];
  overall_score: number | null;
  summary: string | null;
  error: string | null;
}

const judgementKeys = { run: (runId: string) => ['judgements', runId] as const };

/** A run's judgements, newest first (the history is kept). */
export function useJudgements(runId: string) {
  const client = useSupabase();
  return useQuery({
    queryKey: judgementKeys.run(runId),
    queryFn: async () => {
      const { data, error } = await client
        .from('run_judgements')
        .select(
          'judgement_id, judged_at, judge_model, rubric_hash, status, scores, overall_score, summary, error',
        )
        .eq('run_id', runId)
        .order('judged_at', { ascending: false })
        .limit(50);
      if (error) throw new Error(error.message);
      return data as unknown as Judgement[];
    },
  });
}

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

export function useJudgeRun(runId: string) {
  const { endpoint } = useBenchmarkRuntime();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => judgeRun(endpoint, runId),
    // A refused answer is recorded too: refresh the history either way.
    onSettled: () => queryClient.invalidateQueries({ queryKey: judgementKeys.run(runId) }),
  });
}
