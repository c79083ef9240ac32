import type { Database } from '../server/src/db/client.js';
import { runMigrations } from '../server/src/db/migrate.js';
import { appMeta } from '../server/src/db/schema/index.js';
import { buildServices } from '../server/src/services.js';
import { AuthService } from '../server/src/modules/auth/auth.service.js';
import { SYSTEM_ACTOR } from '../server/src/modules/audit/audit.service.js';
import { loadHolidayYears } from '../server/src/seed/divisions.js';
import { policy2023 } from '../server/src/seed/policy-2023.js';
import { DEMO_PASSWORD } from '../server/src/seed/seed.js';
import { copyLine, copyRows, exec, rowsOf } from './database.js';
import {
  generate,
  SERIAL_TABLES,
  TABLE_ORDER,
  TABLES,
  type Cell,
  type GenerateOptions,
  type GenerateSummary,
  type RowSink,
  type TableName,
} from './generate.js';
import type { Scale } from './scales.js';

/** Rows buffered per flush: enough for COPY to stream well, small enough to keep memory flat. */
const FLUSH_ROWS = 100_000;

class CopyBuffers implements RowSink {
  private readonly lines = new Map<TableName, string[]>(TABLE_ORDER.map((t) => [t, []]));
  buffered = 0;

  row(table: TableName, values: Cell[]) {
    this.lines.get(table)!.push(copyLine(values));
    this.buffered++;
  }

  /** Parents first, so every foreign key finds its row. */
  async flush(database: Database) {
    for (const table of TABLE_ORDER) {
      const lines = this.lines.get(table)!;
      if (lines.length === 0) continue;
      await copyRows(database, table, TABLES[table], lines);
      this.lines.set(table, []);
    }
    this.buffered = 0;
  }
}

/** The accounts every benchmark database has (password as in the README's demo accounts). */
export function benchAccounts(scale: Scale, firstCodes: { district: string; street: string; community: string }) {
  return [
    { username: 'city', displayName: `${scale.root.name}民政部门`, role: 'city_bureau' as const, scopeCode: scale.root.code },
    { username: 'finance', displayName: `${scale.root.name}财政部门`, role: 'city_finance' as const, scopeCode: scale.root.code },
    {
      username: `district-${firstCodes.district}`,
      displayName: '区民政局',
      role: 'district_bureau' as const,
      scopeCode: firstCodes.district,
    },
    { username: `street-${firstCodes.street}`, displayName: '街道办事处', role: 'street_office' as const, scopeCode: firstCodes.street },
    {
      username: `community-${firstCodes.community}`,
      displayName: '社区居委会',
      role: 'community' as const,
      scopeCode: firstCodes.community,
    },
  ];
}

export interface LoadResult extends GenerateSummary {
  seconds: number;
  rowsPerSecond: number;
}

/**
 * Migrates an empty database, writes the reference data through the services (policy for the
 * years around the fund year, the holiday calendars, the accounts), then COPYs the generated rows
 * and moves the sequences past them. Marks the database so that `npm start` on it never seeds the
 * demo city over it.
 */
export async function loadScale(
  database: Database,
  scale: Scale,
  options: GenerateOptions,
  onProgress?: (done: number) => void,
): Promise<LoadResult> {
  const started = performance.now();
  await runMigrations(database);
  const services = buildServices(database.db);
  const fundYear = Number(options.asOf.slice(0, 4));
  await database.db.transaction(async (tx) => {
    await tx.insert(appMeta).values({ key: 'demo_seed', value: { bench: scale.name, seed: options.seed, asOf: options.asOf } });
    for (let year = 2023; year <= fundYear + 1; year++) {
      await services.policy.create(
        SYSTEM_ACTOR,
        year,
        {
          ...structuredClone(policy2023),
          fundYear: year,
          ratingYear: year - 1,
          title: `${year} 年度星级社区"以奖代补"专项资金（基准数据）`,
        },
        tx,
      );
    }
    for (const h of loadHolidayYears()) await services.calendar.publishYear(SYSTEM_ACTOR, h.year, h.source, h.days, tx);
  });

  const buffers = new CopyBuffers();
  const rows = generate(scale, options, buffers);
  // The read model (ADR 0023) is rebuilt once after the copy rather than recomputed per copied row.
  const step = await services.progress.bulkLoad(database.db, async () => {
    let next = rows.next();
    while (!next.done) {
      if (buffers.buffered >= FLUSH_ROWS) {
        await buffers.flush(database);
        onProgress?.(next.value + 1);
      }
      next = rows.next();
    }
    await buffers.flush(database);
    return next;
  });
  const summary = step.value;

  const b = summary.poolAccount.balances;
  await exec(
    database,
    `update ledger_account set debits_posted = ${b.debitsPosted}, credits_posted = ${b.creditsPosted}, debits_pending = ${b.debitsPending}, credits_pending = ${b.creditsPending} where id = ${summary.poolAccount.id}`,
  );
  for (const { table, column } of SERIAL_TABLES) {
    await exec(
      database,
      `select setval(pg_get_serial_sequence('${table}', '${column}'), greatest((select max("${column}") from ${table}), 1))`,
    );
  }
  const first = (level: string) => `(select code from region where level = '${level}' order by code limit 1)`;
  const [firstCodes] = await rowsOf<{ district: string; street: string; community: string }>(
    database,
    `select ${first('district')} as district, ${first('street')} as street, ${first('community')} as community`,
  );
  const passwordHash = await AuthService.hashPassword(DEMO_PASSWORD);
  await database.db.transaction(async (tx) => {
    await services.auth.insertUsers(
      benchAccounts(scale, firstCodes!).map((a) => ({ ...a, passwordHash })),
      tx,
    );
    await services.audit.record(tx, SYSTEM_ACTOR, {
      action: 'bench.data',
      entityType: 'installation',
      entityId: scale.name,
      after: { seed: options.seed, asOf: options.asOf, rows: summary.rows, digest: summary.digest },
    });
  });
  // Chain the reference data's audit events now rather than at the first start.
  await services.audit.flush();
  await exec(database, 'analyze');
  const seconds = (performance.now() - started) / 1000;
  const total = Object.values(summary.rows).reduce((a, b) => a + b, 0);
  return { ...summary, seconds, rowsPerSecond: Math.round(total / seconds) };
}
