/** The server's code→label tables (generated: labels.gen.ts) and small helpers to use them. */
export * from './labels.gen';

/** A label table as the options of a Select, in the table's order. */
export const labelOptions = <K extends string>(table: Readonly<Record<K, string>>) =>
  (Object.entries(table) as [K, string][]).map(([value, label]) => ({ value, label }));

/** The label of a code, or the code itself when the table does not know it. */
export const labelOf = (table: Readonly<Record<string, string>>, code: string): string => table[code] ?? code;
