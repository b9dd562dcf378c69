import type { IncomingMessage, ServerResponse } from 'node:http';
import OpusScript from 'opusscript';
import {
  MediaStreamTrack,
  useOPUS as opusCodec,
  RTCPeerConnection,
  type RTCRtpTransceiver,
  RtpHeader,
  RtpPacket,
} from 'werift';
import { SpeechSynth } from '../../engine/audio/speech-synth.ts';
import {
  type IssuedSession,
  type RealtimeSessionInput,
  serveRealtimeSession,
} from './fake-realtime.ts';

const FRAME_MS = 20;
/** RTP ticks of a 20 ms frame: Opus is clocked at 48 kHz. */
const FRAME_TICKS = 960;
const RTP_RATE = 48_000;

/** What the loopback saw of one WebRTC call, for tests to check. */
export interface FakeCall {
  id: string;
  /** The SDP offer as posted. */
  offer: string;
  /** Opus frames sent on the media track. */
  framesSent: number;
}

/** An SDP offer posted to the loopback, answered or refused, with the status it got. */
export interface PostedOffer {
  offer: string;
  status: number;
}

/** What a test may change of the loopback's WebRTC side, and what it may read back. */
export interface FakeCallsControls {
  /** Every offer posted so far, refused ones included. */
  offers(): readonly PostedOffer[];
  /**
   * Refuse offers whose audio is receive-only, as a stricter OpenAI might:
   * 400 `invalid_offer`, in OpenAI's error shape.
   */
  refuseReceiveOnlyAudio(refuse: boolean): void;
}

export interface FakeCallsOptions {
  refuseReceiveOnlyAudio?: boolean;
}

/** The message of the loopback's refusal of a receive-only audio offer. */
export const RECVONLY_AUDIO_REFUSED =
  'Invalid SDP offer: the audio m-line is recvonly; offer an audio track to send (sendrecv).';

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-expose-headers': 'location',
};

/**
 * The GA Realtime API over WebRTC at `POST {base}/realtime/calls`, as OpenAI
 * documents it: the SDP offer as `application/sdp`, authorized with an
 * ephemeral `ek_` key it minted, with an audio m-line and a data channel. A
 * real peer (werift) answers: the client's `oai-events` data channel carries
 * the same GA events as the WebSocket side, the interviewer's voice goes on
 * the Opus media track, framed by `output_audio_buffer.started` / `.stopped`,
 * and the offer's send track is the user's input audio (`userAudio`).
 */
