import { describe, expect, it } from 'vitest';
import { fetchClientSecret } from './client-secret.ts';

const endpoint = { functionsUrl: 'http://functions.test/functions/v1', anonKey: 'anon' };
const config = { model: 'gpt-realtime', voice: 'marin', instructions: 'Interview.' };
const answering = (body: unknown, status = 200) =>
  (async () => Response.json(body, { status })) as unknown as typeof fetch;

describe('fetchClientSecret', () => {
  it('returns the key with the Realtime URLs realtime-session gave', async () => {
    const answer = {
      value: 'ek_1',
      expires_at: 1_800_000_000,
      model: 'gpt-realtime',
      voice: 'marin',
      realtime_url: 'ws://127.0.0.1:9/v1/realtime?model=gpt-realtime',
      calls_url: 'http://127.0.0.1:9/v1/realtime/calls',
    };
    expect(await fetchClientSecret(endpoint, config, answering(answer))).toEqual(answer);
  });

  it('refuses an answer without the URLs (functions older than the console), naming the field', async () => {
    await expect(
      fetchClientSecret(endpoint, config, answering({ value: 'ek_1', expires_at: 1 })),
    ).rejects.toThrow(/realtime-session answered without realtime_url/);
    await expect(
      fetchClientSecret(
        endpoint,
        config,
        answering({ value: 'ek_1', expires_at: 1, realtime_url: 'ws://x/v1/realtime' }),
      ),
    ).rejects.toThrow(/without calls_url/);
  });

  it("passes the function's error on", async () => {
    await expect(
      fetchClientSecret(
        endpoint,
        config,
        answering({ error: { code: 'openai_key_missing', message: 'No OpenAI key' } }, 503),
      ),
    ).rejects.toMatchObject({ message: 'No OpenAI key', code: 'openai_key_missing' });
  });
});
