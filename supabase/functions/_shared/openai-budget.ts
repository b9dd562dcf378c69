import { errorResponse } from './cors.ts';
import type { OpenAILimitsEnv } from './function-env.ts';

/** What one request is about to spend: counted before OpenAI is called. */
export interface Spend {
  caller: string;
  requests: number;
  usd: number;
}

export type BudgetScope = 'global' | 'caller';
export type BudgetWindow = 'hour' | 'day';

export type Admission =
  | { ok: true }
  | {
      ok: false;
      scope: BudgetScope;
      window: BudgetWindow;
      limit: 'requests' | 'usd';
      max: number;
      retryAfterSeconds: number;
    };

/** Counts spends against the hourly and daily limits, globally and per caller. */
export interface OpenAIBudget {
  admit(spend: Spend): Promise<Admission>;
}

export type BudgetLimits = Record<
  BudgetScope,
  Record<BudgetWindow, { requests: number; usd: number }>
>;

export function budgetLimits(env: OpenAILimitsEnv): BudgetLimits {
  return {
    global: {
      hour: { requests: env.OPENAI_BUDGET_REQUESTS_PER_HOUR, usd: env.OPENAI_BUDGET_USD_PER_HOUR },
      day: { requests: env.OPENAI_BUDGET_REQUESTS_PER_DAY, usd: env.OPENAI_BUDGET_USD_PER_DAY },
    },
    caller: {
      hour: { requests: env.OPENAI_CALLER_REQUESTS_PER_HOUR, usd: env.OPENAI_CALLER_USD_PER_HOUR },
      day: { requests: env.OPENAI_CALLER_REQUESTS_PER_DAY, usd: env.OPENAI_CALLER_USD_PER_DAY },
    },
  };
}

/** Every request without an identifying header shares this caller's limits. */
export const UNKNOWN_CALLER = 'unknown';

/**
 * Who is calling, as far as a function without user sign-in can tell: the last
 * entry of `header` (x-forwarded-for by default), the one the nearest proxy
 * added; a client can put anything before it, not after it.
 */
export function callerOf(request: Request, header: string): string {
  const entries = (request.headers.get(header) ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.at(-1)?.slice(0, 200) ?? UNKNOWN_CALLER;
}

const ENV_NAMES: Record<BudgetScope, Record<BudgetWindow, Record<'requests' | 'usd', string>>> = {
  global: {
    hour: { requests: 'OPENAI_BUDGET_REQUESTS_PER_HOUR', usd: 'OPENAI_BUDGET_USD_PER_HOUR' },
    day: { requests: 'OPENAI_BUDGET_REQUESTS_PER_DAY', usd: 'OPENAI_BUDGET_USD_PER_DAY' },
  },
  caller: {
    hour: { requests: 'OPENAI_CALLER_REQUESTS_PER_HOUR', usd: 'OPENAI_CALLER_USD_PER_HOUR' },
    day: { requests: 'OPENAI_CALLER_REQUESTS_PER_DAY', usd: 'OPENAI_CALLER_USD_PER_DAY' },
  },
};

function waitText(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.ceil(seconds / 60)} min`;
  return `${Math.ceil(seconds / 3600)} h`;
}

/** 429 saying which limit was reached and when to try again (also in the body: browsers cannot read Retry-After across origins unless it is exposed). */
export function budgetExceededResponse(refusal: Extract<Admission, { ok: false }>): Response {
  const who = refusal.scope === 'global' ? 'all callers together have' : 'this caller has';
  const what =
    refusal.limit === 'requests'
      ? `${refusal.max} OpenAI requests`
      : `the estimated OpenAI spend of $${refusal.max}`;
  const message =
    `OpenAI budget reached: ${who} used ${what} allowed per ${refusal.window} ` +
    `(${ENV_NAMES[refusal.scope][refusal.window][refusal.limit]}); try again in ${waitText(refusal.retryAfterSeconds)}.`;
  return errorResponse(
    429,
    'openai_budget_exceeded',
    message,
    undefined,
    { 'Retry-After': String(refusal.retryAfterSeconds) },
    { retry_after_seconds: refusal.retryAfterSeconds },
  );
}

/**
 * Admits the spend or answers why not: null when the request may call OpenAI.
 * When the budget cannot be read, nothing is spent (503).
 */
export async function checkBudget(budget: OpenAIBudget, spend: Spend): Promise<Response | null> {
  let admission: Admission;
  try {
    admission = await budget.admit(spend);
  } catch (error) {
    console.error('openai budget: could not admit a spend', error);
    return errorResponse(
      503,
      'budget_unavailable',
      'the OpenAI budget could not be checked; try again shortly',
      undefined,
      { 'Retry-After': '5' },
    );
  }
  return admission.ok ? null : budgetExceededResponse(admission);
}
