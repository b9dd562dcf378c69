import type { FunctionsEndpoint } from './functions-client.ts';

export interface AgentStatus {
  openaiConfigured: boolean;
  /** The judge models judge-run accepts; null when the function does not say. */
  judgeModels: string[] | null;
}

/** Asks the realtime-session function whether an OpenAI key is configured, and which judges count. */
export async function getAgentStatus(endpoint: FunctionsEndpoint): Promise<AgentStatus> {
  const response = await fetch(`${endpoint.functionsUrl}/realtime-session`, {
    headers: { authorization: `Bearer ${endpoint.anonKey}` },
  });
  if (!response.ok) throw new Error(`realtime-session answered ${response.status}`);
  const body = (await response.json()) as {
    openai_configured?: boolean;
    allowed_models?: { judge_run?: unknown };
  };
  const judgeModels = body.allowed_models?.judge_run;
  return {
    openaiConfigured: body.openai_configured === true,
    judgeModels:
      Array.isArray(judgeModels) && judgeModels.every((m) => typeof m === 'string')
        ? judgeModels
        : null,
  };
}