export function createFakeRealtimeCalls(
  issued: ReadonlyMap<string, IssuedSession>,
  options: FakeCallsOptions = {},
) {
  const peers = new Set<RTCPeerConnection>();
  const calls: FakeCall[] = [];
  const offers: PostedOffer[] = [];
  let refuseReceiveOnlyAudio = options.refuseReceiveOnlyAudio ?? false;

  const handles = (req: IncomingMessage) =>
    new URL(req.url ?? '/', 'http://loopback').pathname === '/v1/realtime/calls';

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const posted = req.method === 'POST' ? { offer: body.toString('utf8'), status: 0 } : null;
    if (posted) offers.push(posted);
    const refuse = (status: number, message: string, code: string | null = null) => {
      if (posted) posted.status = status;
      res.writeHead(status, { ...CORS_HEADERS, 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code } }),
      );
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS_HEADERS, 'access-control-max-age': '600' });
      res.end();
      return;
    }
    if (req.method !== 'POST') return refuse(405, `${req.method} is not allowed here`);
    const key = /^Bearer (ek_\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const session = key ? issued.get(key) : undefined;
    if (!session) return refuse(401, 'Incorrect API key provided.', 'invalid_api_key');
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
    if (contentType !== 'application/sdp') {
      return refuse(400, `The offer must be sent as application/sdp, not ${contentType || 'none'}`);
    }
    const offer = body.toString('utf8');
    const problem = offerProblem(offer);
    if (problem) return refuse(400, `Invalid SDP offer: ${problem}`);
    if (refuseReceiveOnlyAudio && audioDirection(offer) === 'recvonly') {
      return refuse(400, RECVONLY_AUDIO_REFUSED, 'invalid_offer');
    }

    const call: FakeCall = {
      id: `rtc_loop${calls.length + 1}`,
      offer,
      framesSent: 0,
    };
    const peer = new RTCPeerConnection({
      // Like OpenAI's media servers: ICE lite, answering the browser's checks.
      iceLite: true,
      iceUseIpv6: false,
      codecs: { audio: [opusCodec()], video: [] },
    });
    peers.add(peer);
    peer.connectionStateChange.subscribe((state) => {
      if (state === 'closed' || state === 'failed') peers.delete(peer);
    });
    try {
      await peer.setRemoteDescription({ type: 'offer', sdp: offer });
      const audio = peer.getTransceivers().find((t) => t.kind === 'audio');
      if (!audio) return refuse(400, 'Invalid SDP offer: no audio transceiver');
      const voice = await voiceTrack(audio, audioDirection(offer) !== 'recvonly', call);
      let heard: RealtimeSessionInput | undefined;
      const ears = userAudio(audio, (samples) => heard?.hear(samples));
      peer.connectionStateChange.subscribe((state) => {
        if (state === 'closed' || state === 'failed') {
          voice.close();
          ears.close();
        }
      });
      peer.ondatachannel = ({ channel }) => {
        if (channel.label !== 'oai-events') return channel.close();
        const start = () => {
          heard = serveRealtimeSession(
            {
              send: (data) => {
                if (channel.readyState === 'open') channel.send(data);
              },
              onMessage: (listener) => {
                channel.onmessage = (message) => listener(String(message.data));
              },
              onClose: (listener) => {
                channel.stateChanged.subscribe((state) => {
                  if (state === 'closed') listener();
                });
              },
            },
            session,
            voice,
          );
        };
        if (channel.readyState === 'open') start();
        else channel.onopen = start;
      };
      await peer.setLocalDescription(await peer.createAnswer());
      await gathered(peer);
    } catch (error) {
      peers.delete(peer);
      await peer.close();
      return refuse(400, `Invalid SDP offer: ${(error as Error).message}`);
    }
    calls.push(call);
    if (posted) posted.status = 201;
    res.writeHead(201, {
      ...CORS_HEADERS,
      'content-type': 'application/sdp',
      location: `/v1/realtime/calls/${call.id}`,
    });
    res.end(peer.localDescription?.sdp ?? '');
  }

  const close = async () => {
    await Promise.all([...peers].map((peer) => peer.close()));
    peers.clear();
  };
  const accessor = (): readonly FakeCall[] => calls;
  const controls: FakeCallsControls = {
    offers: () => offers,
    refuseReceiveOnlyAudio: (refuse) => {
      refuseReceiveOnlyAudio = refuse;
    },
  };
  return { handles, handle, close, calls: accessor, ...controls };
}

/** The direction of an offer's first audio m-line (`sendrecv` when it names none), or null without one. */
export function audioDirection(sdp: string): string | null {
  const sections = sdp.split(/\r?\n(?=m=)/);
  const audio = sections.find((section) => section.startsWith('m=audio '));
  if (audio === undefined) return null;
  return /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(audio)?.[1] ?? 'sendrecv';
}

/** Why an offer is not one OpenAI takes, or null: an audio m-line and a data channel are required. */
export function offerProblem(sdp: string): string | null {
  if (!sdp.startsWith('v=0')) return 'not an SDP session description';
  if (!/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF /m.test(sdp)) return 'no audio m-line';
  if (!/^a=rtpmap:\d+ opus\/48000\/2/im.test(sdp)) return 'the audio m-line does not offer Opus';
  if (!/^m=application \d+ UDP\/DTLS\/SCTP webrtc-datachannel/m.test(sdp)) {
    return 'no data channel (m=application … webrtc-datachannel)';
  }
  if (!/^a=fingerprint:/m.test(sdp)) return 'no DTLS fingerprint';
  return null;
}

