import { type Judgement, judgeRun } from '@engine/judge-client.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSupabase } from '../../../lib/supabase-context.tsx';
import { useBenchmarkRuntime } from '../../console/runtime-context.tsx';

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

export function useJudgeRun(runId: string) {
  const { endpoint } = useBenchmarkRuntime();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => judgeRun(endpoint, runId),
    // A refused answer is recorded too: refresh the history either way.
    onSettled: () => queryClient.invalidateQueries({ queryKey: judgementKeys.run(runId) }),
  });
}
