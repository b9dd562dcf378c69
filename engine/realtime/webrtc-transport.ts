import type { ClientSecret } from './client-secret.ts';
import { JsonEventTransport } from './json-event-transport.ts';
import { type SessionConfig, TransportError, type TransportHandlers } from './transport.ts';
import { type AudioCapture, captureWithWebAudio } from './webrtc-audio-capture.ts';
import { type SendAudio, sendWithWebAudio } from './webrtc-audio-send.ts';

/** A send track that carries silence, and how to release what makes it. */
export interface SilentAudio {
  track: MediaStreamTrack;
  close(): void;
}

export interface WebRtcTransportOptions {
  /** The ephemeral key and where to post the SDP offer with it (`realtime-session`). */
  getClientSecret(config: SessionConfig): Promise<Pick<ClientSecret, 'value' | 'calls_url'>>;
  /** Where the interviewer's voice plays; omitted, the audio is received but not played. */
  audioElement?: HTMLAudioElement;
  fetch?: typeof fetch;
  createPeerConnection?: () => RTCPeerConnection;
  /** The silent send track of the fallback offer; by default from Web Audio. */
  createSilentAudio?: () => SilentAudio;
  /**
   * Voice mode: the call sends the microphone on its audio track
   * (`sendrecv` from the first offer), fed by `sendAudio`.
   */
  sendsAudio?: boolean;
  /** The microphone's send track in voice mode; by default from Web Audio (`sendWithWebAudio`). */
  createSendAudio?: () => SendAudio;
  /** Taps the interviewer's track for the recording; Web Audio by default where there is one, null for none. */
  captureAudio?: AudioCapture | null;
}

interface Call {
  peer: RTCPeerConnection;
  channel: RTCDataChannel;
  opened: Promise<void>;
}

interface OfferReply {
  ok: boolean;
  status: number;
  body: string;
}

/**
 * The browser default, as in OpenAI's Realtime console: an SDP offer posted
 * with an ephemeral key, events on the `oai-events` data channel. In text
 * mode there is no microphone, so audio is receive-only; should the server
 * refuse a receive-only audio offer, the call is placed once more with a
 * silent send track (`sendrecv`). In voice mode (`sendsAudio`) the offer is
 * `sendrecv` from the start, its send track the simulated user's microphone:
 * OpenAI takes input audio over WebRTC on the media track, not as events.
 */
export class WebRtcTransport extends JsonEventTransport {
  readonly kind = 'webrtc';
  readonly waitsForAudioPlayback = true;
  private peer: RTCPeerConnection | null = null;
  private channel: RTCDataChannel | null = null;
  private silentAudio: SilentAudio | null = null;
  private microphone: SendAudio | null = null;
  private stopCapture: (() => void) | null = null;
  private closeRequested = false;

  /** Voice mode only: plays the microphone's audio on the send track. */
  readonly sendAudio?: (samples: Int16Array) => void;

  constructor(private readonly options: WebRtcTransportOptions) {
    super();
    if (options.sendsAudio) this.sendAudio = (samples) => this.microphone?.play(samples);
  }

  async connect(config: SessionConfig, handlers: TransportHandlers): Promise<void> {
    this.handlers = handlers;
    const secret = await this.options.getClientSecret(config);
    if (this.options.sendsAudio && !this.closeRequested) {
      this.microphone = (this.options.createSendAudio ?? sendWithWebAudio)();
    }
    let call = this.startCall(this.microphone?.track ?? null);
    let reply = await this.postOffer(call.peer, secret);
    let retried = false;
    // A refused receive-only offer is retried with silence; closed while it was out, no second call.
    if (
      !reply.ok &&
      !this.microphone &&
      !this.closeRequested &&
      refusesReceiveOnlyAudio(reply.status, reply.body)
    ) {
      this.abandon(call);
      this.silentAudio = (this.options.createSilentAudio ?? sendWithWebAudio)();
      call = this.startCall(this.silentAudio.track);
      reply = await this.postOffer(call.peer, secret);
      retried = true;
    }
    if (!reply.ok) {
      this.shutdown();
      const attempt = retried ? ', with a silent send track too' : '';
      throw new TransportError(
        `OpenAI refused the call (${reply.status})${attempt}: ${reply.body.slice(0, 300)}`,
        `http_${reply.status}`,
      );
    }
    await call.peer.setRemoteDescription({ type: 'answer', sdp: reply.body });
    await call.opened;
  }

