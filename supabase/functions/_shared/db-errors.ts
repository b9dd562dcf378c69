import { errorResponse } from './cors.ts';

/**
 * SQLSTATE class 22 (data exception), 23 (integrity constraint) or 54 (program
 * limit exceeded, e.g. a value too large for a tsvector): the row is at fault,
 * not the database, so retrying the same row cannot succeed.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}

/**
 * The answer to a save whose store threw: 400 `rejected_by_database` when the
 * database refused the data itself (`rejected`), else 503 with Retry-After,
 * `what` (e.g. "the run") being what could not be stored right now.
 */
export function storeFailure(
  error: unknown,
  rejected: boolean,
  what: string,
): { response: Response; error: string } {
  const message = error instanceof Error ? error.message : String(error);
  const response = rejected
    ? errorResponse(400, 'rejected_by_database', message)
    : errorResponse(
        503,
        'database_unavailable',
        `${what} could not be stored right now; retry later`,
        undefined,
        { 'Retry-After': '1' },
      );
  return { response, error: message };
}
