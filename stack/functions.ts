import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { functionsDir } from '../config/checkout.ts';
import { repoRoot } from '../config/env.ts';
import type { ChildLedger } from './children.ts';
import { packageDir } from './packages.ts';
import { freePort, isListening, type Service, spawnService, waitFor } from './processes.ts';

/** The deno binary the `deno` package installed, or its platform package's if the install script was skipped. */
export function denoBinary(): string {
  const denoDir = packageDir('deno');
  const platformDir = path.join(denoDir, '..', '@deno');
  const candidates = [
    path.join(denoDir, 'deno'),
    ...(existsSync(platformDir)
      ? readdirSync(platformDir)
          .filter((name) => name.startsWith(`${process.platform}-${process.arch}`))
          .map((name) => path.join(platformDir, name, 'deno'))
      : []),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error('the deno binary is missing: run `npm install` on this machine');
  return found;
}

export interface FunctionHandle {
  name: string;
  port: number;
  /** The serving Deno process (a new one after a restart). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

interface FunctionOptions {
  env: NodeJS.ProcessEnv;
  logsDir: string;
  log?: (line: string) => void;
  ledger?: ChildLedger;
}

async function launch(name: string, port: number, options: FunctionOptions): Promise<Service> {
  const dir = path.join(functionsDir, name);
  const service = spawnService(
    `function ${name}`,
    denoBinary(),
    [
      'run',
      '--quiet',
      '--allow-net',
      '--allow-env',
      '--allow-read',
      '--allow-sys',
      // A heap sized like a hosted function's (256 MB in all) and a small young
      // generation: V8 then collects a save's buffers and parsed copy soon and the
      // process stays near its live memory; with V8's defaults a loaded save
      // function ran at about twice it. A function that runs out is restarted
      // (below), as the hosted runtime replaces a worker over its limit.
      '--v8-flags=--max-old-space-size=128,--max-semi-space-size=2',
      `--config=${path.join(dir, 'deno.json')}`,
      path.join(repoRoot, 'stack', 'function-host.ts'),
      String(port),
      path.join(dir, 'index.ts'),
    ],
    {
      cwd: dir,
      env: options.env,
      logFile: path.join(options.logsDir, `function-${name}.log`),
      ledger: options.ledger,
    },
  );
  await waitFor(`edge function ${name}`, () => isListening(port), {
    failFast: service.exited,
    timeoutMs: 60_000,
  });
  return service;
}

/**
 * Serves one edge function under Deno on its own port, and starts it again on
 * the same port if it dies (as the edge runtime would start a new worker).
 */
export async function startFunction(
  name: string,
  options: FunctionOptions,
): Promise<FunctionHandle> {
  const port = await freePort();
  let service = await launch(name, port, options);
  let stopping = false;
  const supervise = (current: Service) => {
    current.exited.catch(async () => {
      if (stopping) return;
      options.log?.(`function ${name} exited; starting it again`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (stopping) return;
      try {
        service = await launch(name, port, options);
        supervise(service);
      } catch (error) {
        options.log?.(`function ${name} could not be started again: ${(error as Error).message}`);
      }
    });
  };
  supervise(service);
  return {
    name,
    port,
    get pid() {
      return service.child.pid;
    },
    stop: async () => {
      stopping = true;
      await service.stop();
    },
  };
}
