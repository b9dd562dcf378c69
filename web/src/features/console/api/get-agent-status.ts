import { queryOptions, useQuery } from '@tanstack/react-query';
import type { FunctionsEndpoint } from '../../../realtime/client-secret.ts';
import { useBenchmarkRuntime } from '../runtime-context.tsx';
import { consoleKeys } from './keys.ts';

export interface AgentStatus {
  openaiConfigured: boolean;
}

/** Asks the realtime-session function whether an OpenAI key is configured. */
export async function getAgentStatus(endpoint: FunctionsEndpoint): Promise<AgentStatus> {
  const response = await fetch(`${endpoint.functionsUrl}/realtime-session`, {
    headers: { authorization: `Bearer ${endpoint.anonKey}` },
  });
  if (!response.ok) throw new Error(`realtime-session answered ${response.status}`);
  const body = (await response.json()) as { openai_configured?: boolean };
  return { openaiConfigured: body.openai_configured === true };
}

export function agentStatusQueryOptions(endpoint: FunctionsEndpoint) {
  return queryOptions({
    queryKey: consoleKeys.agentStatus(endpoint.functionsUrl),
    queryFn: () => getAgentStatus(endpoint),
    staleTime: 60_000,
  });
}

export function useAgentStatus() {
  return useQuery(agentStatusQueryOptions(useBenchmarkRuntime().endpoint));
}
