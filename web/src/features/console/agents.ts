import type { Scenario } from '@core/scenario.ts';
import type { BenchmarkAgents, BenchmarkConfig } from '../../benchmark/benchmarking-service.ts';
import {
  createOfflineAgents,
  newOfflineSeed,
  type OfflinePacing,
} from '../../benchmark/offline-agents.ts';
import { benchmarkConfigFor } from '../../benchmark/scenario-config.ts';
import { EdgeSimulatedUser } from '../../benchmark/simulated-user.ts';
import { type FunctionsEndpoint, fetchClientSecret } from '../../realtime/client-secret.ts';
import type { SessionConfig } from '../../realtime/transport.ts';
import { WebRtcTransport } from '../../realtime/webrtc-transport.ts';
import { WebSocketTransport } from '../../realtime/websocket-transport.ts';
import type { ConsoleSettings } from './settings.ts';

export interface ConsoleRun {
  config: BenchmarkConfig;
  agents: BenchmarkAgents;
}

/** The run these settings start: its config and its agents (offline runs get a fresh seed). */
export function prepareRun(
  settings: ConsoleSettings,
  scenario: Scenario,
  endpoint: FunctionsEndpoint,
  audioElement?: HTMLAudioElement,
  pacing: OfflinePacing = { seed: newOfflineSeed() },
): ConsoleRun {
  if (settings.agents === 'offline') {
    return {
      config: benchmarkConfigFor(scenario, { agents: 'offline', pacing }),
      agents: createOfflineAgents(scenario, pacing),
    };
  }
  const getClientSecret = (config: SessionConfig) => fetchClientSecret(endpoint, config);
  return {
    config: benchmarkConfigFor(scenario, { agents: 'openai' }),
    agents: {
      transport:
        settings.transport === 'websocket'
          ? new WebSocketTransport({ getClientSecret })
          : new WebRtcTransport({ getClientSecret, audioElement }),
      simulatedUser: new EdgeSimulatedUser(endpoint, settings.simulatedUserModel),
    },
  };
}
