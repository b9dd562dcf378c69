import { wordErrors } from '@core/word-error-rate.ts';
import { speakText, speechWords } from '@engine/audio/offline-voice.ts';
import { pcm16ToBase64 } from '@engine/audio/pcm.ts';
import { fetchClientSecret } from '@engine/realtime/client-secret.ts';
import type { RealtimeClientEvent, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import OpusScript from 'opusscript';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from 'werift';
import WebSocket from 'ws';
import { LOCAL_ANON_KEY } from '../../config/env.ts';
import {
  LOOPBACK_INPUT_RATE,
  LOOPBACK_INTERVIEWER_LINES,
  paceResponses,
} from '../support/fake-realtime.ts';
import { apiUrl } from '../support/stack-clients.ts';

/**
 * The loopback hears input audio as the GA Realtime API does: the simulated
 * user's voice (`speakText`) is streamed over a real WebSocket, in 40 ms
 * appends sent faster than real time (the detector works on the audio clock,
 * not the wall clock).
 */

const RATE = LOOPBACK_INPUT_RATE;
const CHUNK_MS = 40;
const FIRST = 'I plan my week on Sunday evening with a paper notebook.';
const SECOND = 'Meetings that appear without warning get in the way.';
/** How long a test waits for an event before it fails naming what it saw. */
const WAIT_MS = 10_000;
/** The detector's 10 ms frames and the voice's trailing sample: how far its ends may be off. */
const END_TOLERANCE_MS = 60;

type Event = RealtimeServerEvent & Record<string, unknown>;
type Typed<T extends Event['type']> = Extract<RealtimeServerEvent, { type: T }>;

const silence = (ms: number, rate = RATE) => new Int16Array((ms * rate) / 1000);
const ms = (samples: Int16Array, rate = RATE) => (samples.length * 1000) / rate;

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** `samples` with seeded white noise whose power is `snrDb` under the speech's. */
function withNoise(samples: Int16Array, speechPower: number, snrDb: number, seed: number) {
  const rng = xoroshiro128plus(seed);
  const uniform = () => ((rng.next() >>> 0) + 0.5) / 2 ** 32;
  const sigma = Math.sqrt(speechPower / 10 ** (snrDb / 10));
  return Int16Array.from(samples, (s) => {
    const n = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return Math.max(-32768, Math.min(32767, Math.round(s + sigma * n)));
  });
}

const power = (samples: Int16Array) => samples.reduce((sum, s) => sum + s * s, 0) / samples.length;

/** Two utterances with silence around them, and where each starts and ends (ms into the stream). */
function conversation() {
  const first = speakText(FIRST, { seed: 3 });
  const second = speakText(SECOND, { seed: 3 });
  const lead = 500;
  const gap = 1500;
  const audio = concat([silence(lead), first, silence(gap), second, silence(1500)]);
  const firstEnd = lead + ms(first);
  const secondStart = firstEnd + gap;
  return {
    audio,
    speechPower: power(first),
    spoken: [
      { start: lead, end: firstEnd, words: speechWords(FIRST).join(' ') },
      { start: secondStart, end: secondStart + ms(second), words: speechWords(SECOND).join(' ') },
    ],
  };
}

const sockets: WebSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.terminate();
});

const secret = () =>
  fetchClientSecret(
    { functionsUrl: `${apiUrl()}/functions/v1`, anonKey: LOCAL_ANON_KEY },
    { model: 'gpt-realtime', voice: 'cedar', instructions: 'Interview the user.' },
  );

