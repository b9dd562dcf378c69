import type { Scenario } from '../../../../supabase/functions/_shared/scenario.ts';
import type { BenchmarkAgents, BenchmarkConfig } from '../../benchmark/benchmarking-service.ts';
import { benchmarkConfigFor } from '../../benchmark/scenario-config.ts';
import { EdgeSimulatedUser, OfflineSimulatedUser } from '../../benchmark/simulated-user.ts';
import { type FunctionsEndpoint, fetchClientSecret } from '../../realtime/client-secret.ts';
import { OfflineInterviewerTransport } from '../../realtime/offline-transport.ts';
import type { SessionConfig } from '../../realtime/transport.ts';
import { WebRtcTransport } from '../../realtime/webrtc-transport.ts';
import { WebSocketTransport } from '../../realtime/websocket-transport.ts';
import type { ConsoleSettings } from './settings.ts';

export function toBenchmarkConfig(settings: ConsoleSettings, scenario: Scenario): BenchmarkConfig {
  return benchmarkConfigFor(
    scenario,
    settings.agents === 'offline'
      ? { agents: 'offline', offlineQuestions: settings.offlineQuestions }
      : { agents: 'openai' },
  );
}

/** The interviewer's transport and the simulated user for these settings. */
export function createAgents(
  settings: ConsoleSettings,
  endpoint: FunctionsEndpoint,
  audioElement?: HTMLAudioElement,
): BenchmarkAgents {
  if (settings.agents === 'offline') {
    return {
      transport: new OfflineInterviewerTransport({
        questions: settings.offlineQuestions,
        terminationCue: settings.terminationCue,
      }),
      simulatedUser: new OfflineSimulatedUser(),
    };
  }
  const getClientSecret = async (config: SessionConfig) =>
    (await fetchClientSecret(endpoint, config)).value;
  return {
    transport:
      settings.transport === 'websocket'
        ? new WebSocketTransport({ getClientSecret })
        : new WebRtcTransport({ getClientSecret, audioElement }),
    simulatedUser: new EdgeSimulatedUser(endpoint, settings.simulatedUserModel),
  };
}
