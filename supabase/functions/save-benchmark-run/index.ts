import postgres from 'postgres';
import { readDbEnv } from '../_shared/function-env.ts';
import { createSaveRunHandler } from './handler.ts';
import { createPostgresRunStore } from './run-store.ts';

const env = readDbEnv((name) => Deno.env.get(name));
// prepare: false keeps it compatible with Supabase's transaction-mode pooler.
const sql = postgres(env.SUPABASE_DB_URL, { prepare: false, max: 4, idle_timeout: 60 });

Deno.serve(
  createSaveRunHandler({
    store: createPostgresRunStore(sql),
    maxBodyBytes: env.SAVE_RUN_MAX_BYTES,
    maxConcurrent: env.SAVE_RUN_MAX_CONCURRENT,
    maxBufferedBytes: env.SAVE_RUN_MAX_BUFFERED_BYTES,
    log: (line) => console.log(JSON.stringify(line)),
  }),
);