/** The server events of one session as they arrive, and ways to wait for them. */
function eventLog(sendRaw: (data: string) => void) {
  const events: Event[] = [];
  const waiters: Array<() => void> = [];
  const receive = (data: string) => {
    events.push(JSON.parse(data) as Event);
    for (const wake of waiters.splice(0)) wake();
  };
  const send = (event: RealtimeClientEvent) => sendRaw(JSON.stringify(event));
  /** Resolves once `count` events of `type` have arrived since the session began. */
  const until = async (type: Event['type'], count = 1): Promise<Event[]> => {
    const gaveUp = Date.now() + WAIT_MS;
    while (events.filter((e) => e.type === type).length < count) {
      const left = gaveUp - Date.now();
      if (left <= 0) {
        const seen = events.slice(-8).map((e) => e.type);
        throw new Error(`no ${count}× ${type} within ${WAIT_MS} ms; the last events: ${seen}`);
      }
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, left);
      });
    }
    return events;
  };
  const of = <T extends Event['type']>(type: T) =>
    events.filter((e) => e.type === type) as unknown as Typed<T>[];
  return {
    events,
    receive,
    send,
    until,
    of,
    async update(session: Record<string, unknown>) {
      const before = of('session.updated').length;
      send({ type: 'session.update', session: { type: 'realtime', ...session } });
      await until('session.updated', before + 1);
    },
  };
}

/** A session on the loopback over WebSocket, as the console's WebSocket transport opens one. */
async function openSession() {
  const { value, realtime_url } = await secret();
  const socket = new WebSocket(realtime_url, ['realtime', `openai-insecure-api-key.${value}`]);
  sockets.push(socket);
  const log = eventLog((data) => socket.send(data));
  socket.on('message', (data) => log.receive(String(data)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    ...log,
    /** Sends `samples` as appends of CHUNK_MS each. */
    stream(samples: Int16Array) {
      const chunk = (CHUNK_MS * RATE) / 1000;
      for (let at = 0; at < samples.length; at += chunk) {
        log.send({
          type: 'input_audio_buffer.append',
          audio: pcm16ToBase64(samples.subarray(at, at + chunk)),
        });
      }
    },
  };
}

const peers: RTCPeerConnection[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.close()));
});

/** Opus's clock, and the samples of one 20 ms frame at it. */
const OPUS_RATE = 48_000;
const OPUS_FRAME = 960;

/**
 * A WebRTC call to the loopback, as a browser places one: a send track for
 * the microphone (Opus, 20 ms frames) and the `oai-events` data channel.
 */
