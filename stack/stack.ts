import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MAX_BODY_BYTES } from '@core/benchmark-run.ts';
import { MAX_RUN_AUDIO_BODY_BYTES } from '@core/run-audio.ts';
import type { JSONWebKeySet, JWK } from 'jose';
import { checkoutFunctions } from '../config/checkout.ts';
import type { StackApiKeys } from '../config/env.ts';
import { openChildLedger, stopLeftoverChildren } from './children.ts';
import { functionsWithoutJwtCheck } from './function-config.ts';
import { type FunctionHandle, startFunction } from './functions.ts';
import { type Gateway, startGateway } from './gateway.ts';
import { acquireLock } from './lock.ts';
import { bootstrapDatabase, migrate } from './migrate.ts';
import { type PostgresHandle, startPostgres, stopLeftoverPostgres } from './postgres.ts';
import { type PostgrestHandle, startPostgrest } from './postgrest.ts';
import { assertPortFree, clockEnv, freePort } from './processes.ts';
import { loadOrCreateSigningKey, postgrestJwks } from './signing-key.ts';

/** A key as the JSON dictionary of named keys hosted projects give functions, or nothing. */
const namedKeys = (key: string | undefined) =>
  key === undefined ? undefined : JSON.stringify({ default: key });
const present = (key: string | undefined) => (key === undefined ? [] : [key]);

export interface LocalStackOptions {
  dataDir: string;
  dbPort: number;
  apiPort: number;
  /** The legacy HS256 JWT secret (the legacy keys are signed with it). */
  jwtSecret: string;
  /** The keys the stack accepts and gives its functions. */
  apiKeys: StackApiKeys;
  allowedOrigins: string[] | '*';
  /** Largest body save-benchmark-run accepts; the gateway refuses bigger uploads itself. */
  maxBodyBytes?: number;
  /** Extra environment for the edge functions (their secrets). */
  functionEnv?: Record<string, string | undefined>;
  log?: (line: string) => void;
}

