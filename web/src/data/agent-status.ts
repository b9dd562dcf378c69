import { getAgentStatus } from '@engine/agent-status.ts';
import type { FunctionsEndpoint } from '@engine/functions-client.ts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useBenchmarkRuntime } from '../lib/runtime-context.tsx';
import { agentStatusKeys } from './keys.ts';

export function agentStatusQueryOptions(endpoint: FunctionsEndpoint) {
  return queryOptions({
    queryKey: agentStatusKeys.endpoint(endpoint.functionsUrl),
    queryFn: () => getAgentStatus(endpoint),
    staleTime: 60_000,
  });
}

export function useAgentStatus() {
  return useQuery(agentStatusQueryOptions(useBenchmarkRuntime().endpoint));
}
