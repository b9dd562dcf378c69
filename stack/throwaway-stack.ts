import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LOCAL_API_KEYS, LOCAL_JWT_SECRET, LOCAL_PUBLISHABLE_KEY } from '../config/env.ts';
import { type ConsoleBuildResult, ensureConsoleBuild } from './console-build.ts';
import { type ConsoleServer, serveConsole } from './console-server.ts';
import { freePort } from './processes.ts';
import { type LocalStack, type LocalStackOptions, startLocalStack } from './stack.ts';

export interface ThrowawayStack extends LocalStack {
  dataDir: string;
  /** Stops the stack and deletes its data folder. */
  dispose(): Promise<void>;
}

/** Options for a stack with the well-known keys, on free ports and a new temporary data folder. */
export async function throwawayStackOptions(
  prefix: string,
  overrides: Partial<LocalStackOptions> = {},
): Promise<LocalStackOptions> {
  return {
    dataDir: mkdtempSync(path.join(os.tmpdir(), `realtime-bench-${prefix}-`)),
    dbPort: await freePort(),
    apiPort: await freePort(),
    jwtSecret: LOCAL_JWT_SECRET,
    apiKeys: LOCAL_API_KEYS,
    allowedOrigins: '*',
    ...overrides,
  };
}

/** The local stack on free ports and a temporary data folder (tests, benchmarks). */
export async function startThrowawayStack(
  prefix: string,
  overrides: Partial<LocalStackOptions> = {},
): Promise<ThrowawayStack> {
  for (let attempt = 1; ; attempt++) {
    const options = await throwawayStackOptions(prefix, overrides);
    const { dataDir } = options;
    try {
      const stack = await startLocalStack(options);
      return {
        ...stack,
        dataDir,
        dispose: async () => {
          await stack.stop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      // A port found free can be taken before a service binds it (another process's
      // connection, say): start again on other ports.
      if (attempt >= PORT_ATTEMPTS || !tookAPort(error)) throw error;
    }
  }
}

const PORT_ATTEMPTS = 3;

function tookAPort(error: unknown): boolean {
  const text = `${(error as { code?: string }).code ?? ''} ${String(error)}`;
  return /EADDRINUSE|address already in use|is already in use|Address in use/i.test(text);
}

/**
 * The console as `npm start` serves it (production build, its own server on a
 * free port), built into `outDir` for the stack at `apiUrl` with the local
 * publishable key: what browser tests and benchmarks open.
 */
export async function serveConsoleFor(
  apiUrl: string,
  outDir: string,
): Promise<{ server: ConsoleServer; build: ConsoleBuildResult }> {
  const build = await ensureConsoleBuild({
    outDir,
    env: { VITE_SUPABASE_URL: apiUrl, VITE_SUPABASE_PUBLISHABLE_KEY: LOCAL_PUBLISHABLE_KEY },
  });
  const server = await serveConsole({ dir: outDir, host: '127.0.0.1', port: 0 });
  return { server, build };
}
