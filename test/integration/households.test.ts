import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { createTestApp, loginAs, queryRows, type TestContext } from '../helpers/app.js';
import { communityCodes, householdCsv, makeHouseholds, streetOf, type Client } from '../helpers/factories-needs.js';
import { encodeGbk } from '../helpers/gbk.js';

let ctx: TestContext;
let code: string;
let other: string;
let staff: Client;
beforeAll(async () => {
  ctx = await createTestApp();
  // The last community accounts: the demo seed registers households only in the first ones.
  [code, other] = (await communityCodes(ctx)).slice(-2) as [string, string];
  staff = await loginAs(ctx.app, `community-${code}`);
});
afterAll(async () => ctx?.close());

describe('household registry', () => {
  it("imports a CSV registry and shows names and phones in the clear to the community's own staff only", async () => {
    const households = makeHouseholds(6, 'H');
    const csv = householdCsv(households, (_h, i) =>
      i === 0 ? { reps: '王大伟', council: '王大伟、李红' } : i === 1 ? { reps: households[1]!.headName } : {},
    );
    const res = await staff.post(`/api/regions/${code}/households/import`, { format: 'csv', content: csv });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: 6, created: 6, updated: 0 });

    const own = (await staff.get(`/api/regions/${code}/households?q=H-00`)).json();
    expect(own.total).toBe(6);
    expect(own.masked).toBe(false);
    const first = own.items.find((h: { householdNo: string }) => h.householdNo === 'H-001');
    expect(first.headName).toBe(households[0]!.headName);
    expect(first.phone).toBe(households[0]!.phone);
    expect(first.members.map((m: { name: string }) => m.name).sort()).toEqual(['李红', '王大伟']);

    const street = await loginAs(ctx.app, streetOf(code));
    const seen = (await street.get(`/api/regions/${code}/households?q=H-00`)).json();
    expect(seen.masked).toBe(true);
    const masked = seen.items.find((h: { householdNo: string }) => h.householdNo === 'H-001');
    expect(masked.headName).toBe(
      `${households[0]!.headName[0]}*${households[0]!.headName.length > 2 ? households[0]!.headName.slice(-1) : ''}`,
    );
    expect(masked.phone).toBe(`${households[0]!.phone.slice(0, 3)}****${households[0]!.phone.slice(-4)}`);
    expect(masked.members.map((m: { name: string }) => m.name).sort()).toEqual(['李*', '王*伟']);
    // A masked reader cannot search by name (that would reveal it).
    expect(
      (await street.get(`/api/regions/${code}/households?q=${encodeURIComponent(households[0]!.headName)}`)).json().total,
    ).toBeGreaterThan(1);

    const city = await loginAs(ctx.app, 'city');
    expect((await city.get(`/api/households/${first.id}`)).json().household.phone).toContain('****');
  });

  it('re-importing updates by household number instead of duplicating; roles stay unless the file has role columns', async () => {
    const households = makeHouseholds(2, 'H');
    households[0]!.phone = '13700001111';
    const noRoles = householdCsv(households)
      .split('\r\n')
      .map((line) => line.split(',').slice(0, 7).join(','))
      .join('\r\n');
    const res = await staff.post(`/api/regions/${code}/households/import`, { format: 'csv', content: noRoles });
    expect(res.json()).toMatchObject({ rows: 2, created: 0, updated: 2 });
    const list = (await staff.get(`/api/regions/${code}/households?q=H-001`)).json();
    expect(list.total).toBe(1);
    expect(list.items[0].phone).toBe('13700001111');
    expect(list.items[0].members).toHaveLength(2);
    const withRoles = householdCsv(households.slice(1), () => ({ council: '周明' }));
    expect((await staff.post(`/api/regions/${code}/households/import`, { format: 'csv', content: withRoles })).statusCode).toBe(200);
    const h2 = (await staff.get(`/api/regions/${code}/households?q=H-002`)).json().items[0];
    expect(h2.members).toEqual([{ name: '周明', isRepresentative: false, isCouncilMember: true, hasIdNumber: false }]);
  });

  it('refuses a malformed import as a whole, reporting every bad row, and imports nothing', async () => {
    const before = (await staff.get(`/api/regions/${code}/households`)).json().total;
    const csv = [
      '户号,楼栋,单元,房号,户主姓名,联系电话,常住人数',
      'M-001,1,1,101,赵丽华,13912345678,3',
      'M-002,1,1,102,钱,13912345679,2',
      'M-003,1,1,103,孙建国,12345,2',
      'M-001,1,1,104,李四海,13912345670,2',
      'M-005,1,1,105,周文博,13912345671,0',
      ',1,1,106,吴静怡,13912345672,1',
    ].join('\n');
    const res = await staff.post(`/api/regions/${code}/households/import`, { format: 'csv', content: csv });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('IMPORT_INVALID');
    const errors = body.details.errors as { row: number; column: string }[];
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [3, '户主姓名'],
      [4, '联系电话'],
      [5, '户号'],
      [6, '常住人数'],
      [7, '户号'],
    ]);
    expect((await staff.get(`/api/regions/${code}/households`)).json().total).toBe(before);
  });

  it('names unknown and missing columns, and an unreadable workbook', async () => {
    const res = await staff.post(`/api/regions/${code}/households/import`, {
      format: 'csv',
      content: '户号,楼栋,房间,户主姓名,联系电话,常住人数\nX-1,1,101,赵丽华,13912345678,3\n',
    });
    expect(res.statusCode).toBe(400);
    const messages = res.json().details.errors.map((e: { message: string }) => e.message);
    expect(messages).toContain('无法识别的列"房间"');
    expect(messages).toContain('缺少必需的列"房号"');
    const bad = await staff.post(`/api/regions/${code}/households/import`, {
      format: 'xlsx',
      content: Buffer.from('not a workbook').toString('base64'),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('IMPORT_UNREADABLE');
  });

  it('imports an .xlsx workbook', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('住户');
    sheet.addRow(['户号', '楼栋', '单元', '房号', '户主姓名', '联系电话', '常住人数']);
    sheet.addRow(['X-001', 5, 2, 301, '欧阳小明', '13600002222', 4]);
    sheet.addRow(['X-002', 5, 2, 302, '马秀英', '024-23456789', 1]);
    const content = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const res = await staff.post(`/api/regions/${code}/households/import`, { format: 'xlsx', content });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().created).toBe(2);
    const list = (await staff.get(`/api/regions/${code}/households?q=X-00`)).json();
    expect(list.items.map((h: { address: string }) => h.address)).toEqual(['5号楼2单元301室', '5号楼2单元302室']);
    const street = await loginAs(ctx.app, streetOf(code));
    const masked = (await street.get(`/api/regions/${code}/households?q=X-00`)).json().items;
    expect(masked.map((h: { headName: string }) => h.headName)).toEqual(['欧**明', '马*英']);
    expect(masked[1].phone).toBe('*******6789');
  });

  it('edits by hand with an audit event that carries masked personal data', async () => {
    const created = await staff.post(`/api/regions/${code}/households`, {
      householdNo: 'E-001',
      building: '7',
      unit: '1',
      room: '202',
      headName: '郑海燕',
      phone: '13812345678',
      residents: 3,
      members: [{ name: '郑海燕', isRepresentative: true, isCouncilMember: false, idNumber: '11010519491231002X' }],
    });
    expect(created.statusCode, created.body).toBe(200);
    const id = created.json().household.id;
    expect(created.json().household.members[0].hasIdNumber).toBe(true);
    const patched = await staff.patch(`/api/households/${id}`, { phone: '13987654321', residents: 4 });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().household).toMatchObject({ phone: '13987654321', residents: 4 });
    // The ID number was kept as a hash only, and survives an edit that does not touch members.
    expect(patched.json().household.members[0].hasIdNumber).toBe(true);
    const dump = JSON.stringify(await queryRows(ctx, sql`select * from household_member`));
    expect(dump).not.toContain('11010519491231002X');
    expect(dump).not.toContain('11010519491231002');

    const city = await loginAs(ctx.app, 'city');
    const events = (await city.get(`/api/audit/events?entityType=household&entityId=${id}`)).json().items;
    expect(events[0].action).toBe('household.update');
    expect(events[0].actorName).toBe(`community-${code}`);
    expect(events[0].before.phone).toBe('138****5678');
    expect(events[0].after.phone).toBe('139****4321');
    expect(events[0].after.residents).toBe(4);
    expect(JSON.stringify(events)).not.toContain('13987654321');
  });

  it('refuses a duplicate household number, an invalid ID number and bad fields', async () => {
    const dup = await staff.post(`/api/regions/${code}/households`, {
      householdNo: 'E-001',
      building: '7',
      room: '203',
      headName: '郑海',
      phone: '13812345670',
      residents: 1,
    });
    expect(dup.statusCode).toBe(409);
    const badId = await staff.post(`/api/regions/${code}/households`, {
      householdNo: 'E-002',
      building: '7',
      room: '203',
      headName: '郑海',
      phone: '13812345670',
      residents: 1,
      members: [{ name: '郑海', isRepresentative: true, isCouncilMember: false, idNumber: '110105194912310021' }],
    });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().field).toBe('members');
    const badPhone = await staff.post(`/api/regions/${code}/households`, {
      householdNo: 'E-003',
      building: '7',
      room: '203',
      headName: '郑海',
      phone: '12',
      residents: 1,
    });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json().field).toBe('phone');
  });

  it("shows the roster beside the profile's official counts", async () => {
    const roster = (await staff.get(`/api/regions/${code}/roster`)).json();
    // H-001: 王大伟 (rep + council) and 李红 (council); H-002: 周明 (council); E-001's head (rep).
    expect(roster.roster).toEqual({ representatives: 2, councilMembers: 3 });
    expect(roster.profile.representatives).toBeGreaterThanOrEqual(15);
    expect(roster.consistent).toBe(false);
    expect(roster.registeredHouseholds).toBe((await staff.get(`/api/regions/${code}/households`)).json().total);
  });

  it('keeps other communities out: 404 for staff of another community, 403 for writes without permission', async () => {
    const otherStaff = await loginAs(ctx.app, `community-${other}`);
    expect((await otherStaff.get(`/api/regions/${code}/households`)).statusCode).toBe(404);
    const id = (await staff.get(`/api/regions/${code}/households?q=E-001`)).json().items[0].id;
    expect((await otherStaff.get(`/api/households/${id}`)).statusCode).toBe(404);
    expect((await otherStaff.patch(`/api/households/${id}`, { residents: 9 })).statusCode).toBe(404);
    const street = await loginAs(ctx.app, streetOf(code));
    expect((await street.patch(`/api/households/${id}`, { residents: 9 })).statusCode).toBe(403);
    expect((await staff.get(`/api/households/${id}`)).json().household.residents).toBe(4);
  });

  it('imports a GBK CSV sent as bytes, shows the encoding, and starts and ends roster terms from the role columns (ADR 0013)', async () => {
    const households = makeHouseholds(3, 'K');
    const csv = householdCsv(households, (h, i) => (i === 0 ? { reps: h.headName, council: '孔令辉' } : {}));
    const content = Buffer.from(encodeGbk(csv)).toString('base64');
    const res = await staff.post(`/api/regions/${other}/households/import`, { format: 'csv', content, contentEncoding: 'base64' });
    const otherStaff = await loginAs(ctx.app, `community-${other}`);
    expect(res.statusCode).toBe(404);
    const own = await otherStaff.post(`/api/regions/${other}/households/import`, { format: 'csv', content, contentEncoding: 'base64' });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ encoding: 'gb18030', rows: 3, created: 3, termsStarted: 2, termsEnded: 0 });
    const registered = (await otherStaff.get(`/api/regions/${other}/households?q=K-001`)).json().items[0];
    expect(registered.headName).toBe(households[0]!.headName);
    const terms = (await otherStaff.get(`/api/regions/${other}/roster-terms`)).json();
    expect(terms.representatives.map((t: { personName: string; fromDate: string }) => [t.personName, t.fromDate])).toEqual([
      [households[0]!.headName, '2021-01-01'],
    ]);
    expect(terms.councilMembers.map((t: { personName: string }) => t.personName)).toEqual(['孔令辉']);
    // Listed no longer: the council member leaves office the day before the given date.
    const again = await otherStaff.post(`/api/regions/${other}/households/import`, {
      format: 'csv',
      content: householdCsv(households, (h, i) => (i === 0 ? { reps: h.headName } : {})),
      rolesFrom: '2026-11-01',
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ encoding: 'text', termsStarted: 0, termsEnded: 1 });
    const after = (await otherStaff.get(`/api/regions/${other}/roster-terms?on=2026-11-01`)).json();
    expect(after.councilMembers).toEqual([]);
    expect(after.history.find((t: { personName: string }) => t.personName === '孔令辉')).toMatchObject({ toDate: '2026-10-31' });
  });
});