  /** A peer with its audio transceiver (receive-only, or sending `sendTrack`) and the events channel. */
  private startCall(sendTrack: MediaStreamTrack | null): Call {
    const peer = (this.options.createPeerConnection ?? (() => new RTCPeerConnection()))();
    this.peer = peer;
    if (sendTrack) peer.addTransceiver(sendTrack, { direction: 'sendrecv' });
    else peer.addTransceiver('audio', { direction: 'recvonly' });
    peer.ontrack = (event) => {
      const stream = event.streams[0] ?? new MediaStream([event.track]);
      if (this.options.audioElement) this.options.audioElement.srcObject = stream;
      this.stopCapture?.();
      this.stopCapture =
        this.capture()?.(stream, (audio) => this.handlers?.onAudio?.(audio)) ?? null;
    };
    peer.onconnectionstatechange = () => {
      if (peer !== this.peer) return;
      if (peer.connectionState === 'failed' || peer.connectionState === 'closed') {
        this.finish(`peer connection ${peer.connectionState}`);
      }
    };

    const channel = peer.createDataChannel('oai-events');
    this.channel = channel;
    channel.onmessage = (message) => this.receive(String(message.data));
    channel.onclose = () => {
      if (channel === this.channel) this.finish('data channel closed');
    };
    const opened = new Promise<void>((resolve, reject) => {
      channel.onopen = () => resolve();
      channel.onerror = () =>
        reject(new TransportError('the data channel failed to open', 'channel_error'));
    });
    return { peer, channel, opened };
  }

  private async postOffer(
    peer: RTCPeerConnection,
    secret: Pick<ClientSecret, 'value' | 'calls_url'>,
  ): Promise<OfferReply> {
    const offer = await peer.createOffer();
    await peer.setLocalDescription(offer);
    const response = await (this.options.fetch ?? fetch)(secret.calls_url, {
      method: 'POST',
      body: offer.sdp,
      headers: { authorization: `Bearer ${secret.value}`, 'content-type': 'application/sdp' },
    });
    return { ok: response.ok, status: response.status, body: await response.text() };
  }

  /** Closes a refused call's peer without reporting the session closed. */
  private abandon(call: Call): void {
    this.peer = null;
    this.channel = null;
    call.opened.catch(() => {});
    call.channel.close();
    call.peer.close();
  }

  override close(): void {
    this.closeRequested = true;
    super.close();
  }

  protected isOpen(): boolean {
    return this.channel?.readyState === 'open';
  }

  protected transmit(data: string): void {
    this.channel?.send(data);
  }

  private capture(): AudioCapture | null {
    if (this.options.captureAudio !== undefined) return this.options.captureAudio;
    return typeof AudioContext === 'undefined' ? null : captureWithWebAudio;
  }

  protected shutdown(): void {
    this.stopCapture?.();
    this.stopCapture = null;
    this.channel?.close();
    this.peer?.close();
    this.silentAudio?.close();
    this.silentAudio = null;
    this.microphone?.close();
    this.microphone = null;
  }
}

/** Words of a refusal about the offer's audio direction or its missing send track. */
const AUDIO_DIRECTION_WORDS =
  /\b(recvonly|sendrecv|sendonly|direction|microphone)\b|\b(audio|send) (track|input|source)\b/i;

/**
 * Whether a refused offer is one a silent send track can cure: a 400 or 422
 * whose message is about the audio direction or track. A bad key (401/403),
 * a rate limit or any other malformed offer is not retried.
 */
export function refusesReceiveOnlyAudio(status: number, body: string): boolean {
  if (status !== 400 && status !== 422) return false;
  return AUDIO_DIRECTION_WORDS.test(serverMessage(body));
}

/** OpenAI's `error.message`, or the body as it came when it is not OpenAI's JSON. */
function serverMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as { error?: { message?: unknown } }).error?.message;
    return typeof message === 'string' ? message : body;
  } catch {
    return body;
  }
}
