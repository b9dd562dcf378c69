import Papa from 'papaparse';

/**
 * Text cells a spreadsheet would read as a formula (or, for tab and CR, that
 * Excel strips before reading one). Such a cell gets a leading `'`, the
 * OWASP-recommended neutraliser: spreadsheets show the text, never evaluate it.
 * Papa Parse's own pattern (`/^[=+\-@\t\r].*$/`) misses cells with a line
 * break after the first character, so the test is on the first character only.
 * Numbers are written as numbers (a negative number is not a formula).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * RFC 4180 CSV: CRLF line ends, and fields with commas, quotes or line breaks
 * quoted with inner quotes doubled (Papa Parse's unparse does the quoting).
 * Text cells that could run as a formula are neutralised (FORMULA_START).
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
    { newline: '\r\n', quotes: false, escapeFormulae: FORMULA_START, header },
  );
}
