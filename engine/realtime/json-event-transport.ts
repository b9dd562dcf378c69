import type { ClientEvent, RawEventRecord } from '@core/realtime-events.ts';
import {
  nowIso,
  type RealtimeTransport,
  relayServerMessage,
  type SessionConfig,
  TransportError,
  type TransportHandlers,
} from './transport.ts';

/**
 * What the WebRTC data channel and the WebSocket share: JSON events each way,
 * every one reported raw, and one close report, flagged unexpected unless the
 * client asked for it.
 */
export abstract class JsonEventTransport implements RealtimeTransport {
  abstract readonly kind: RealtimeTransport['kind'];
  abstract readonly waitsForAudioPlayback: boolean;
  protected handlers: TransportHandlers | null = null;
  private closing = false;
  private closed = false;

  abstract connect(config: SessionConfig, handlers: TransportHandlers): Promise<void>;
  protected abstract isOpen(): boolean;
  protected abstract transmit(data: string): void;
  protected abstract shutdown(): void;

  send(event: ClientEvent): void {
    if (!this.isOpen()) {
      throw new TransportError('the Realtime session is not connected', 'not_connected');
    }
    this.transmit(JSON.stringify(event));
    this.handlers?.onRaw({
      direction: 'client',
      timestamp: nowIso(),
      event: { ...event } as RawEventRecord['event'],
    });
  }

  close(): void {
    this.closing = true;
    this.shutdown();
    this.finish('closed by client');
  }

  protected receive(data: string): void {
    relayServerMessage(this.handlers, data);
  }

  protected finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers?.onClose({ unexpected: !this.closing, reason });
  }
}
