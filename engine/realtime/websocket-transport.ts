import type { ClientSecret } from './client-secret.ts';
import { JsonEventTransport } from './json-event-transport.ts';
import { type SessionConfig, TransportError, type TransportHandlers } from './transport.ts';

/** The standard WebSocket surface; browsers have it, Node passes one in (e.g. from `ws`). */
export type WebSocketFactory = (url: string, protocols: string[]) => WebSocket;

export interface WebSocketTransportOptions {
  /** The ephemeral key and the WebSocket URL to use it on (`realtime-session`). */
  getClientSecret(config: SessionConfig): Promise<Pick<ClientSecret, 'value' | 'realtime_url'>>;
  createSocket?: WebSocketFactory;
}

/**
 * The fallback when WebRTC is not available: events as JSON over a WebSocket,
 * authenticated with an ephemeral key in the subprotocol as OpenAI documents
 * for browsers. Audio arrives as base64 deltas; nothing is played.
 */
export class WebSocketTransport extends JsonEventTransport {
  readonly kind = 'websocket';
  readonly waitsForAudioPlayback = false;
  private socket: WebSocket | null = null;

  constructor(private readonly options: WebSocketTransportOptions) {
    super();
  }

  async connect(config: SessionConfig, handlers: TransportHandlers): Promise<void> {
    this.handlers = handlers;
    const secret = await this.options.getClientSecret(config);
    const create = this.options.createSocket ?? ((u, p) => new WebSocket(u, p));
    const socket = create(secret.realtime_url, [
      'realtime',
      `openai-insecure-api-key.${secret.value}`,
    ]);
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = () =>
        reject(new TransportError('could not open the Realtime WebSocket', 'socket_error'));
      socket.onclose = (event) =>
        reject(
          new TransportError(`WebSocket closed (${event.code}) ${event.reason}`, 'socket_closed'),
        );
    });
    socket.onmessage = (message) => this.receive(String(message.data));
    socket.onerror = null;
    socket.onclose = (event) =>
      this.finish(`WebSocket closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`);
  }

  protected isOpen(): boolean {
    return this.socket?.readyState === 1;
  }

  protected transmit(data: string): void {
    this.socket?.send(data);
  }

  protected shutdown(): void {
    this.socket?.close(1000, 'run ended');
  }
}
