import type { Db } from '../../db/client.js';
import { DomainError } from '../../common/errors.js';
import { ROLE_LABELS, requirePermission, type Actor } from '../../common/access.js';
import { heldOnce } from '../../common/at-most-one.js';
import { readUpload, type TableFormat } from '../../common/tabular.js';
import { buildCsv, buildWorkbook } from '../../common/xlsx.js';
import type { AuditService } from '../audit/audit.service.js';
import { AuthRepository } from './auth.repository.js';
import { accountFieldProblems, administrationVerdict, parseRoleCell, type FieldProblem } from './auth.admin.rules.js';
import { issueOneTimePassword, type AccountRegions } from './auth.admin.service.js';
import type { UsersImportBody, UsersImportRow, UsersImportView } from './auth.schemas.js';

/** The template's header; the import finds its columns by these names. */
export const USERS_TEMPLATE_HEADER = ['用户名', '姓名/名称', '角色', '区划代码', '手机'] as const;
const COLUMN_KEYS = ['username', 'displayName', 'role', 'regionCode', 'phone'] as const;
const MAX_ROWS = 2_000;

/**
 * Account import (issue 18, ADR 0012): many accounts at once from CSV (UTF-8 or GBK, detected) or
 * Excel, all or nothing: a report row by row, and nothing created while any row is wrong.
 */
