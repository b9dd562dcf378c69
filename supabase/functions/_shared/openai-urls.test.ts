import { describe, expect, it } from 'vitest';
import { createOpenAIClient } from './openai.ts';
import { OPENAI_DEFAULT_BASE_URL, realtimeUrls } from './openai-urls.ts';

describe('realtimeUrls', () => {
  it("are OpenAI's own for OpenAI's base", () => {
    expect(realtimeUrls(OPENAI_DEFAULT_BASE_URL, 'gpt-realtime')).toEqual({
      realtime_url: 'wss://api.openai.com/v1/realtime?model=gpt-realtime',
      calls_url: 'https://api.openai.com/v1/realtime/calls',
    });
  });

  it('follow a plain-http base (a loopback) with ws, keep its path and drop a trailing slash', () => {
    expect(realtimeUrls('http://127.0.0.1:8080/proxy/v1/', 'gpt-realtime-mini')).toEqual({
      realtime_url: 'ws://127.0.0.1:8080/proxy/v1/realtime?model=gpt-realtime-mini',
      calls_url: 'http://127.0.0.1:8080/proxy/v1/realtime/calls',
    });
  });

  it('encode the model in the query', () => {
    expect(realtimeUrls('https://gw.example/v1', 'a b&c').realtime_url).toBe(
      'wss://gw.example/v1/realtime?model=a%20b%26c',
    );
  });
});

describe('createOpenAIClient', () => {
  it("sends to OpenAI's base when none is configured, and to the configured one otherwise", () => {
    expect(createOpenAIClient({ apiKey: 'sk', timeoutMs: 1000 }).baseURL).toBe(
      OPENAI_DEFAULT_BASE_URL,
    );
    expect(
      createOpenAIClient({ apiKey: 'sk', baseURL: 'http://127.0.0.1:1/v1', timeoutMs: 1000 })
        .baseURL,
    ).toBe('http://127.0.0.1:1/v1');
  });
});