/**
 * The answer's audio track: a voice (the offline agents' speech-like signal,
 * encoded to Opus by libopus), 20 ms frames 20 ms apart, for as long as the
 * voice speaks — so what the browser hears and records is real audio. The
 * answer is `sendrecv` when the offer sends audio (a microphone), else
 * `sendonly`: a browser sends nothing on a track the answer will not receive.
 */
async function voiceTrack(audio: RTCRtpTransceiver, offerSends: boolean, call: FakeCall) {
  const track = new MediaStreamTrack({ kind: 'audio' });
  await audio.sender.replaceTrack(track);
  // werift makes the offer's transceiver recvonly whatever the offer's direction.
  audio.setDirection(offerSends ? 'sendrecv' : 'sendonly');
  const voice = new SpeechSynth(call.id.length, 120, RTP_RATE);
  const encoder = new OpusScript(RTP_RATE, 1, OpusScript.Application.VOIP);
  let sequenceNumber = 0;
  let timestamp = 0;
  let closed = false;
  /** Bumped by `stop`: plays started or queued before it send nothing more. */
  let generation = 0;
  let queue = Promise.resolve();
  const play = (ms: number) => {
    const own = generation;
    queue = queue.then(async () => {
      const frames = Math.ceil(ms / FRAME_MS);
      const samples = voice.word('spoken', frames * FRAME_MS);
      for (let frame = 0; frame < frames && !closed && own === generation; frame++) {
        const pcm = samples.subarray(frame * FRAME_TICKS, (frame + 1) * FRAME_TICKS);
        const payload = encoder.encode(
          Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength),
          FRAME_TICKS,
        );
        sequenceNumber = (sequenceNumber + 1) & 0xffff;
        timestamp = (timestamp + FRAME_TICKS) >>> 0;
        const header = new RtpHeader({ sequenceNumber, timestamp, marker: frame === 0 });
        await audio.sender.sendRtp(new RtpPacket(header, payload));
        call.framesSent++;
        await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
      }
    });
    return queue;
  };
  const stop = () => {
    generation++;
  };
  const close = () => {
    if (!closed) encoder.delete();
    closed = true;
  };
  return { play, stop, close };
}

/**
 * The user's audio from the offer's send track, as the session hears it:
 * Opus decoded by libopus to 48 kHz mono, halved to 24 kHz, in RTP timestamp
 * order (a late packet is dropped, a gap is heard as silence).
 */
function userAudio(audio: RTCRtpTransceiver, hear: (samples: Int16Array) => void) {
  const decoder = new OpusScript(RTP_RATE, 1, OpusScript.Application.VOIP);
  let closed = false;
  let next: number | undefined;
  const listen = (track: MediaStreamTrack) =>
    track.onReceiveRtp.subscribe((rtp) => {
      if (closed) return;
      const { timestamp } = rtp.header;
      const ahead = next === undefined ? 0 : (timestamp - next) | 0;
      if (ahead < 0) return;
      const pcm = decoder.decode(rtp.payload);
      const decoded = pcm.byteLength >> 1;
      const gap = Math.min(ahead, 10 * RTP_RATE) >> 1;
      const samples = new Int16Array(gap + (decoded >> 1));
      for (let i = 0; i < decoded >> 1; i++) {
        samples[gap + i] = (pcm.readInt16LE(4 * i) + pcm.readInt16LE(4 * i + 2)) >> 1;
      }
      next = (timestamp + decoded) >>> 0;
      hear(samples);
    });
  // The offer's track may be known already (it is once the offer is set), or come later.
  audio.receiver.tracks.forEach(listen);
  audio.onTrack.subscribe(listen);
  const close = () => {
    if (!closed) decoder.delete();
    closed = true;
  };
  return { close };
}

/** Resolves once the peer's candidates are in its local description (answers carry them all). */
function gathered(peer: RTCPeerConnection): Promise<void> {
  if (peer.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const { unSubscribe } = peer.iceGatheringStateChange.subscribe((state) => {
      if (state === 'complete') {
        unSubscribe();
        resolve();
      }
    });
  });
}
