import postgres from 'postgres';
import { readProjectKeys, requireProjectKey } from '../_shared/api-key.ts';
import { readDbEnv } from '../_shared/function-env.ts';
import { createPostgresAudioStore } from './audio-store.ts';
import { createSaveAudioHandler } from './handler.ts';

const env = readDbEnv((name) => Deno.env.get(name));
// prepare: false keeps it compatible with Supabase's transaction-mode pooler.
const sql = postgres(env.SUPABASE_DB_URL, { prepare: false, max: 2, idle_timeout: 60 });

// Called with the publishable key, which is not a JWT: verify_jwt is off and the key is checked here.
const keys = readProjectKeys((name) => Deno.env.get(name));

Deno.serve(
  requireProjectKey(
    keys,
    createSaveAudioHandler({
      store: createPostgresAudioStore(sql),
      log: (line) => console.log(JSON.stringify(line)),
    }),
  ),
);
