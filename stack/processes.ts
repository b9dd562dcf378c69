import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import net from 'node:net';
import type { ChildLedger } from './children.ts';

export interface Service {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Resolves once the process has exited (with a signal after a grace period if need be). */
  stop(): Promise<void>;
  /** Rejects as soon as the process exits; for racing against readiness checks. */
  exited: Promise<never>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  uid?: number;
  gid?: number;
  logFile: string;
  /** Signal for a clean stop; Postgres uses SIGINT for a fast shutdown. */
  stopSignal?: NodeJS.Signals;
  stopTimeoutMs?: number;
  /** Where the process is written down while it runs, for the next start if this one is killed. */
  ledger?: ChildLedger;
}

export function spawnService(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions,
): Service {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    uid: options.uid,
    gid: options.gid,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: Ctrl-C reaches only the stack, which stops its services in order.
    detached: true,
  });
  const { pid } = child;
  if (pid !== undefined) {
    options.ledger?.add({ name, pid, stopSignal: options.stopSignal ?? 'SIGTERM' });
    child.once('exit', () => options.ledger?.remove(pid));
  }
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });

  let exitedResolve: () => void = () => {};
  const hasExited = new Promise<void>((resolve) => {
    exitedResolve = resolve;
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => {
      exitedResolve();
      reject(new Error(`${name} could not start: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      exitedResolve();
      reject(
        new Error(
          `${name} exited (${signal ?? `code ${code}`}); last log lines:\n${tail(options.logFile)}`,
        ),
      );
    });
  });
  exited.catch(() => {});

  return {
    name,
    child,
    logFile: options.logFile,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(options.stopSignal ?? 'SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), options.stopTimeoutMs ?? 5000);
        await hasExited;
        clearTimeout(timer);
      }
      log.end();
    },
  };
}

export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  {
    timeoutMs = 30_000,
    intervalMs = 50,
    failFast,
  }: { timeoutMs?: number; intervalMs?: number; failFast?: Promise<never> } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const poll = (async () => {
    while (Date.now() < deadline) {
      if (await check().catch(() => false)) return;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  })();
  await (failFast ? Promise.race([poll, failFast]) : poll);
}

/** Resolves true if something accepts TCP connections on host:port. */
export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The settings that decide a process's clock and time zone (TZ, and libfaketime's when a test
 * moves the clock): services started with a trimmed environment keep them, so every part of
 * the stack agrees on the time.
 */
export function clockEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => name === 'TZ' || name === 'LD_PRELOAD' || name.startsWith('FAKETIME'),
    ),
  );
}

export async function assertPortFree(port: number, what: string, envVar: string): Promise<void> {
  if (!(await canListen(port))) {
    throw new Error(
      `port ${port} (${what}) is already in use: stop whatever listens there, or set ${envVar} to another port`,
    );
  }
}

/**
 * A port free right now, below the kernel's ephemeral range: a service that stops and starts
 * again on it (a restarted Postgres, a gateway brought back) cannot find it taken by some
 * process's outgoing connection, which draws its local ports from that range.
 */
export async function freePort(): Promise<number> {
  const [low, high] = FIXED_PORTS;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${low} and ${high}`);
}

/** Ports for services: above the well-known and registered ones most used, below 32768. */
const FIXED_PORTS = [20_000, ephemeralRangeStart()] as const;

function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/);
    const start = Number(low);
    return Number.isInteger(start) && start > 21_000 ? start : 32_768;
  } catch {
    return 32_768;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
