import type { RawEventRecord, ServerEvent } from '@core/realtime-events.ts';
import { describe, expect, it, vi } from 'vitest';
import type { TransportClose, TransportHandlers } from './transport.ts';
import { WebRtcTransport } from './webrtc-transport.ts';
import { WebSocketTransport } from './websocket-transport.ts';

const session = { model: 'gpt-realtime', voice: 'marin', instructions: 'Interview.' };

function recorder() {
  const raw: RawEventRecord[] = [];
  const events: ServerEvent[] = [];
  const closes: TransportClose[] = [];
  const handlers: TransportHandlers = {
    onRaw: (record) => raw.push(record),
    onEvent: (event) => events.push(event),
    onClose: (close) => closes.push(close),
  };
  return { raw, events, closes, handlers };
}

/** Just enough of a browser WebSocket to drive the transport. */
class FakeSocket {
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    setTimeout(() => {
      this.readyState = 1;
      this.onopen?.();
    }, 0);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
}

describe('WebSocketTransport', () => {
  async function connected() {
    let socket: FakeSocket | undefined;
    const transport = new WebSocketTransport({
      getClientSecret: async () => ({
        value: 'ek_123',
        realtime_url: 'ws://127.0.0.1:9/gateway/v1/realtime?model=gpt-realtime',
      }),
      createSocket: (url, protocols) => {
        socket = new FakeSocket(url, protocols);
        return socket as unknown as WebSocket;
      },
    });
    const rec = recorder();
    await transport.connect(session, rec.handlers);
    return { transport, socket: socket as FakeSocket, ...rec };
  }

  it('connects with the ephemeral key as a subprotocol, at the URL realtime-session gave', async () => {
    const { socket } = await connected();
    expect(socket.url).toBe('ws://127.0.0.1:9/gateway/v1/realtime?model=gpt-realtime');
    expect(socket.protocols).toEqual(['realtime', 'openai-insecure-api-key.ek_123']);
  });

  it('sends JSON, reports every event raw with its direction, and types what it receives', async () => {
    const { transport, socket, raw, events } = await connected();
    transport.send({ type: 'response.create' });
    expect(socket.sent).toEqual(['{"type":"response.create"}']);
    socket.onmessage?.({
      data: '{"type":"response.done","response":{"id":"r1","status":"completed"},"extra":[1]}',
    });
    socket.onmessage?.({ data: '{"type":"future.event","x":1}' });
    expect(raw.map((r) => [r.direction, r.event.type])).toEqual([
      ['client', 'response.create'],
      ['server', 'response.done'],
      ['server', 'future.event'],
    ]);
    expect(raw[1]?.event).toEqual({
      type: 'response.done',
      response: { id: 'r1', status: 'completed' },
      extra: [1],
    });
    expect(events.map((e) => e.type)).toEqual(['response.done', 'other:future.event']);
  });

  it('tells an unexpected close from one it asked for', async () => {
    const dropped = await connected();
    dropped.socket.onclose?.({ code: 1006, reason: '' });
    expect(dropped.closes).toEqual([{ unexpected: true, reason: 'WebSocket closed (1006)' }]);

    const ended = await connected();
    ended.transport.close();
    ended.socket.onclose?.({ code: 1000, reason: 'run ended' });
    expect(ended.closes).toEqual([{ unexpected: false, reason: 'closed by client' }]);
    expect(() => ended.transport.send({ type: 'response.create' })).toThrow(/not connected/);
  });
});

describe('WebRtcTransport', () => {
  function fakePeer() {
    const channel = {
      readyState: 'connecting',
      label: '',
      sent: [] as string[],
      onopen: null as null | (() => void),
      onmessage: null as null | ((m: { data: string }) => void),
      onclose: null as null | (() => void),
      onerror: null as null | (() => void),
      send(data: string) {
        this.sent.push(data);
      },
      close: vi.fn(),
    };
    const peer = {
      transceivers: [] as Array<[string, unknown]>,
      remote: null as unknown,
      connectionState: 'new',
      ontrack: null,
      onconnectionstatechange: null as null | (() => void),
      addTransceiver(kind: string, init: unknown) {
        this.transceivers.push([kind, init]);
      },
      createDataChannel(label: string) {
        channel.label = label;
        return channel;
      },
      createOffer: async () => ({ type: 'offer', sdp: 'v=0 offer' }),
      setLocalDescription: async () => {},
      async setRemoteDescription(description: unknown) {
        this.remote = description;
        channel.readyState = 'open';
        setTimeout(() => channel.onopen?.(), 0);
      },
      close: vi.fn(),
    };
    return { peer, channel };
  }

  it('posts the SDP offer with the ephemeral key, receive-only audio, on the oai-events channel', async () => {
    const { peer, channel } = fakePeer();
    const fetchMock = vi.fn(async () => new Response('v=0 answer', { status: 201 }));
    const transport = new WebRtcTransport({
      getClientSecret: async () => ({
        value: 'ek_abc',
        calls_url: 'https://gateway.example/v1/realtime/calls',
      }),
      fetch: fetchMock as unknown as typeof fetch,
      createPeerConnection: () => peer as unknown as RTCPeerConnection,
    });
    const rec = recorder();
    await transport.connect(session, rec.handlers);

    expect(peer.transceivers).toEqual([['audio', { direction: 'recvonly' }]]);
    expect(channel.label).toBe('oai-events');
    expect(fetchMock).toHaveBeenCalledWith('https://gateway.example/v1/realtime/calls', {
      method: 'POST',
      body: 'v=0 offer',
      headers: { authorization: 'Bearer ek_abc', 'content-type': 'application/sdp' },
    });
    expect(peer.remote).toEqual({ type: 'answer', sdp: 'v=0 answer' });

    transport.send({ type: 'response.create' });
    expect(channel.sent).toEqual(['{"type":"response.create"}']);
    channel.onmessage?.({ data: '{"type":"output_audio_buffer.stopped","response_id":"r1"}' });
    expect(rec.events).toEqual([{ type: 'output_audio_buffer.stopped', response_id: 'r1' }]);
    expect(transport.waitsForAudioPlayback).toBe(true);

    peer.connectionState = 'failed';
    peer.onconnectionstatechange?.();
    expect(rec.closes).toEqual([{ unexpected: true, reason: 'peer connection failed' }]);
  });

  it('fails to connect with OpenAI’s message when the call is refused', async () => {
    const { peer } = fakePeer();
    const transport = new WebRtcTransport({
      getClientSecret: async () => ({
        value: 'ek_expired',
        calls_url: 'https://api.openai.com/v1/realtime/calls',
      }),
      fetch: (async () =>
        new Response('{"error":{"message":"Invalid ephemeral key"}}', {
          status: 401,
        })) as unknown as typeof fetch,
      createPeerConnection: () => peer as unknown as RTCPeerConnection,
    });
    await expect(transport.connect(session, recorder().handlers)).rejects.toThrow(
      /refused the call \(401\).*Invalid ephemeral key/,
    );
    expect(peer.close).toHaveBeenCalled();
  });
});