export class AuthImportService {
  private readonly repo = new AuthRepository();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly regions: AccountRegions,
  ) {}

  template(format: TableFormat): Promise<Buffer> | string {
    const sample = ['community-210102001001', '（示例）某某社区居委会', ROLE_LABELS.community, '210102001001', '13800000000'];
    if (format === 'csv') return buildCsv([...USERS_TEMPLATE_HEADER], [sample]);
    return buildWorkbook([
      {
        name: '账号',
        columns: USERS_TEMPLATE_HEADER.map((h, i) => ({ header: h, key: `c${i}`, width: i === 1 ? 28 : 20 })),
        rows: [Object.fromEntries(sample.map((v, i) => [`c${i}`, v]))],
      },
      {
        name: '填写说明',
        columns: [{ header: '说明', key: 'n', width: 90 }],
        rows: [
          { n: '每行一个账号。用户名：3–64 位小写字母、数字或 . _ -；角色可填中文名称（如 社区"两委"）或代码（如 community）。' },
          { n: '区划代码须在本辖区内，且与角色的层级一致（社区 12 位、街道 9 位、区县 6 位）。手机可空。' },
          { n: '任何一行有问题则整份文件不导入；导入成功后每个账号获得一次性密码，首次登录须修改。示例行请删除。' },
        ],
      },
    ]);
  }

  /** Checks every row; without dryRun creates all accounts in one transaction, or none (422 IMPORT_ROWS_INVALID). */
  async import(actor: Actor, body: UsersImportBody): Promise<UsersImportView> {
    requirePermission(actor, 'users:write');
    const { rows: table, encoding } = await readUpload(body.format, body.content, body.contentEncoding ?? 'text');
    const rows = await this.check(actor, table);
    const dryRun = body.dryRun ?? false;
    if (dryRun) return { encoding, dryRun, created: 0, rows };
    const bad = rows.filter((r) => !r.ok);
    if (bad.length > 0) {
      const first = bad[0]!;
      const err = first.errors[0]!;
      throw new DomainError(
        'IMPORT_ROWS_INVALID',
        {
          zh: `导入文件有 ${bad.length} 行错误，未创建任何账号（第 ${first.row} 行：${err.zh}）`,
          en: `${bad.length} row(s) are invalid; no account was created (row ${first.row}: ${err.en})`,
        },
        { kind: 'rule', field: err.field, details: { rows } },
      );
    }
    const issued = await Promise.all(rows.map((r) => issueOneTimePassword(r.username)));
    const regionByCode = new Map((await this.regions.byCodes(rows.map((r) => r.regionCode))).map((r) => [r.code, r]));
    await heldOnce(() =>
      this.db.transaction(async (tx) => {
        for (const [i, r] of rows.entries()) {
          const values = {
            username: r.username,
            displayName: r.displayName,
            passwordHash: issued[i]!.passwordHash,
            role: r.role!,
            scopeCode: r.regionCode,
            phone: phoneOf(table, r.row),
            mustChangePassword: true,
          };
          const id = await this.repo.insertUser(tx, values);
          await this.audit.record(tx, actor, {
            action: 'user.import',
            entityType: 'user',
            entityId: String(id),
            regionPath: regionByCode.get(r.regionCode)?.path ?? null,
            after: { username: r.username, displayName: r.displayName, role: r.role, scopeCode: r.regionCode, phone: values.phone },
          });
        }
      }),
    );
    return { encoding, dryRun, created: rows.length, rows: rows.map((r, i) => ({ ...r, oneTimePassword: issued[i]!.password })) };
  }

  /** The report: every data row with its problems, each naming its field. */
  private async check(actor: Actor, table: string[][]): Promise<UsersImportRow[]> {
    const [header, ...data] = table;
    const index = columnIndex(header ?? []);
    const cells = data
      .map((cellsOfRow, i) => ({ row: i + 1, get: (k: (typeof COLUMN_KEYS)[number]) => (cellsOfRow[index[k]] ?? '').trim() }))
      .filter((r) => COLUMN_KEYS.some((k) => r.get(k) !== ''));
    if (cells.length === 0 || cells.length > MAX_ROWS) {
      throw new DomainError(
        'IMPORT_INVALID',
        {
          zh: `字段 文件内容（content）无效：须有表头和 1–${MAX_ROWS} 行账号`,
          en: `Field content is invalid: a header and 1–${MAX_ROWS} account rows expected`,
        },
        { kind: 'invalid', field: 'content' },
      );
    }
    const regions = new Map(
      (await this.regions.byCodes([...new Set(cells.map((c) => c.get('regionCode')).filter(Boolean))])).map((r) => [r.code, r]),
    );
    const taken = await this.repo.takenUsernames(
      this.db,
      cells.map((c) => c.get('username')),
    );
    const seen = new Map<string, number>();
    return cells.map((c) => {
      const username = c.get('username');
      const displayName = c.get('displayName');
      const regionCode = c.get('regionCode');
      const role = parseRoleCell(c.get('role'));
      const errors: FieldProblem[] = accountFieldProblems({ username, displayName, phone: c.get('phone') });
      if (taken.has(username)) errors.push(usernameProblem('已被使用', 'is taken'));
      else if (seen.has(username)) errors.push(usernameProblem(`与第 ${seen.get(username)} 行重复`, `repeats row ${seen.get(username)}`));
      seen.set(username, seen.get(username) ?? c.row);
      if (!role) {
        errors.push({
          field: 'role',
          zh: `字段 角色（role）无效：未知角色"${c.get('role')}"`,
          en: `Field role is invalid: unknown role "${c.get('role')}"`,
        });
      } else {
        const region = regions.get(regionCode);
        const verdict = administrationVerdict(
          { userId: actor.userId, role: actor.role, scopePath: actor.scopePath },
          { role, path: region?.path ?? null, level: region?.level ?? null },
        );
        if (!verdict.ok) errors.push({ field: verdict.field ?? 'regionCode', zh: verdict.zh, en: verdict.en });
      }
      return { row: c.row, username, displayName, role, regionCode, ok: errors.length === 0, errors, oneTimePassword: null };
    });
  }
}

const usernameProblem = (zh: string, en: string): FieldProblem => ({
  field: 'username',
  zh: `字段 用户名（username）无效：${zh}`,
  en: `Field username is invalid: it ${en}`,
});

/** Column positions by header name (the template's order when a header is missing). */
function columnIndex(header: string[]): Record<(typeof COLUMN_KEYS)[number], number> {
  const norm = header.map((h) => h.replace(/^\ufeff/, '').trim());
  return Object.fromEntries(
    COLUMN_KEYS.map((k, i) => {
      const at = norm.indexOf(USERS_TEMPLATE_HEADER[i]!);
      return [k, at >= 0 ? at : i];
    }),
  ) as Record<(typeof COLUMN_KEYS)[number], number>;
}

function phoneOf(table: string[][], row: number): string | null {
  const index = columnIndex(table[0] ?? []);
  return table[row]?.[index.phone]?.trim() || null;
}
