import type { JWK } from 'jose';
import type { TestProject } from 'vitest/node';
import { startThrowawayStack } from '../../stack/throwaway-stack.ts';
import { FAKE_OPENAI_KEY, startFakeOpenAI, TEST_CALLER_HEADER } from '../support/fake-openai.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    dbUrl: string;
    logsDir: string;
    /** The private half of the stack's ES256 signing key, to sign user JWTs as hosted Auth would. */
    signingJwk: JWK;
    /** The loopback OpenAI's base URL, the functions' OPENAI_BASE_URL. */
    openaiBaseUrl: string;
  }
}

/**
 * The real stack (Postgres, PostgREST, Deno functions, gateway) on free ports
 * and a throwaway data folder; OpenAI is a loopback fake.
 */
export default async function setup(project: TestProject) {
  const openai = await startFakeOpenAI();
  const stack = await startThrowawayStack('test', {
    functionEnv: {
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      OPENAI_BASE_URL: openai.baseUrl,
      // Tests name their caller themselves, whatever the gateway does with x-forwarded-for.
      OPENAI_CALLER_HEADER: TEST_CALLER_HEADER,
    },
  });
  project.provide('apiUrl', stack.apiUrl);
  project.provide('dbUrl', stack.dbUrl);
  project.provide('logsDir', stack.logsDir);
  project.provide('signingJwk', stack.signingJwk);
  project.provide('openaiBaseUrl', openai.baseUrl);
  return async () => {
    await stack.dispose();
    await openai.close();
  };
}
