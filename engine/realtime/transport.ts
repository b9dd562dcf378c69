import {
  type ClientEvent,
  type FunctionTool,
  type RawEventRecord,
  type ServerEvent,
  toServerEvent,
} from '@core/realtime-events.ts';

export interface SessionConfig {
  model: string;
  voice: string;
  instructions: string;
  tools?: FunctionTool[];
}

export interface TransportClose {
  /** True when the session ended without the client asking (network drop, server close). */
  unexpected: boolean;
  reason: string;
}

/** The interviewer's voice as it is heard: PCM16 mono at RUN_AUDIO_SAMPLE_RATE. */
export interface HeardAudio {
  samples: Int16Array;
  /** When its first sample is heard (epoch ms); now when omitted. */
  atMs?: number;
  /** The response it belongs to, when the transport knows. */
  responseId?: string;
}

export interface TransportHandlers {
  onEvent(event: ServerEvent): void;
  /** Audio that arrives outside events (a WebRTC media track, the offline voice). */
  onAudio?(audio: HeardAudio): void;
  /** Every event sent and received, raw, with its time: the event log's source. */
  onRaw(record: RawEventRecord): void;
  onClose(close: TransportClose): void;
}

/** One Realtime session: connect, a stream of typed server events, send, close. */
export interface RealtimeTransport {
  readonly kind: 'webrtc' | 'websocket' | 'offline';
  /** Over WebRTC the audio is still playing after response.done, until output_audio_buffer.stopped. */
  readonly waitsForAudioPlayback: boolean;
  connect(config: SessionConfig, handlers: TransportHandlers): Promise<void>;
  send(event: ClientEvent): void;
  /**
   * The microphone's audio (PCM16 mono at RUN_AUDIO_SAMPLE_RATE), on transports
   * with a media track to send it on: they take it there, not as
   * `input_audio_buffer.append` events.
   */
  sendAudio?(samples: Int16Array): void;
  close(): void;
}

export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** Hands one server message to the caller: raw for the event log, typed for the logic. */
export function relayServerMessage(handlers: TransportHandlers | null, data: string): void {
  let raw: RawEventRecord['event'];
  try {
    raw = JSON.parse(data);
  } catch {
    raw = { type: 'transport.unparseable_message', data };
  }
  handlers?.onRaw({ direction: 'server', timestamp: nowIso(), event: raw });
  handlers?.onEvent(toServerEvent(raw));
}
