import { type QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import {
  BenchmarkRuntimeProvider,
  useBenchmarkRuntime,
} from '../features/console/runtime-context.tsx';
import { runKeys } from '../features/results/api/keys.ts';
import type { AppSupabaseClient } from '../lib/supabase.ts';
import { SupabaseProvider } from '../lib/supabase-context.tsx';
import type { FunctionsEndpoint } from '../realtime/client-secret.ts';

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

/** A run saved in the background (say, after a reload) shows up in lists already on screen. */
function RefreshResultsOnSave() {
  const { outbox } = useBenchmarkRuntime();
  const queryClient = useQueryClient();
  useEffect(
    () =>
      outbox.onDelivered(() => void queryClient.invalidateQueries({ queryKey: runKeys.lists() })),
    [outbox, queryClient],
  );
  return null;
}
