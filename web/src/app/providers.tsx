import type { AppSupabaseClient } from '@data/client.ts';
import type { FunctionsEndpoint } from '@engine/functions-client.ts';
import { type QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { comparisonKeys, runKeys, scenarioKeys, trendKeys } from '../data/keys.ts';
import { BenchmarkRuntimeProvider, useBenchmarkRuntime } from '../lib/runtime-context.tsx';
import { SupabaseProvider } from '../lib/supabase-context.tsx';

export function AppProviders({
  queryClient,
  supabase,
  functions,
  children,
}: {
  queryClient: QueryClient;
  supabase: AppSupabaseClient;
  functions: FunctionsEndpoint;
  children: ReactNode;
}) {
  return (
    <SupabaseProvider client={supabase}>
      <QueryClientProvider client={queryClient}>
        <BenchmarkRuntimeProvider endpoint={functions}>
          <RefreshResultsOnSave />
          {children}
        </BenchmarkRuntimeProvider>
      </QueryClientProvider>
    </SupabaseProvider>
  );
}

/**
 * What a saved run changes: the run lists, its scenario version (stored, last run) and every
 * aggregate over runs. Run details and judgements of other runs stay as they are.
 */
const CHANGED_BY_A_SAVE = [
  runKeys.lists(),
  scenarioKeys.all,
  comparisonKeys.all,
  trendKeys.all,
] as const;

/** A run saved in the background (say, after a reload) shows up on pages already on screen. */
function RefreshResultsOnSave() {
  const { outbox } = useBenchmarkRuntime();
  const queryClient = useQueryClient();
  useEffect(
    () =>
      outbox.onDelivered(() => {
        for (const queryKey of CHANGED_BY_A_SAVE) void queryClient.invalidateQueries({ queryKey });
      }),
    [outbox, queryClient],
  );
  return null;
}
