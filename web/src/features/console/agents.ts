import type { BenchmarkAgents, BenchmarkConfig } from '../../benchmark/benchmarking-service.ts';
import { EdgeSimulatedUser, OfflineSimulatedUser } from '../../benchmark/simulated-user.ts';
import { type FunctionsEndpoint, fetchClientSecret } from '../../realtime/client-secret.ts';
import { OfflineInterviewerTransport } from '../../realtime/offline-transport.ts';
import type { SessionConfig } from '../../realtime/transport.ts';
import { WebRtcTransport } from '../../realtime/webrtc-transport.ts';
import { WebSocketTransport } from '../../realtime/websocket-transport.ts';
import type { ConsoleSettings } from './settings.ts';

export function toBenchmarkConfig(settings: ConsoleSettings): BenchmarkConfig {
  return {
    interviewerPrompt: settings.interviewerPrompt,
    simulatedUserPrompt: settings.simulatedUserPrompt,
    model: settings.agents === 'offline' ? 'offline-interviewer' : settings.interviewerModel,
    voice: settings.voice,
    maxTurns: settings.maxTurns,
    terminationCue: settings.terminationCue,
    turnTimeoutMs: settings.turnTimeoutSeconds * 1000,
    labels:
      settings.agents === 'offline'
        ? { agents: 'offline', offline_questions: settings.offlineQuestions }
        : { agents: 'openai', simulated_user_model: settings.simulatedUserModel },
  };
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
