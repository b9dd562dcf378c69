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

/** The agents a run is to use: offline, or OpenAI over a transport. */
export type AgentsChoice =
  | { kind: 'offline' }
  | { kind: 'openai'; transport: RealtimeTransportKind };

/**
 * Why these agents cannot run `scenario`, or null. Voice mode
 * (`simulated_user.speech`) is spoken by the offline agents, and by the OpenAI
 * agents over either transport: over WebSocket the speech goes in as
 * `input_audio_buffer.append`, over WebRTC on the call's send track. The
 * simulated user does not barge in yet (`interrupt_after_ms`): a scenario
 * asking for it is refused by every agent rather than run as if it had not.
 * The agents are asked for although no answer depends on them today.
 */
export function voiceModeIssue(
  scenario: Pick<Scenario, 'simulated_user'>,
  _agents: AgentsChoice,
): { path: readonly string[]; message: string } | null {
  const speech = scenario.simulated_user.speech;
  if (!speech) return null;
  if (speech.interrupt_after_ms !== undefined) {
    return {
      path: ['simulated_user', 'speech', 'interrupt_after_ms'],
      message:
        'the simulated user does not barge in yet in this version; remove interrupt_after_ms to let it wait for the interviewer to finish',
    };
  }
  return null;
}

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
 * Offline: the
 * scenario's offline script, paced as given.
 */
export function createAgents(scenario: Scenario, options: AgentOptions): BenchmarkAgents {
  const voice = voiceModeIssue(scenario, options);
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
