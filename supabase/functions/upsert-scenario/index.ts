import postgres from 'postgres';
import { readDbEnv } from '../_shared/function-env.ts';
import { createUpsertScenarioHandler } from './handler.ts';
import { createPostgresScenarioStore } from './scenario-store.ts';

const env = readDbEnv((name) => Deno.env.get(name));
// prepare: false keeps it compatible with Supabase's transaction-mode pooler.
const sql = postgres(env.SUPABASE_DB_URL, { prepare: false, max: 2, idle_timeout: 60 });

Deno.serve(
  createUpsertScenarioHandler({
    store: createPostgresScenarioStore(sql),
    log: (line) => console.log(JSON.stringify(line)),
  }),
);
