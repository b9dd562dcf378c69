/** SQLSTATE class 22 (data exception) or 23 (integrity constraint): the row is at fault, not the database. */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}
