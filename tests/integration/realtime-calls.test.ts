import { fetchClientSecret } from '@engine/realtime/client-secret.ts';
import { describe, expect, it } from 'vitest';
import { type RTCDataChannel, RTCPeerConnection } from 'werift';
import { LOCAL_ANON_KEY } from '../../config/env.ts';
import { LOOPBACK_INTERVIEWER_LINES, LOOPBACK_MS_PER_WORD } from '../support/fake-realtime.ts';
import { audioDirection } from '../support/fake-realtime-webrtc.ts';
import { apiUrl } from '../support/stack-clients.ts';

const endpoint = () => ({ functionsUrl: `${apiUrl()}/functions/v1`, anonKey: LOCAL_ANON_KEY });

const secret = () =>
  fetchClientSecret(endpoint(), {
    model: 'gpt-realtime',
    voice: 'marin',
    instructions: 'Interview the user.',
  });

/**
 * An offer like the console's: receive-only audio (or, as in voice mode, a
 * send track too) and the `oai-events` data channel (either left out on request).
 */
async function offer(
  parts: { audio?: boolean; events?: boolean; direction?: 'recvonly' | 'sendrecv' } = {},
) {
  const peer = new RTCPeerConnection();
  if (parts.audio !== false) {
    peer.addTransceiver('audio', { direction: parts.direction ?? 'recvonly' });
  }
  const channel = parts.events !== false ? peer.createDataChannel('oai-events') : undefined;
  await peer.setLocalDescription(await peer.createOffer());
  return { peer, channel, sdp: peer.localDescription?.sdp ?? '' };
}

function post(url: string, sdp: string, headers: Record<string, string>) {
  return fetch(url, { method: 'POST', body: sdp, headers });
}

/** The next server events on the channel until (and with) the first of type `until`. */
function eventsUntil(channel: RTCDataChannel, until: string): Promise<Array<{ type: string }>> {
  const seen: Array<{ type: string }> = [];
  return new Promise((resolve) => {
    channel.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as { type: string };
      seen.push(event);
      if (event.type === until) resolve(seen);
    };
  });
}

describe('the loopback answers WebRTC calls like OpenAI (POST {base}/realtime/calls)', () => {
  it('answers an application/sdp offer with an ephemeral key: GA events on oai-events, the voice on Opus', async () => {
    const { value, calls_url } = await secret();
    const { peer, channel, sdp } = await offer();
    let packets = 0;
    peer.ontrack = ({ track }) => {
      track.onReceiveRtp.subscribe(() => {
        packets++;
      });
    };
    try {
      const answer = await post(calls_url, sdp, {
        authorization: `Bearer ${value}`,
        'content-type': 'application/sdp',
      });
      expect(answer.status).toBe(201);
      expect(answer.headers.get('content-type')).toBe('application/sdp');
      expect(answer.headers.get('location')).toMatch(/^\/v1\/realtime\/calls\/rtc_/);
      const answerSdp = await answer.text();
      expect(answerSdp).toMatch(/^m=audio .*\r?\n(?:.*\r?\n)*?a=sendonly/m);
      expect(answerSdp).toMatch(/^m=application \d+ UDP\/DTLS\/SCTP webrtc-datachannel/m);

      if (!channel) throw new Error('no data channel');
      const created = eventsUntil(channel, 'session.created');
      await peer.setRemoteDescription({ type: 'answer', sdp: answerSdp });
      expect((await created).map((e) => e.type)).toEqual(['session.created']);

      const turn = eventsUntil(channel, 'output_audio_buffer.stopped');
      channel.send(JSON.stringify({ type: 'response.create', event_id: 'evt_1' }));
      const types = (await turn).map((e) => e.type);
      expect(types[0]).toBe('response.created');
      expect(types).toContain('output_audio_buffer.started');
      expect(types).toContain('response.output_audio_transcript.done');
      // Over WebRTC the audio is on the media track, never in deltas; the buffer drains after response.done.
      expect(types).not.toContain('response.output_audio.delta');
      expect(types.indexOf('response.done')).toBeLessThan(types.indexOf('rate_limits.updated'));
      expect(types.at(-1)).toBe('output_audio_buffer.stopped');
      const words = LOOPBACK_INTERVIEWER_LINES[0].split(' ').length;
      await expect.poll(() => packets).toBe((words * LOOPBACK_MS_PER_WORD) / 20);
    } finally {
      await peer.close();
    }
  });

  it('answers an offer that sends audio (voice mode’s microphone) sendrecv, so a browser sends its track', async () => {
    const { value, calls_url } = await secret();
    const { peer, sdp } = await offer({ direction: 'sendrecv' });
    try {
      const answer = await post(calls_url, sdp, {
        authorization: `Bearer ${value}`,
        'content-type': 'application/sdp',
      });
      expect(answer.status).toBe(201);
      expect(audioDirection(await answer.text())).toBe('sendrecv');
    } finally {
      await peer.close();
    }
  });

  it('refuses what OpenAI refuses: another key, another content type, an offer without audio or a data channel', async () => {
    const { value, calls_url } = await secret();
    const good = await offer();
    const noEvents = await offer({ events: false });
    const noAudio = await offer({ audio: false });
    const sdpHeaders = { authorization: `Bearer ${value}`, 'content-type': 'application/sdp' };
    try {
      expect(
        (await post(calls_url, good.sdp, { ...sdpHeaders, authorization: 'Bearer ek_other' }))
          .status,
      ).toBe(401);
      expect((await post(calls_url, good.sdp, { 'content-type': 'application/sdp' })).status).toBe(
        401,
      );
      const json = await post(calls_url, JSON.stringify({ sdp: good.sdp }), {
        ...sdpHeaders,
        'content-type': 'application/json',
      });
      expect(json.status).toBe(400);
      expect((await json.json()).error.message).toMatch(/application\/sdp/);
      const withoutEvents = await post(calls_url, noEvents.sdp, sdpHeaders);
      expect(withoutEvents.status).toBe(400);
      expect((await withoutEvents.json()).error.message).toMatch(/no data channel/);
      const withoutAudio = await post(calls_url, noAudio.sdp, sdpHeaders);
      expect(withoutAudio.status).toBe(400);
      expect((await withoutAudio.json()).error.message).toMatch(/no audio m-line/);
    } finally {
      await Promise.all([good, noEvents, noAudio].map(({ peer }) => peer.close()));
    }
  });

  it('lets a browser page post the offer (CORS preflight)', async () => {
    const { calls_url } = await secret();
    const preflight = await fetch(calls_url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(
      /authorization.*content-type/,
    );
  });
});
