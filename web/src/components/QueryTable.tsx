import type { ReactNode } from 'react';
import { Table, type TableProps } from 'antd';
import type { TablePaginationConfig } from 'antd/es/table';
import { ErrorView } from './ErrorView';

/** What QueryTable reads of a TanStack query: its state and, by default, its rows (`data.items`) and total. */
export interface TableQuery<T> {
  data: { items: readonly T[]; total?: number } | undefined;
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

export type QueryTableProps<T extends object> = Omit<TableProps<T>, 'dataSource' | 'loading'> & {
  query: TableQuery<T>;
  /** The rows shown; by default the query's `items`. */
  rows?: readonly T[];
  /** By default while the query has no data yet (`isPending`). */
  loading?: boolean;
  /** Names the record in a 404 ("<what>不存在或无权查看"). */
  what?: string;
  /** Offer a retry button with the error (default true). */
  retry?: boolean;
  /** What an empty table says (antd's default otherwise). */
  empty?: ReactNode;
  /** Pages fetched from the server: the table pages through `data.total` rows. */
  serverPages?: Omit<TablePaginationConfig, 'total'>;
};

/**
 * A table of a query's rows: the loading state, the server's error message (with retry) in place of
 * the table, the empty text and pagination, in one place.
 */
export function QueryTable<T extends object>({
  query,
  rows,
  loading,
  what,
  retry = true,
  empty,
  serverPages,
  locale,
  pagination,
  ...table
}: QueryTableProps<T>) {
  if (query.isError) return <ErrorView error={query.error} what={what} onRetry={retry ? () => void query.refetch() : undefined} />;
  return (
    <Table<T>
      {...table}
      loading={loading ?? query.isPending}
      dataSource={rows ?? query.data?.items ?? []}
      locale={empty === undefined ? locale : { ...locale, emptyText: empty }}
      pagination={serverPages ? { ...serverPages, total: query.data?.total ?? 0 } : pagination}
    />
  );
}
