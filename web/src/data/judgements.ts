import { getJudgements } from '@data/get-judgements.ts';
import { judgeRun } from '@engine/judge-client.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useBenchmarkRuntime } from '../lib/runtime-context.tsx';
import { useSupabase } from '../lib/supabase-context.tsx';
import { judgementKeys } from './keys.ts';

export function useJudgements(runId: string) {
  const client = useSupabase();
  return useQuery({
    queryKey: judgementKeys.run(runId),
    queryFn: () => getJudgements(client, runId),
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