export interface LocalStack {
  apiUrl: string;
  /** PostgREST itself, behind the gateway (for measuring the gateway's cost). */
  postgrestUrl: string;
  dbUrl: string;
  logsDir: string;
  functions: string[];
  /** The public keys user JWTs are verified with (the hosted `SUPABASE_JWKS`). */
  jwks: JSONWebKeySet;
  /** The private half of the stack's ES256 signing key, to sign user JWTs with. */
  signingJwk: JWK;
  /** Process ids of the services (the gateway runs in this process). */
  pids(): { postgres?: number; postgrest?: number; functions: Record<string, number | undefined> };
  /** Takes the gateway off its port (everything behind it keeps running), as an outage would. */
  stopGateway(): Promise<void>;
  /** Serves the gateway on its port again after `stopGateway`. */
  startGateway(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Postgres, applies migrations, then PostgREST, every edge function and
 * the gateway. Stops in reverse, the gateway last, so "gateway down" means
 * everything is down.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  mkdirSync(options.dataDir, { recursive: true });
  chmodSync(options.dataDir, 0o755);
  const logsDir = path.join(options.dataDir, 'logs');
  mkdirSync(logsDir, { recursive: true });

  const releaseLock = acquireLock(options.dataDir);
  // With the lock held, whatever an earlier stack on this folder left running is ours to stop,
  // and must be stopped before its ports are checked.
  try {
    await stopLeftoverChildren(options.dataDir, log);
    await stopLeftoverPostgres(options.dataDir, log);
  } catch (error) {
    releaseLock();
    throw error;
  }
  let db: PostgresHandle | undefined;
  let postgrest: PostgrestHandle | undefined;
  const functions: FunctionHandle[] = [];
  let gateway: Gateway | undefined;

  let stopping = false;
  let restartingDb: Promise<void> | null = null;
  const ledger = openChildLedger(options.dataDir);
  const postgresOptions = { dataDir: options.dataDir, logsDir, port: options.dbPort, log, ledger };
  /** Postgres that dies is started again; PostgREST and the functions reconnect by themselves. */
  const superviseDb = (handle: PostgresHandle) => {
    handle.service.exited.catch(() => {
      if (stopping) return;
      log('postgres    exited; starting it again');
      restartingDb = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        if (stopping) return;
        try {
          db = await startPostgres(postgresOptions);
          superviseDb(db);
          log('postgres    ready again');
        } catch (error) {
          log(`postgres    could not be started again: ${(error as Error).message}`);
        }
      })();
    });
  };

  const stop = async () => {
    stopping = true;
    await Promise.all(functions.map((fn) => fn.stop()));
    await postgrest?.stop();
    await restartingDb;
    await db?.stop();
    await gateway?.close();
    releaseLock();
  };

  try {
    await assertPortFree(options.apiPort, 'API gateway', 'BENCH_API_PORT');
    await assertPortFree(options.dbPort, 'Postgres', 'BENCH_DB_PORT');

    db = await startPostgres(postgresOptions);
    superviseDb(db);
    log(`postgres    ready on ${options.dbPort}`);
    await bootstrapDatabase(db.url);
    const migrated = await migrate(db.url);
    const applied = migrated.match(/Applying migration/g)?.length ?? 0;
    log(`migrations  ${applied > 0 ? `applied ${applied}` : 'up to date'}`);

    const signingKey = await loadOrCreateSigningKey(options.dataDir);
    const [postgrestPort, adminPort] = [await freePort(), await freePort()];
    postgrest = await startPostgrest({
      dbPort: options.dbPort,
      port: postgrestPort,
      adminPort,
      jwtSecret: postgrestJwks(options.jwtSecret, signingKey.jwks),
      logsDir,
      ledger,
    });
    log('postgrest   ready');

    const apiUrl = `http://127.0.0.1:${options.apiPort}`;
    const functionEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DENO_DIR: process.env.DENO_DIR,
      NPM_CONFIG_REGISTRY: process.env.NPM_CONFIG_REGISTRY,
      HTTPS_PROXY: process.env.HTTPS_PROXY,
      HTTP_PROXY: process.env.HTTP_PROXY,
      NO_PROXY: process.env.NO_PROXY,
      // Trust the OS store too, so npm: packages install behind TLS-inspecting proxies.
      DENO_TLS_CA_STORE: process.env.DENO_TLS_CA_STORE ?? 'mozilla,system',
      SUPABASE_URL: apiUrl,
      // The keys as hosted projects give them to functions: the new ones as JSON
      // dictionaries of named keys, the legacy ones alone, and the JWKS.
      // (A kind the stack does not accept is left out: spawn ignores undefined values.)
      SUPABASE_PUBLISHABLE_KEYS: namedKeys(options.apiKeys.publishable),
      SUPABASE_SECRET_KEYS: namedKeys(options.apiKeys.secret),
      SUPABASE_ANON_KEY: options.apiKeys.anon,
      SUPABASE_SERVICE_ROLE_KEY: options.apiKeys.serviceRole,
      // The stack's callers may hold legacy keys beside the new ones (see _shared/api-key.ts).
      ACCEPT_LEGACY_API_KEYS: 'true',
      SUPABASE_JWKS: JSON.stringify(signingKey.jwks),
      SUPABASE_DB_URL: db.url,
      SAVE_RUN_MAX_BYTES: String(maxBodyBytes),
      ...clockEnv(),
      ...options.functionEnv,
    };
    const names = checkoutFunctions();
    functions.push(
      ...(await Promise.all(
        names.map((name) => startFunction(name, { env: functionEnv, logsDir, log, ledger })),
      )),
    );
    log(`functions   ${names.join(', ')}`);

    const gatewayOptions = {
      port: options.apiPort,
      jwtSecret: options.jwtSecret,
      jwks: signingKey.jwks,
      apiKeys: {
        publishable: present(options.apiKeys.publishable),
        secret: present(options.apiKeys.secret),
      },
      postgrestPort,
      functions: new Map(functions.map((fn) => [fn.name, fn.port])),
      functionsWithoutJwtCheck: functionsWithoutJwtCheck(),
      allowedOrigins: options.allowedOrigins,
      maxFunctionBodyBytes: maxBodyBytes,
      // A run's audio is sent as base64 in JSON: larger than a run, with its own limit.
      functionBodyLimits: new Map([['save-run-audio', MAX_RUN_AUDIO_BODY_BYTES]]),
      log,
    };
    gateway = await startGateway(gatewayOptions);
    const url = gateway.url;
    const restartOptions = { ...gatewayOptions, port: gateway.port };
    return {
      apiUrl: url,
      postgrestUrl: `http://127.0.0.1:${postgrestPort}`,
      dbUrl: db.url,
      logsDir,
      functions: names,
      jwks: signingKey.jwks,
      signingJwk: signingKey.privateJwk,
      pids: () => ({
        postgres: db?.service.child.pid,
        postgrest: postgrest?.service.child.pid,
        functions: Object.fromEntries(functions.map((fn) => [fn.name, fn.pid])),
      }),
      stopGateway: async () => {
        await gateway?.close();
        gateway = undefined;
      },
      startGateway: async () => {
        gateway ??= await startGateway(restartOptions);
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}
