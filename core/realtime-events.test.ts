import type {
  ResponseDoneEvent,
  ResponseOutputItemDoneEvent,
} from 'openai/resources/realtime/realtime';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type ClientEvent, type ServerEvent, toServerEvent } from './realtime-events.ts';

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
});
