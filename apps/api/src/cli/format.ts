/** Plain-text output helpers: aligned columns that read in a terminal and grep well in a log. */

/** Columns padded to their widest cell; the last column is not padded. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return `${all.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd()).join('\n')}\n`;
}

/** `2026-11-27T08:04:21.123Z` → `2026-11-27 08:04:21Z`: to the second, still UTC and unambiguous. */
export function time(iso: string | undefined): string {
  if (!iso) return '-';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** Seconds as measured, rounded for reading (`12.3 s`); `-` when nothing was measured. */
export function seconds(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return `${Math.round(value * 10) / 10} s`;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
