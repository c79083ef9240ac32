import type { Key, ReactNode } from 'react';
import { useNarrow } from './useNarrow';

export interface PortalColumn<T> {
  key: string;
  title: string;
  render: (row: T) => ReactNode;
  /** A test id on the cell (table) or value (card). */
  testId?: string;
}

/**
 * A wide portal table that reads on a phone: a table from 576 px up, below it one card per row,
 * each a list of "column: value" pairs (the first column as the card's heading).
 */
export function ResponsiveTable<T>({
  rows,
  columns,
  rowKey,
  caption,
  rowTestId,
}: {
  rows: T[];
  columns: PortalColumn<T>[];
  rowKey: (row: T) => Key;
  /** What the table lists: its caption, and the cards' accessible name. */
  caption: string;
  rowTestId?: (row: T) => string;
}) {
  const narrow = useNarrow();
  if (narrow) {
    const [head, ...rest] = columns;
    return (
      <ul className="portal-cards" aria-label={caption} data-testid="portal-cards">
        {rows.map((r) => (
          <li key={rowKey(r)} className="portal-cards-item" data-testid={rowTestId?.(r)}>
            {head && (
              <div className="portal-cards-head" data-testid={head.testId}>
                {head.render(r)}
              </div>
            )}
            <dl>
              {rest.map((c) => (
                <div key={c.key}>
                  <dt>{c.title}</dt>
                  <dd data-testid={c.testId}>{c.render(r)}</dd>
                </div>
              ))}
            </dl>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <div className="portal-table-wrap" tabIndex={0} role="region" aria-label={`${caption}（表格，可左右滚动）`}>
      <table className="portal-table">
        <caption className="portal-muted">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col">
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)} data-testid={rowTestId?.(r)}>
              {columns.map((c) => (
                <td key={c.key} data-testid={c.testId}>
                  {c.render(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
