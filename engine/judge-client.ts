import type { StoredJudgement } from '@core/judge.ts';
import { callFunction, type FunctionsEndpoint } from './functions-client.ts';

/** A judgement as judge-run returns it and run_judgements stores it. */
export type Judgement = StoredJudgement;

/** judge-run's refusal: its HTTP status, its error code and message. */
export class JudgeRunError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'JudgeRunError';
  }

  /**
   * No key, or a key OpenAI refuses: every other run would get the same
   * answer, so a batch should stop here.
   */
  get isKeyProblem(): boolean {
    return this.code === 'openai_key_missing' || this.code === 'openai_unauthorized';
  }

  /** The OpenAI budget is spent (429): the next runs would be refused until the message's time. */
  get isBudgetExceeded(): boolean {
    return this.code === 'openai_budget_exceeded';
  }

  /** OpenAI's account has no quota left: waiting does not help, only credit or a higher limit. */
  get isQuotaExhausted(): boolean {
    return this.code === 'openai_insufficient_quota';
  }

  /** Every other run of a batch would get the same answer. */
  get stopsBatch(): boolean {
    return this.isKeyProblem || this.isBudgetExceeded || this.isQuotaExhausted;
  }
}

/** POSTs to `judge-run`; a refusal becomes a JudgeRunError with the API's message (a missing key says so). */
export async function judgeRun(endpoint: FunctionsEndpoint, runId: string): Promise<Judgement> {
  const { status, data, error } = await callFunction<Judgement>(
    endpoint,
    'judge-run',
    JSON.stringify({ run_id: runId }),
  );
  if (status !== 201 || !data) {
    throw new JudgeRunError(
      error?.message ?? `judge-run answered ${status}`,
      status,
      error?.code ?? null,
    );
  }
  return data;
}
