import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveConsoleFor, startThrowawayStack } from '../../stack/throwaway-stack.ts';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from '../support/fake-openai.ts';
import type { FakeCall, FakeCallsControls } from '../support/fake-realtime-webrtc.ts';

export interface OpenAiConsole extends FakeCallsControls {
  /** The console, built and served as `npm start` serves it. */
  webUrl: string;
  /** The stack's API (gateway: PostgREST and the functions). */
  apiUrl: string;
  /** The loopback OpenAI, the functions' OPENAI_BASE_URL. */
  openaiBaseUrl: string;
  /** The WebRTC calls the loopback answered. */
  calls(): readonly FakeCall[];
  close(): Promise<void>;
}

/**
 * A second stack beside the e2e one (which has no OpenAI key, so its console
 * defaults to the offline agents): its functions hold a (fake) OpenAI key and
 * send every OpenAI request to the loopback, and a console is built against
 * it, so the console's OpenAI agents run for real up to the network boundary.
 */
export async function startOpenAiConsole(): Promise<OpenAiConsole> {
  const openai = await startFakeOpenAI();
  const stack = await startThrowawayStack('e2e-openai', {
    functionEnv: { OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: openai.baseUrl },
  }).catch(async (error) => {
    await openai.close();
    throw error;
  });
  const outDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'realtime-bench-e2e-openai-')), 'c');
  const dispose = async () => {
    rmSync(path.dirname(outDir), { recursive: true, force: true });
    await stack.dispose();
    await openai.close();
  };
  try {
    const { server } = await serveConsoleFor(stack.apiUrl, outDir);
    return {
      webUrl: server.url,
      apiUrl: stack.apiUrl,
      openaiBaseUrl: openai.baseUrl,
      calls: openai.calls,
      offers: openai.offers,
      refuseReceiveOnlyAudio: openai.refuseReceiveOnlyAudio,
      close: async () => {
        await server.close();
        await dispose();
      },
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
