import type { ClientSecret } from './client-secret.ts';
import { JsonEventTransport } from './json-event-transport.ts';
import { type SessionConfig, TransportError, type TransportHandlers } from './transport.ts';

export interface WebRtcTransportOptions {
  /** The ephemeral key and where to post the SDP offer with it (`realtime-session`). */
  getClientSecret(config: SessionConfig): Promise<Pick<ClientSecret, 'value' | 'calls_url'>>;
  /** Where the interviewer's voice plays; omitted, the audio is received but not played. */
  audioElement?: HTMLAudioElement;
  fetch?: typeof fetch;
  createPeerConnection?: () => RTCPeerConnection;
}

/**
 * The browser default, as in OpenAI's Realtime console: an SDP offer posted
 * with an ephemeral key, events on the `oai-events` data channel. No
 * microphone: the simulated user speaks in text, so audio is receive-only.
 */
export class WebRtcTransport extends JsonEventTransport {
  readonly kind = 'webrtc';
  readonly waitsForAudioPlayback = true;
  private peer: RTCPeerConnection | null = null;
  private channel: RTCDataChannel | null = null;

  constructor(private readonly options: WebRtcTransportOptions) {
    super();
  }

  async connect(config: SessionConfig, handlers: TransportHandlers): Promise<void> {
    this.handlers = handlers;
    const secret = await this.options.getClientSecret(config);
    const peer = (this.options.createPeerConnection ?? (() => new RTCPeerConnection()))();
    this.peer = peer;
    peer.addTransceiver('audio', { direction: 'recvonly' });
    peer.ontrack = (event) => {
      if (this.options.audioElement) this.options.audioElement.srcObject = event.streams[0] ?? null;
    };
    peer.onconnectionstatechange = () => {
      if (peer.connectionState === 'failed' || peer.connectionState === 'closed') {
        this.finish(`peer connection ${peer.connectionState}`);
      }
    };

    const channel = peer.createDataChannel('oai-events');
    this.channel = channel;
    channel.onmessage = (message) => this.receive(String(message.data));
    channel.onclose = () => this.finish('data channel closed');
    const opened = new Promise<void>((resolve, reject) => {
      channel.onopen = () => resolve();
      channel.onerror = () =>
        reject(new TransportError('the data channel failed to open', 'channel_error'));
    });

    const offer = await peer.createOffer();
    await peer.setLocalDescription(offer);
    const response = await (this.options.fetch ?? fetch)(secret.calls_url, {
      method: 'POST',
      body: offer.sdp,
      headers: { authorization: `Bearer ${secret.value}`, 'content-type': 'application/sdp' },
    });
    if (!response.ok) {
      this.shutdown();
      throw new TransportError(
        `OpenAI refused the call (${response.status}): ${(await response.text()).slice(0, 300)}`,
        `http_${response.status}`,
      );
    }
    await peer.setRemoteDescription({ type: 'answer', sdp: await response.text() });
    await opened;
  }

  protected isOpen(): boolean {
    return this.channel?.readyState === 'open';
  }

  protected transmit(data: string): void {
    this.channel?.send(data);
  }

  protected shutdown(): void {
    this.channel?.close();
    this.peer?.close();
  }
}
