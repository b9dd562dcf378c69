import { apiKeyHeaders } from '@core/api-keys.ts';
import type { FunctionsEndpoint } from './functions-client.ts';

export interface AgentStatus {
  openaiConfigured: boolean;
  /** The judge models judge-run accepts; null when the function does not say. */
  judgeModels: string[] | null;
  /**
   * Shutdown dates OpenAI reports (GET /v1/models) for the models the functions
   * accept, null where none is announced; empty without a key or an answer.
   */
  shutdownDates: Record<string, string | null>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function readShutdownDates(value: unknown): Record<string, string | null> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      ([, date]) => date === null || (typeof date === 'string' && DATE.test(date)),
    ),
  );
}

/** Asks the realtime-session function whether an OpenAI key is configured, and which judges count. */
export async function getAgentStatus(endpoint: FunctionsEndpoint): Promise<AgentStatus> {
  const response = await fetch(`${endpoint.functionsUrl}/realtime-session`, {
    headers: apiKeyHeaders(endpoint.anonKey),
  });
  if (!response.ok) throw new Error(`realtime-session answered ${response.status}`);
  const body = (await response.json()) as {
    openai_configured?: boolean;
    allowed_models?: { judge_run?: unknown };
    openai_models?: { shutdown_dates?: unknown } | null;
  };
  const judgeModels = body.allowed_models?.judge_run;
  return {
    openaiConfigured: body.openai_configured === true,
    judgeModels:
      Array.isArray(judgeModels) && judgeModels.every((m) => typeof m === 'string')
        ? judgeModels
        : null,
    shutdownDates: readShutdownDates(body.openai_models?.shutdown_dates),
  };
}
