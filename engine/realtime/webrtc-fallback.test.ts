import { describe, expect, it, vi } from 'vitest';
import type { TransportClose, TransportHandlers } from './transport.ts';
import type { SendAudio } from './webrtc-audio-send.ts';
import {
  refusesReceiveOnlyAudio,
  type SilentAudio,
  WebRtcTransport,
  type WebRtcTransportOptions,
} from './webrtc-transport.ts';

const session = { model: 'gpt-realtime', voice: 'marin', instructions: 'Interview.' };
const CALLS_URL = 'https://gateway.example/v1/realtime/calls';

/** OpenAI's body for a refused offer (400, `invalid_offer`). */
function refusal(message: string, status = 400, code = 'invalid_offer'): Response {
  const error = { message, type: 'invalid_request_error', param: null, code };
  return new Response(JSON.stringify({ error }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

const RECVONLY_REFUSED =
  'Invalid SDP offer: the audio m-line is recvonly; offer an audio track to send (sendrecv).';

/** A peer whose offer names its audio transceiver's direction, as a browser's SDP does. */
function fakePeer() {
  const channel = {
    readyState: 'connecting',
    onopen: null as null | (() => void),
    onmessage: null as null | ((m: { data: string }) => void),
    onclose: null as null | (() => void),
    onerror: null as null | (() => void),
    send: vi.fn(),
    close: vi.fn(() => {
      channel.readyState = 'closed';
      channel.onclose?.();
    }),
  };
  const peer = {
    audio: null as null | { track: unknown; direction: string },
    connectionState: 'new',
    ontrack: null,
    onconnectionstatechange: null as null | (() => void),
    addTransceiver(trackOrKind: unknown, init: { direction: string }) {
      peer.audio = { track: trackOrKind, direction: init.direction };
    },
    createDataChannel: () => channel,
    createOffer: async () => ({
      type: 'offer',
      sdp: `v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=${peer.audio?.direction}\r\n`,
    }),
    setLocalDescription: async () => {},
    setRemoteDescription: async () => {
      channel.readyState = 'open';
      setTimeout(() => channel.onopen?.(), 0);
    },
    close: vi.fn(() => {
      peer.connectionState = 'closed';
      peer.onconnectionstatechange?.();
    }),
  };
  return { peer, channel };
}

type Reply = () => Response | Promise<Response>;

/** A transport over fake peers and a fetch answering the offers in turn with `replies`. */
function rig(...replies: Reply[]) {
  return rigWith({}, ...replies);
}

/** `rig`, the transport made with `options` too. */
function rigWith(options: Partial<WebRtcTransportOptions>, ...replies: Reply[]) {
  const peers: Array<ReturnType<typeof fakePeer>> = [];
  const offers: string[] = [];
  const silence = { track: { kind: 'audio', id: 'silence' }, close: vi.fn() };
  const createSilentAudio = vi.fn(() => silence as unknown as SilentAudio);
  const fetchMock = vi.fn(async (_url: string, init: RequestInit) => {
    offers.push(String(init.body));
    const reply = replies[offers.length - 1];
    if (!reply) throw new Error(`unexpected offer #${offers.length}`);
    return reply();
  });
  const closes: TransportClose[] = [];
  const handlers: TransportHandlers = {
    onRaw: () => {},
    onEvent: () => {},
    onClose: (close) => closes.push(close),
  };
  const transport = new WebRtcTransport({
    getClientSecret: async () => ({ value: 'ek_abc', calls_url: CALLS_URL }),
    fetch: fetchMock as unknown as typeof fetch,
    createPeerConnection: () => {
      const created = fakePeer();
      peers.push(created);
      return created.peer as unknown as RTCPeerConnection;
    },
    createSilentAudio,
    ...options,
  });
  return {
    transport,
    peers,
    offers,
    silence,
    createSilentAudio,
    closes,
    connect: () => transport.connect(session, handlers),
  };
}

const answer = () => new Response('v=0 answer', { status: 201 });

describe('WebRtcTransport, when a receive-only audio offer is refused', () => {
  it('offers receive-only audio first, and makes no silent track when it is taken', async () => {
    const run = rig(answer);
    await run.connect();
    expect(run.offers).toEqual([expect.stringContaining('a=recvonly')]);
    expect(run.peers[0]?.peer.audio).toEqual({ track: 'audio', direction: 'recvonly' });
    expect(run.createSilentAudio).not.toHaveBeenCalled();
  });

  it('places the call once more with a silent send track (sendrecv) on a new peer', async () => {
    const run = rig(() => refusal(RECVONLY_REFUSED), answer);
    await run.connect();

    expect(run.offers).toEqual([
      expect.stringContaining('a=recvonly'),
      expect.stringContaining('a=sendrecv'),
    ]);
    expect(run.peers).toHaveLength(2);
    const [first, second] = run.peers;
    expect(first?.peer.close).toHaveBeenCalled();
    expect(second?.peer.audio).toEqual({ track: run.silence.track, direction: 'sendrecv' });
    expect(second?.peer.close).not.toHaveBeenCalled();
    // The refused peer's close is no close of the session.
    expect(run.closes).toEqual([]);
    expect(run.transport.send({ type: 'response.create' })).toBeUndefined();
    expect(second?.channel.send).toHaveBeenCalledWith('{"type":"response.create"}');

    // The silent track's Web Audio goes with the transport.
    expect(run.silence.close).not.toHaveBeenCalled();
    run.transport.close();
    expect(run.silence.close).toHaveBeenCalledTimes(1);
    expect(run.closes).toEqual([{ unexpected: false, reason: expect.any(String) }]);
  });

  it('retries once: a second refusal ends the connect with the server’s message', async () => {
    const run = rig(
      () => refusal(RECVONLY_REFUSED),
      () => refusal('Invalid SDP offer: the audio direction sendrecv is not supported here.'),
    );
    await expect(run.connect()).rejects.toThrow(
      /refused the call \(400\), with a silent send track too: .*sendrecv is not supported here/,
    );
    expect(run.offers).toHaveLength(2);
    expect(run.peers.map((p) => p.peer.close.mock.calls.length)).toEqual([1, 1]);
    expect(run.silence.close).toHaveBeenCalledTimes(1);
  });

  it('does not place the second call when the transport was closed while the first was out', async () => {
    let refuse = () => {};
    const refused = new Promise<Response>((resolve) => {
      refuse = () => resolve(refusal(RECVONLY_REFUSED));
    });
    const run = rig(() => refused);
    const connecting = run.connect();
    await vi.waitFor(() => expect(run.offers).toHaveLength(1));
    run.transport.close();
    refuse();
    await expect(connecting).rejects.toThrow(/refused the call \(400\)/);
    expect(run.offers).toHaveLength(1);
    expect(run.createSilentAudio).not.toHaveBeenCalled();
  });

  it.each([
    ['a bad key (401)', () => refusal('Incorrect API key provided.', 401, 'invalid_api_key')],
    [
      'a forbidden key, even naming the audio track (403)',
      () => refusal('This key may not send an audio track.', 403, 'forbidden'),
    ],
    ['a rate limit (429)', () => refusal('Too many calls with recvonly audio.', 429, 'rate_limit')],
    [
      'an offer malformed otherwise',
      () => refusal('Invalid SDP offer. Please try again with a WHIP-compliant offer.'),
    ],
  ])('does not retry after %s', async (_, reply) => {
    const run = rig(reply);
    await expect(run.connect()).rejects.toThrow(/refused the call \(4\d\d\): /);
    expect(run.offers).toHaveLength(1);
    expect(run.createSilentAudio).not.toHaveBeenCalled();
    expect(run.peers[0]?.peer.close).toHaveBeenCalled();
  });
});

describe('refusesReceiveOnlyAudio', () => {
  it('takes a 400 or 422 about the audio direction or track, in OpenAI’s JSON or as text', () => {
    const json = (message: string) => JSON.stringify({ error: { message } });
    expect(refusesReceiveOnlyAudio(400, json(RECVONLY_REFUSED))).toBe(true);
    expect(refusesReceiveOnlyAudio(422, json('A microphone track is required.'))).toBe(true);
    expect(refusesReceiveOnlyAudio(400, 'audio direction must be sendrecv')).toBe(true);
    expect(refusesReceiveOnlyAudio(401, json(RECVONLY_REFUSED))).toBe(false);
    expect(refusesReceiveOnlyAudio(403, json(RECVONLY_REFUSED))).toBe(false);
    expect(refusesReceiveOnlyAudio(500, json(RECVONLY_REFUSED))).toBe(false);
    expect(refusesReceiveOnlyAudio(400, json('Invalid SDP offer: no audio m-line'))).toBe(false);
    expect(refusesReceiveOnlyAudio(400, json('The offer does not offer Opus.'))).toBe(false);
  });
});

/** A send track at the boundary: what it was given to play, and whether it was released. */
function fakeMicrophone() {
  const played: Int16Array[] = [];
  const microphone = {
    track: { kind: 'audio', id: 'microphone' } as unknown as MediaStreamTrack,
    play: vi.fn((samples: Int16Array) => played.push(samples)),
    close: vi.fn(),
  };
  return { microphone, played, create: vi.fn((): SendAudio => microphone) };
}

describe('WebRtcTransport in voice mode (sendsAudio)', () => {
  it('offers sendrecv from the start with the microphone’s track, and plays sendAudio’s chunks on it', async () => {
    const mic = fakeMicrophone();
    const run = rigWith({ sendsAudio: true, createSendAudio: mic.create }, answer);
    expect(run.transport.sendAudio).toBeTypeOf('function');
    await run.connect();
    expect(run.offers).toEqual([expect.stringContaining('a=sendrecv')]);
    expect(run.peers[0]?.peer.audio).toEqual({
      track: mic.microphone.track,
      direction: 'sendrecv',
    });
    expect(run.createSilentAudio).not.toHaveBeenCalled();

    const chunk = new Int16Array(2400).fill(7);
    run.transport.sendAudio?.(chunk);
    expect(mic.played).toEqual([chunk]);
    // The audio goes on the track, not on the data channel.
    expect(run.peers[0]?.channel.send).not.toHaveBeenCalled();

    run.transport.close();
    expect(mic.microphone.close).toHaveBeenCalledTimes(1);
    run.transport.sendAudio?.(chunk);
    expect(mic.played).toHaveLength(1);
  });

  it('does not place a second call when its sendrecv offer is refused, and releases the track', async () => {
    const mic = fakeMicrophone();
    const run = rigWith({ sendsAudio: true, createSendAudio: mic.create }, () =>
      refusal('Invalid SDP offer: the audio direction sendrecv is not supported here.'),
    );
    await expect(run.connect()).rejects.toThrow(
      /^OpenAI refused the call \(400\): .*sendrecv is not supported here/,
    );
    expect(run.offers).toHaveLength(1);
    expect(run.createSilentAudio).not.toHaveBeenCalled();
    expect(mic.microphone.close).toHaveBeenCalledTimes(1);
  });

  it('has no sendAudio in text mode: the microphone, if any, goes in as events', async () => {
    const mic = fakeMicrophone();
    const run = rigWith({ createSendAudio: mic.create }, answer);
    expect(run.transport.sendAudio).toBeUndefined();
    await run.connect();
    expect(run.offers).toEqual([expect.stringContaining('a=recvonly')]);
    expect(mic.create).not.toHaveBeenCalled();
  });
});
