import Papa from 'papaparse';

/**
 * RFC 4180 CSV: CRLF line ends, and fields with commas, quotes or line breaks
 * quoted with inner quotes doubled (Papa Parse's unparse does the quoting).
 * `header: false` leaves out the column names, for the pages of a CSV written
 * in parts.
 */
export function toCsv<Row extends object>(
  rows: Row[],
  columns: Array<keyof Row & string>,
  { header = true }: { header?: boolean } = {},
): string {
  const cell = (row: Row, column: keyof Row & string) =>
    (row as Record<string, unknown>)[column] ?? '';
  return Papa.unparse(
    { fields: columns, data: rows.map((row) => columns.map((column) => cell(row, column))) },
    { newline: '\r\n', quotes: false, escapeFormulae: false, header },
  );
}
