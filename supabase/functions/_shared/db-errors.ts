/**
 * SQLSTATE class 22 (data exception), 23 (integrity constraint) or 54 (program
 * limit exceeded, e.g. a value too large for a tsvector): the row is at fault,
 * not the database, so retrying the same row cannot succeed.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}
