import type { Db } from '../db/client.js';
import { formatReport, verifyAll, type VerifyAllReport } from '../modules/invariants/invariants.service.js';

/**
 * What `npm run verify` does on an open database: runs every check, prints one line per check
 * (failures to `err`) and returns the exit code, 1 when any check fails.
 */
export async function runVerify(
  db: Db,
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<{ exitCode: number; report: VerifyAllReport }> {
  const report = await verifyAll(db);
  const lines = formatReport(report);
  for (const [i, line] of lines.entries()) {
    const failedLine = i < report.checks.length ? !report.checks[i]!.ok : !report.ok;
    (failedLine ? err : out)(line);
  }
  return { exitCode: report.ok ? 0 : 1, report };
}
