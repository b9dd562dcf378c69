import type { Scenario } from '@core/scenario.ts';
import type { BenchmarkAgents } from './benchmarking-service.ts';
import type { FunctionsEndpoint } from './functions-client.ts';
import { createOfflineAgents, type OfflinePacing } from './offline-agents.ts';
import { fetchClientSecret } from './realtime/client-secret.ts';
import type { SessionConfig } from './realtime/transport.ts';
import { WebRtcTransport } from './realtime/webrtc-transport.ts';
import { WebSocketTransport } from './realtime/websocket-transport.ts';
import { EdgeSimulatedUser } from './simulated-user.ts';

export type AgentsKind = 'openai' | 'offline';

/**
 * Why `kind` agents cannot run `scenario` yet, or null. Voice mode
 * (`simulated_user.speech`) is spoken by the offline agents; the OpenAI
 * simulated user of this version only types, so such a scenario is refused
 * for them before its run starts, rather than run in text under a voice version.
 */
export function voiceModeIssue(
  scenario: Pick<Scenario, 'simulated_user'>,
  kind: AgentsKind,
): { path: readonly ['simulated_user', 'speech']; message: string } | null {
  if (!scenario.simulated_user.speech || kind === 'offline') return null;
  return {
    path: ['simulated_user', 'speech'],
    message:
      'voice mode runs with the offline agents only in this version (the OpenAI simulated user cannot speak yet); use the offline agents, or remove simulated_user.speech to run the scenario in text',
  };
}
export type RealtimeTransportKind = 'webrtc' | 'websocket';

export type AgentOptions =
  | { kind: 'offline'; pacing: OfflinePacing }
  | {
      kind: 'openai';
      endpoint: FunctionsEndpoint;
      transport: RealtimeTransportKind;
      /** Where WebRTC plays the interviewer (the browser's <audio>); WebSocket ignores it. */
      audioElement?: HTMLAudioElement;
    };

/**
 * The agents of one run, for the console and the runner alike. OpenAI: the
 * Realtime interviewer over WebRTC or a WebSocket with an ephemeral secret from
 * `realtime-session` (the API key stays in the edge function), the simulated
 * user from `simulated-user` with the scenario's model. Offline: the
 * scenario's offline script, paced as given.
 */
export function createAgents(scenario: Scenario, options: AgentOptions): BenchmarkAgents {
  const voice = voiceModeIssue(scenario, options.kind);
  if (voice) throw new Error(`${voice.path.join('.')}: ${voice.message}`);
  if (options.kind === 'offline') return createOfflineAgents(scenario, options.pacing);
  if (options.transport === 'websocket' && typeof WebSocket === 'undefined') {
    throw new Error(
      'OpenAI agents need WebSocket: run on Node 22+, or Node 20 with --experimental-websocket',
    );
  }
  const getClientSecret = (config: SessionConfig) => fetchClientSecret(options.endpoint, config);
  return {
    transport:
      options.transport === 'websocket'
        ? new WebSocketTransport({ getClientSecret })
        : new WebRtcTransport({ getClientSecret, audioElement: options.audioElement }),
    simulatedUser: new EdgeSimulatedUser(options.endpoint, scenario.simulated_user.model),
  };
}
