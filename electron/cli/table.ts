/** Plain-text tables for people; scripts use --json. */
export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
  align?: 'left' | 'right';
}

export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => String(c.value(r) ?? '')));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => [...row[i]!].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => {
        const pad = widths[i]! - [...v].length;
        return columns[i]!.align === 'right' ? ' '.repeat(pad) + v : v + ' '.repeat(pad);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
