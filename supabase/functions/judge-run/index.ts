import postgres from 'postgres';
import { readDbEnv } from '../_shared/function-env.ts';
import { openAIFromEnv } from '../_shared/openai.ts';
import { createJudgeRunHandler } from './handler.ts';
import { createPostgresJudgeStore } from './judge-store.ts';

const get = (name: string) => Deno.env.get(name);
// prepare: false keeps it compatible with Supabase's transaction-mode pooler.
const sql = postgres(readDbEnv(get).SUPABASE_DB_URL, { prepare: false, max: 2, idle_timeout: 60 });

Deno.serve(
  createJudgeRunHandler({ openai: openAIFromEnv(get), store: createPostgresJudgeStore(sql) }),
);
