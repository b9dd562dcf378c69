import type { Scenario } from '@core/scenario.ts';
import type { BenchmarkAgents } from '../web/src/benchmark/benchmarking-service.ts';
import { createOfflineAgents, type OfflinePacing } from '../web/src/benchmark/offline-agents.ts';
import { EdgeSimulatedUser } from '../web/src/benchmark/simulated-user.ts';
import { type FunctionsEndpoint, fetchClientSecret } from '../web/src/realtime/client-secret.ts';
import { WebSocketTransport } from '../web/src/realtime/websocket-transport.ts';

export type AgentsKind = 'openai' | 'offline';

export type AgentOptions =
  | { kind: 'openai'; endpoint: FunctionsEndpoint }
  | { kind: 'offline'; pacing: OfflinePacing };

/**
 * The agents for one headless run. OpenAI: the Realtime interviewer over a
 * WebSocket with an ephemeral secret from `realtime-session` (the API key
 * stays in the edge function), the simulated user from `simulated-user`.
 * Offline: the scenario's offline script, paced as given.
 */
export function createNodeAgents(scenario: Scenario, options: AgentOptions): BenchmarkAgents {
  if (options.kind === 'offline') return createOfflineAgents(scenario, options.pacing);
  if (typeof WebSocket === 'undefined') {
    throw new Error(
      'OpenAI agents need WebSocket: run on Node 22+, or Node 20 with --experimental-websocket',
    );
  }
  return {
    transport: new WebSocketTransport({
      getClientSecret: (config) => fetchClientSecret(options.endpoint, config),
    }),
    simulatedUser: new EdgeSimulatedUser(options.endpoint, scenario.simulated_user.model),
  };
}
