/** A plain, captioned data table: what every chart is drawn from, for screen readers and for copying. */
import type { ComponentChildren } from 'preact';

export interface DataTableProps {
  caption: string;
  columns: string[];
  rows: Array<Array<ComponentChildren>>;
  /** Columns holding numbers are right-aligned. */
  numeric?: number[];
  id?: string;
}

export function DataTable({ caption, columns, rows, numeric = [], id }: DataTableProps) {
  return (
    // Focusable and named, so a table wider than its column can be scrolled with the keyboard.
    <div class="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table id={id}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={c} scope="col" class={numeric.includes(i) ? 'num' : undefined}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, i) =>
                i === 0 ? (
                  <th key={i} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={i} class={numeric.includes(i) ? 'num' : undefined}>
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
