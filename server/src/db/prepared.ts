import type { SQL } from 'drizzle-orm';
import type { Executor } from './client.js';

interface PreparedQuery {
  execute(values: Record<string, unknown>): Promise<{ rows: unknown[] }>;
}
interface Internals {
  session: { prepareQuery(query: unknown, fields: undefined, name: string, arrayMode: boolean): PreparedQuery };
  dialect: { sqlToQuery(query: SQL): unknown };
}

/**
 * A hand-written statement (CTEs the query builder cannot express) built once and run with
 * `sql.placeholder` values. On node-postgres it is a named prepared statement: each connection
 * parses and plans it once. PGlite, in process, has no parse round trip to save; there the name is
 * unused and the gain is only that the SQL text is built once.
 *
 * Result rows come back as the driver gives them for raw SQL: timestamps as text, so a statement
 * returns dates and instants in the form the caller wants (e.g. `to_char`), never a bare timestamptz.
 */
export class PreparedStatement<Row> {
  private built: unknown;
  /** Per handle (the pool, or one transaction's connection): Drizzle's prepared query binds its client. */
  private readonly byHandle = new WeakMap<object, PreparedQuery>();

  constructor(
    /** Unique per statement text in the process: node-postgres refuses one name for two texts. */
    private readonly name: string,
    private readonly query: SQL,
  ) {}

  async run(db: Executor, values: Record<string, unknown>): Promise<Row[]> {
    let prepared = this.byHandle.get(db);
    if (!prepared) {
      const internals = db as unknown as Internals;
      this.built ??= internals.dialect.sqlToQuery(this.query);
      prepared = internals.session.prepareQuery(this.built, undefined, this.name, false);
      this.byHandle.set(db, prepared);
    }
    return (await prepared.execute(values)).rows as Row[];
  }
}
