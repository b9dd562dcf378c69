import type { Sql } from 'postgres';
import type {
  Admission,
  BudgetLimits,
  BudgetScope,
  BudgetWindow,
  OpenAIBudget,
} from './openai-budget.ts';

interface AdmitRow {
  admitted: boolean;
  scope: BudgetScope | null;
  window_kind: BudgetWindow | null;
  limit_kind: 'requests' | 'usd' | null;
  limit_value: string | null;
  retry_after_seconds: number | null;
}

/** The budget in Postgres (public.openai_admit), shared by every function instance. */
export function createPostgresBudget(
  sql: Sql,
  limits: BudgetLimits,
  now?: () => Date,
): OpenAIBudget {
  return {
    admit: ({ caller, requests, usd }) =>
      sql.begin(async (tx) => {
        await tx`set local role service_role`;
        const at = now?.() ?? null;
        const [row] = await tx<AdmitRow[]>`
          select * from public.openai_admit(
            ${caller}, ${requests}, ${usd.toFixed(6)}::numeric, ${tx.json(limits as never)},
            coalesce(${at}::timestamptz, now()))`;
        if (!row) throw new Error('openai_admit returned no row');
        if (row.admitted) return { ok: true } satisfies Admission;
        return {
          ok: false,
          scope: row.scope as BudgetScope,
          window: row.window_kind as BudgetWindow,
          limit: row.limit_kind as 'requests' | 'usd',
          max: Number(row.limit_value),
          retryAfterSeconds: row.retry_after_seconds ?? 60,
        } satisfies Admission;
      }) as Promise<Admission>,
  };
}
