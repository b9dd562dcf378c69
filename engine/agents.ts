import type { Scenario } from '@core/scenario.ts';
import type { BenchmarkAgents } from './benchmarking-service.ts';
import type { FunctionsEndpoint } from './functions-client.ts';
import { createOfflineAgents, type OfflinePacing } from './offline-agents.ts';
import { fetchClientSecret } from './realtime/client-secret.ts';
import type { SessionConfig } from './realtime/transport.ts';
import { WebRtcTransport } from './realtime/webrtc-transport.ts';
import { WebSocketTransport } from './realtime/websocket-transport.ts';
import { EdgeSimulatedUser } from './simulated-user.ts';
import { EdgeUserVoice } from './user-voice.ts';

export type AgentsKind = 'openai' | 'offline';

export type RealtimeTransportKind = 'webrtc' | 'websocket';

export type AgentOptions =
  | { kind: 'offline'; pacing: OfflinePacing }
  | {
      kind: 'openai';
      endpoint: FunctionsEndpoint;
      transport: RealtimeTransportKind;
      /** Where WebRTC plays the interviewer (the browser's <audio>); WebSocket ignores it. */
      audioElement?: HTMLAudioElement;
      /** Voice mode: seeds the microphone's noise (random when not given). */
      noiseSeed?: number;
    };

/**
 * The agents of one run, for the console and the runner alike. OpenAI: the
 * Realtime interviewer over WebRTC or a WebSocket with an ephemeral secret from
 * `realtime-session` (the API key stays in the edge function), the simulated
 * user from `simulated-user` with the scenario's model, and in voice mode its
 * voice from the same function (over WebRTC on the call's send track).
 * Offline: the scenario's offline script, paced as given.
 */
export function createAgents(scenario: Scenario, options: AgentOptions): BenchmarkAgents {
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
        : new WebRtcTransport({
            getClientSecret,
            audioElement: options.audioElement,
            sendsAudio: Boolean(scenario.simulated_user.speech),
          }),
    simulatedUser: new EdgeSimulatedUser(options.endpoint, scenario.simulated_user.model),
    ...(scenario.simulated_user.speech
      ? {
          userVoice: new EdgeUserVoice(
            options.endpoint,
            scenario.simulated_user.speech,
            options.noiseSeed,
          ),
        }
      : {}),
  };
}
