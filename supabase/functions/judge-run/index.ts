import postgres from 'postgres';
import { readProjectKeys, requireProjectKey } from '../_shared/api-key.ts';
import { readDbEnv, readOpenAILimitsEnv } from '../_shared/function-env.ts';
import { openAIFromEnv } from '../_shared/openai.ts';
import { budgetLimits } from '../_shared/openai-budget.ts';
import { createPostgresBudget } from '../_shared/openai-budget-store.ts';
import { createJudgeRunHandler } from './handler.ts';
import { createPostgresJudgeStore } from './judge-store.ts';

const get = (name: string) => Deno.env.get(name);
const limits = readOpenAILimitsEnv(get);
// prepare: false keeps it compatible with Supabase's transaction-mode pooler.
const sql = postgres(readDbEnv(get).SUPABASE_DB_URL, { prepare: false, max: 2, idle_timeout: 60 });

// Called with the publishable key, which is not a JWT: verify_jwt is off and the key is checked here.
const keys = readProjectKeys((name) => Deno.env.get(name));

Deno.serve(
  requireProjectKey(
    keys,
    createJudgeRunHandler({
      openai: openAIFromEnv(get, 'judge'),
      store: createPostgresJudgeStore(sql),
      budget: createPostgresBudget(sql, budgetLimits(limits)),
      limits,
    }),
  ),
);
