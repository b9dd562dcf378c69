import type {
  ResponseDoneEvent,
  ResponseOutputItemDoneEvent,
} from 'openai/resources/realtime/realtime';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type AssistantItem,
  type ClientEvent,
  type ServerEvent,
  toServerEvent,
  type UnstampedServerEvent,
} from './realtime-events.ts';

describe('Realtime events', () => {
  it('types the events it knows as the SDK does, and wraps the others without dropping them', () => {
    const done = toServerEvent({
      type: 'response.done',
      event_id: 'event_1',
      response: { id: 'resp_1', status: 'completed', status_details: null },
    });
    expect(done.type).toBe('response.done');
    expect(toServerEvent({ type: 'future.event', n: 1 })).toEqual({
      type: 'other:future.event',
      raw: { type: 'future.event', n: 1 },
    });

    type Done = Extract<ServerEvent, { type: 'response.done' }>;
    expectTypeOf<Done['response']['id']>().toEqualTypeOf<string>();
    expectTypeOf<Done['response']['usage']>().toEqualTypeOf<
      NonNullable<ResponseDoneEvent['response']['usage']> | undefined
    >();
    expectTypeOf<
      Extract<ServerEvent, { type: 'response.output_item.done' }>
    >().toEqualTypeOf<ResponseOutputItemDoneEvent>();
    expectTypeOf<Extract<ServerEvent, { type: 'error' }>['error']['message']>().toBeString();
  });

  it('sends only the client events the SDK declares', () => {
    const send = (event: ClientEvent) => event.type;
    expect(send({ type: 'response.create' })).toBe('response.create');
    // @ts-expect-error the GA API has no `response.start`
    send({ type: 'response.start' });
    // @ts-expect-error a session.update says which kind of session it is
    send({ type: 'session.update', session: { instructions: 'Interview.' } });
  });

  it('types a server event before its event_id as the SDK does: indices and content required', () => {
    const delta: UnstampedServerEvent = {
      type: 'response.output_audio.delta',
      response_id: 'resp_1',
      item_id: 'item_1',
      output_index: 0,
      content_index: 0,
      delta: '',
    };
    // @ts-expect-error an audio delta says which output item and content part it is of
    const unplaced: UnstampedServerEvent = {
      type: 'response.output_audio.delta',
      response_id: 'resp_1',
      item_id: 'item_1',
      delta: '',
    };
    // @ts-expect-error an assistant message lists its content parts
    const contentless: AssistantItem = { type: 'message', role: 'assistant' };
    expect([delta, unplaced, contentless].map((value) => value.type)).toEqual([
      'response.output_audio.delta',
      'response.output_audio.delta',
      'message',
    ]);
  });
});
