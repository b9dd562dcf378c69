import type { Scenario } from '../supabase/functions/_shared/scenario.ts';
import type { BenchmarkAgents } from '../web/src/benchmark/benchmarking-service.ts';
import { EdgeSimulatedUser, OfflineSimulatedUser } from '../web/src/benchmark/simulated-user.ts';
import { type FunctionsEndpoint, fetchClientSecret } from '../web/src/realtime/client-secret.ts';
import { OfflineInterviewerTransport } from '../web/src/realtime/offline-transport.ts';
import { WebSocketTransport } from '../web/src/realtime/websocket-transport.ts';

export type AgentsKind = 'openai' | 'offline';

export interface AgentOptions {
  kind: AgentsKind;
  endpoint: FunctionsEndpoint;
  /** Offline agents: questions before the closing line, and how long an interviewer turn takes. */
  offlineQuestions: number;
  offlineTurnMs: number;
}

/**
 * The agents for one headless run. OpenAI: the Realtime interviewer over a
 * WebSocket with an ephemeral secret from `realtime-session` (the API key
 * stays in the edge function), the simulated user from `simulated-user`.
 */
export function createNodeAgents(scenario: Scenario, options: AgentOptions): BenchmarkAgents {
  if (options.kind === 'offline') {
    return {
      transport: new OfflineInterviewerTransport({
        questions: options.offlineQuestions,
        terminationCue: scenario.termination.cue,
        turnMs: options.offlineTurnMs,
      }),
      simulatedUser: new OfflineSimulatedUser(Math.round(options.offlineTurnMs * 0.4)),
    };
  }
  if (typeof WebSocket === 'undefined') {
    throw new Error(
      'OpenAI agents need WebSocket: run on Node 22+, or Node 20 with --experimental-websocket',
    );
  }
  return {
    transport: new WebSocketTransport({
      getClientSecret: async (config) => (await fetchClientSecret(options.endpoint, config)).value,
    }),
    simulatedUser: new EdgeSimulatedUser(options.endpoint, scenario.simulated_user.model),
  };
}