async function openCall() {
  const { value, calls_url } = await secret();
  const peer = new RTCPeerConnection();
  peers.push(peer);
  const microphone = peer.addTransceiver('audio', { direction: 'sendrecv' });
  await microphone.sender.replaceTrack(new MediaStreamTrack({ kind: 'audio' }));
  const channel = peer.createDataChannel('oai-events');
  const log = eventLog((data) => channel.send(data));
  channel.onmessage = (message) => log.receive(String(message.data));
  await peer.setLocalDescription(await peer.createOffer());
  const answer = await fetch(calls_url, {
    method: 'POST',
    body: peer.localDescription?.sdp,
    headers: { authorization: `Bearer ${value}`, 'content-type': 'application/sdp' },
  });
  expect(answer.status).toBe(201);
  await peer.setRemoteDescription({ type: 'answer', sdp: await answer.text() });
  await log.until('session.created');
  const encoder = new OpusScript(OPUS_RATE, 1, OpusScript.Application.AUDIO);
  encoder.setBitrate(64_000);
  let sequenceNumber = 0;
  let timestamp = 0;
  return {
    ...log,
    /** Sends 48 kHz samples as 20 ms Opus frames, four times faster than real time. */
    async stream(samples: Int16Array) {
      for (let at = 0; at + OPUS_FRAME <= samples.length; at += OPUS_FRAME) {
        const frame = samples.slice(at, at + OPUS_FRAME);
        const payload = encoder.encode(Buffer.from(frame.buffer), OPUS_FRAME);
        const header = new RtpHeader({ sequenceNumber, timestamp, marker: at === 0 });
        await microphone.sender.sendRtp(new RtpPacket(header, payload));
        sequenceNumber = (sequenceNumber + 1) & 0xffff;
        timestamp += OPUS_FRAME;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    close: () => encoder.delete(),
  };
}

type Session = Awaited<ReturnType<typeof openSession>>;

/** The event types of a user's turn and the answer that follows it, in order. */
const TURN_THEN_ANSWER = [
  'input_audio_buffer.speech_started',
  'input_audio_buffer.speech_stopped',
  'input_audio_buffer.committed',
  'conversation.item.added',
  'conversation.item.done',
  'conversation.item.input_audio_transcription.delta',
  'conversation.item.input_audio_transcription.completed',
  'response.created',
];

const typesFrom = (events: Event[], from: number) => events.slice(from).map((event) => event.type);

/** What the session heard of its turns: per turn, the events a turn detector sends. */
function turns(session: Pick<Session, 'of'>) {
  const started = session.of('input_audio_buffer.speech_started');
  const stopped = session.of('input_audio_buffer.speech_stopped');
  const committed = session.of('input_audio_buffer.committed');
  const heard = session.of('conversation.item.input_audio_transcription.completed');
  return started.map((start, i) => ({
    start,
    stop: stopped[i],
    committed: committed[i],
    heard: heard[i],
  }));
}

describe('the loopback hears input audio as the GA Realtime API does', () => {
  it.each([
    { silence_duration_ms: undefined, waits: 500 },
    { silence_duration_ms: 900, waits: 900 },
  ])(
    'server VAD (silence_duration_ms $silence_duration_ms): two turns detected, committed, transcribed and answered',
    async ({ silence_duration_ms, waits }) => {
      const session = await openSession();
      await session.update({
        audio: {
          input: {
            transcription: { model: 'whisper-1' },
            ...(silence_duration_ms
              ? { turn_detection: { type: 'server_vad', silence_duration_ms } }
              : {}),
          },
        },
      });
      const updated = session.of('session.updated')[0];
      expect(updated?.session).toMatchObject({
        audio: {
          input: {
            format: { type: 'audio/pcm', rate: 24_000 },
            transcription: { model: 'whisper-1' },
            turn_detection: {
              type: 'server_vad',
              threshold: 0.5,
              prefix_padding_ms: 300,
              silence_duration_ms: waits,
              create_response: true,
              interrupt_response: true,
            },
          },
          output: { voice: 'cedar' },
        },
      });
      const { audio, spoken } = conversation();
      const from = session.events.length;
      session.stream(audio);
      await session.until('response.done', 2);

      const types = typesFrom(session.events, from);
      const second = types.indexOf('input_audio_buffer.speech_started', 1);
      expect(types.slice(0, TURN_THEN_ANSWER.length)).toEqual(TURN_THEN_ANSWER);
      expect(types.slice(second, second + TURN_THEN_ANSWER.length)).toEqual(TURN_THEN_ANSWER);
      // The answer is complete before the user speaks again.
      expect(types.slice(0, second)).toContain('response.done');

      const heard = turns(session);
      expect(heard).toHaveLength(2);
      const answers = session.of('response.done').map((e) => e.response);
      heard.forEach(({ start, stop, committed, heard: transcript }, i) => {
        const said = spoken[i] as (typeof spoken)[number];
        // Speech is found where it starts, less the prefix padding.
        expect(start.audio_start_ms).toBeLessThanOrEqual(said.start);
        expect(start.audio_start_ms).toBeGreaterThanOrEqual(said.start - 300 - END_TOLERANCE_MS);
        // It ends after the silence the session asked for.
        expect(Math.abs((stop?.audio_end_ms ?? 0) - (said.end + waits))).toBeLessThanOrEqual(
          END_TOLERANCE_MS,
        );
        expect(stop?.item_id).toBe(start.item_id);
        expect(committed?.item_id).toBe(start.item_id);
        expect(transcript?.item_id).toBe(start.item_id);
        expect(transcript?.content_index).toBe(0);
        expect(transcript?.transcript).toBe(said.words);
        const seconds = ((stop?.audio_end_ms ?? 0) - start.audio_start_ms) / 1000;
        expect(transcript?.usage).toEqual({ type: 'duration', seconds: expect.any(Number) });
        const usage = transcript?.usage as { seconds: number };
        expect(Math.abs(usage.seconds - seconds)).toBeLessThan(0.01);
        // The answer follows the turn: the interviewer's lines in order.
        expect(answers[i]?.status).toBe('completed');
        expect(answers[i]?.output?.[0]).toMatchObject({
          content: [{ type: 'output_audio', transcript: LOOPBACK_INTERVIEWER_LINES[i] }],
        });
      });
      // The user's items sit in the conversation after what came before them.
      expect(heard[0]?.committed?.previous_item_id).toBeNull();
      expect(heard[1]?.committed?.previous_item_id).toBe(answers[0]?.output?.[0]?.id);
      const userItems = session
        .of('conversation.item.done')
        .filter((e) => e.item.type === 'message' && e.item.role === 'user');
      expect(userItems.map((e) => e.item)).toEqual(
        heard.map(({ start }) => ({
          id: start.item_id,
          object: 'realtime.item',
          type: 'message',
          role: 'user',
          status: 'completed',
          content: [{ type: 'input_audio' }],
        })),
      );
    },
  );

  it('hears noisy speech as a recogniser would: the turns still end, some words are lost', async () => {
    const session = await openSession();
    await session.update({ audio: { input: { transcription: { model: 'whisper-1' } } } });
    const { audio, spoken, speechPower } = conversation();
    session.stream(withNoise(audio, speechPower, 10, 7));
    await session.until('response.done', 2);
    const heard = turns(session);
    expect(heard).toHaveLength(2);
    let errors = 0;
    let words = 0;
    heard.forEach(({ stop, heard: transcript }, i) => {
      const said = spoken[i] as (typeof spoken)[number];
      expect(Math.abs((stop?.audio_end_ms ?? 0) - (said.end + 500))).toBeLessThanOrEqual(
        END_TOLERANCE_MS,
      );
      const wer = wordErrors(said.words, transcript?.transcript ?? '');
      errors += wer.substitutions + wer.deletions + wer.insertions;
      words += wer.reference_words;
    });
    // 10 dB under the speech costs the recogniser some words, not most of them.
    expect(errors).toBeGreaterThan(0);
    expect(errors / words).toBeLessThan(0.3);
  });

  it('with turn_detection null the client commits, and nothing answers until it asks', async () => {
    const session = await openSession();
    await session.update({
      audio: { input: { turn_detection: null, transcription: { model: 'whisper-1' } } },
    });
    expect(session.of('session.updated')[0]?.session.audio?.input?.turn_detection).toBeNull();
    const { audio, spoken } = conversation();

    session.send({ type: 'input_audio_buffer.commit', event_id: 'evt_empty' });
    await session.until('error');
    expect(session.of('error')[0]?.error).toMatchObject({
      code: 'input_audio_buffer_commit_empty',
      event_id: 'evt_empty',
    });

    const from = session.events.length;
    const firstTurn = audio.subarray(0, ((spoken[0]?.end ?? 0) + 500) * (RATE / 1000));
    session.stream(firstTurn);
    session.send({ type: 'input_audio_buffer.commit' });
    await session.until('conversation.item.input_audio_transcription.completed');
    expect(typesFrom(session.events, from)).toEqual([
      'input_audio_buffer.committed',
      'conversation.item.added',
      'conversation.item.done',
      'conversation.item.input_audio_transcription.delta',
      'conversation.item.input_audio_transcription.completed',
    ]);
    const committed = session.of('input_audio_buffer.committed')[0];
    const transcript = session.of('conversation.item.input_audio_transcription.completed')[0];
    expect(transcript?.item_id).toBe(committed?.item_id);
    expect(transcript?.transcript).toBe(spoken[0]?.words);

    session.send({ type: 'response.create' });
    await session.until('response.done');
    expect(session.of('response.done')[0]?.response.output?.[0]).toMatchObject({
      content: [{ type: 'output_audio', transcript: LOOPBACK_INTERVIEWER_LINES[0] }],
    });
    expect(session.of('input_audio_buffer.speech_started')).toEqual([]);
  });

  it('clear empties the buffer: a commit after it holds only what came later', async () => {
    const session = await openSession();
    await session.update({
      audio: { input: { turn_detection: null, transcription: { model: 'whisper-1' } } },
    });
    const first = speakText(FIRST, { seed: 3 });
    const second = speakText(SECOND, { seed: 4 });
    session.stream(concat([silence(200), first, silence(300)]));
    session.send({ type: 'input_audio_buffer.clear' });
    session.stream(concat([silence(200), second, silence(300)]));
    session.send({ type: 'input_audio_buffer.commit' });
    await session.until('conversation.item.input_audio_transcription.completed');
    expect(session.of('input_audio_buffer.cleared')).toHaveLength(1);
    expect(session.of('conversation.item.input_audio_transcription.completed')).toMatchObject([
      { transcript: speechWords(SECOND).join(' ') },
    ]);
    const usage = session.of('conversation.item.input_audio_transcription.completed')[0]?.usage;
    expect(usage?.type).toBe('duration');
    expect((usage as { seconds: number }).seconds).toBeCloseTo((ms(second) + 500) / 1000, 6);
  });

  it('reports a gpt-4o-mini-transcribe transcription in tokens (whisper-1 in seconds), as the GA API does', async () => {
    const session = await openSession();
    await session.update({
      audio: {
        input: { turn_detection: null, transcription: { model: 'gpt-4o-mini-transcribe' } },
      },
    });
    const said = speakText(SECOND, { seed: 4 });
    session.stream(concat([silence(200), said, silence(300)]));
    session.send({ type: 'input_audio_buffer.commit' });
    await session.until('conversation.item.input_audio_transcription.completed');
    const [done] = session.of('conversation.item.input_audio_transcription.completed');
    const audio = Math.ceil(((ms(said) + 500) / 1000) * 10);
    const text = Math.ceil((done?.transcript.length ?? 0) / 4);
    expect(done?.usage).toEqual({
      type: 'tokens',
      input_tokens: audio,
      output_tokens: text,
      total_tokens: audio + text,
      input_token_details: { text_tokens: 0, audio_tokens: audio },
    });
  });

  it('speech during a response cancels it (barge-in); with interrupt_response false it does not', async () => {
    const session = await openSession();
    await session.update({
      instructions: `Interview the user. ${paceResponses(150)}`,
      audio: { input: { transcription: { model: 'whisper-1' } } },
    });
    const first = speakText(FIRST, { seed: 3 });
    const second = speakText(SECOND, { seed: 3 });
    session.stream(concat([silence(500), first, silence(700)]));
    await session.until('response.created');
    // The user talks over the answer.
    session.stream(concat([second, silence(700)]));
    await session.until('response.done', 2);

    const [interrupted, next] = session.of('response.done').map((e) => e.response);
    expect(interrupted).toMatchObject({
      status: 'cancelled',
      status_details: { type: 'cancelled', reason: 'turn_detected' },
      output: [{ status: 'incomplete' }],
    });
    const cutItem = interrupted?.output?.[0] as { content: Array<{ transcript: string }> };
    const cut = cutItem.content[0]?.transcript;
    expect(LOOPBACK_INTERVIEWER_LINES[0].startsWith(cut ?? 'no transcript')).toBe(true);
    expect(cut?.length).toBeLessThan(LOOPBACK_INTERVIEWER_LINES[0].length);
    // The cancellation comes right after the speech that caused it.
    const types = typesFrom(session.events, 0);
    const barged = types.indexOf(
      'input_audio_buffer.speech_started',
      types.indexOf('response.created'),
    );
    expect(types.slice(barged, barged + 2)).toEqual([
      'input_audio_buffer.speech_started',
      'response.output_audio.done',
    ]);
    expect(types.indexOf('response.done')).toBeGreaterThan(barged);
    expect(next).toMatchObject({
      status: 'completed',
      output: [{ content: [{ transcript: LOOPBACK_INTERVIEWER_LINES[1] }] }],
    });
    // A paced response is refused a second response.create and can be cancelled by the client.
    session.send({ type: 'response.create' });
    await session.until('response.created', 3);
    session.send({ type: 'response.create', event_id: 'evt_twice' });
    await session.until('error');
    expect(session.of('error')[0]?.error).toMatchObject({
      code: 'conversation_already_has_active_response',
      event_id: 'evt_twice',
    });
    session.send({ type: 'response.cancel' });
    await session.until('response.done', 3);
    expect(session.of('response.done')[2]?.response).toMatchObject({
      status: 'cancelled',
      status_details: { reason: 'client_cancelled' },
    });

    await session.update({
      audio: { input: { turn_detection: { type: 'server_vad', interrupt_response: false } } },
    });
    session.stream(concat([first, silence(700)]));
    await session.until('response.created', 4);
    session.stream(concat([second, silence(700)]));
    // The answer plays out, then the turn spoken over it is answered.
    await session.until('response.done', 5);
    const [, , , heardOut, answeredAfter] = session.of('response.done').map((e) => e.response);
    expect(heardOut?.status).toBe('completed');
    expect(answeredAfter?.status).toBe('completed');
  });

  it('refuses audio that is not base64 PCM16 and turn detection it does not know, naming the field', async () => {
    const session = await openSession();
    session.send({ type: 'input_audio_buffer.append', audio: 'not base64!', event_id: 'evt_bad' });
    session.send({ type: 'input_audio_buffer.append', audio: 'AAAA', event_id: 'evt_odd' });
    session.send({
      type: 'session.update',
      event_id: 'evt_vad',
      session: {
        type: 'realtime',
        audio: { input: { turn_detection: { type: 'server_vad', threshold: 2 } } },
      },
    });
    await session.until('error', 3);
    expect(session.of('error').map((e) => e.error)).toMatchObject([
      { code: 'invalid_value', param: 'audio', event_id: 'evt_bad' },
      { code: 'invalid_value', param: 'audio', event_id: 'evt_odd' },
      {
        code: 'invalid_value',
        param: 'session.audio.input.turn_detection.threshold',
        event_id: 'evt_vad',
      },
    ]);
    expect(session.of('session.updated')).toEqual([]);
  });

  it('over WebRTC hears the send track: turns transcribed and answered, speech over the answer clears its audio', async () => {
    const call = await openCall();
    try {
      await call.update({ audio: { input: { transcription: { model: 'whisper-1' } } } });
      const first = speakText(FIRST, { seed: 3, sampleRate: OPUS_RATE });
      const second = speakText(SECOND, { seed: 3, sampleRate: OPUS_RATE });
      const firstEnd = 500 + ms(first, OPUS_RATE);
      const secondStart = firstEnd + 700;
      const spoken = [
        { start: 500, end: firstEnd, words: speechWords(FIRST).join(' ') },
        {
          start: secondStart,
          end: secondStart + ms(second, OPUS_RATE),
          words: speechWords(SECOND).join(' '),
        },
      ];
      await call.stream(concat([silence(500, OPUS_RATE), first, silence(700, OPUS_RATE)]));
      await call.until('output_audio_buffer.started');
      // The user speaks again while the answer is still playing.
      await call.stream(concat([second, silence(1000, OPUS_RATE)]));
      await call.until('output_audio_buffer.stopped');

      const heard = turns(call);
      expect(heard).toHaveLength(2);
      heard.forEach(({ start, stop, heard: transcript }, i) => {
        const said = spoken[i] as (typeof spoken)[number];
        expect(start.audio_start_ms).toBeLessThanOrEqual(said.start);
        // Opus delays the audio a little and rings on after the speech ends.
        expect(Math.abs((stop?.audio_end_ms ?? 0) - (said.end + 500))).toBeLessThanOrEqual(
          END_TOLERANCE_MS + 60,
        );
        expect(transcript?.item_id).toBe(start.item_id);
        expect(transcript?.transcript).toBe(said.words);
      });
      const [interrupted, answered] = call.of('response.done').map((e) => e.response);
      expect(call.of('output_audio_buffer.cleared').map((e) => e.response_id)).toEqual([
        interrupted?.id,
      ]);
      const types = typesFrom(call.events, 0);
      const cleared = types.indexOf('output_audio_buffer.cleared');
      expect(types[cleared - 1]).toBe('input_audio_buffer.speech_started');
      // Only the answer heard to its end drains.
      expect(call.of('output_audio_buffer.stopped').map((e) => e.response_id)).toEqual([
        answered?.id,
      ]);
      expect(answered?.output?.[0]).toMatchObject({
        content: [{ transcript: LOOPBACK_INTERVIEWER_LINES[1] }],
      });
    } finally {
      call.close();
    }
  });
});
