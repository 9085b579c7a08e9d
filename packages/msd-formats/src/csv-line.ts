import { parse } from 'csv-parse/sync';

/**
 * The fields of one CSV line (RFC 4180 quoting), or why it is not one. The MSD CSV dumps hold no quoted line
 * breaks (checked on every sample), so one line is one row and a bad row can be quarantined with its line number.
 */
export function csvFields(line: string): string[] | string {
  // Without a quote character RFC 4180 fields are exactly the comma-separated pieces; csv-parse costs ~0.2 ms a
  // call, which would dominate a 100k-line file, so it only reads the lines that quote.
  if (!line.includes('"')) return line.split(',');
  try {
    const rows = parse(line, { relax_column_count: true }) as string[][];
    if (rows.length !== 1) return `expected one CSV row, got ${rows.length}`;
    return rows[0] as string[];
  } catch (err) {
    return `not a valid CSV row: ${(err as Error).message.replace(/^Invalid [^:]*: /, '')}`;
  }
}

/** `undefined` for an empty field (unknown), the number, or NaN when the text is not a decimal number. */
export function csvNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '' || t.toLowerCase() === 'nan') return undefined;
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : Number.NaN;
}
