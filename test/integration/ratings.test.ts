import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { createTestApp, loginAs, queryRows, type TestContext } from '../helpers/app.js';

let ctx: TestContext;
type Community = { code: string; name: string; districtName: string };
let communities: Community[];

beforeAll(async () => {
  ctx = await createTestApp();
  const city = await loginAs(ctx.app, 'city');
  communities = (await city.get('/api/regions/2101/communities?limit=1000')).json().items;
});
afterAll(async () => ctx?.close());

const csv = (rows: string[][]) => ['社区代码,社区名称,所属区县,星级', ...rows.map((r) => r.join(','))].join('\n');

/** 50 five-star, 100 four-star, 200 three-star: within the 2023 quotas; every 7th row by name. */
function goodRows(offset = 0): string[][] {
  const levels = [...Array(50).fill('5'), ...Array(100).fill('4星'), ...Array(200).fill('三星')];
  return levels.map((level, i) => {
    const c = communities[i + offset]!;
    return i % 7 === 0 ? ['', c.name, c.districtName, level] : [c.code, '', '', level];
  });
}

async function xlsxBase64(rows: (string | number)[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('星级评定');
  ws.addRow(['社区代码', '社区名称', '所属区县', '星级']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

describe('rating import [N 1]', () => {
  it('previews a good CSV, then imports all 350 rows with the preview token', async () => {
    const city = await loginAs(ctx.app, 'city');
    const content = csv(goodRows());
    const preview = await city.post('/api/ratings/2023/preview', { format: 'csv', content });
    expect(preview.statusCode).toBe(200);
    const p = preview.json();
    expect(p.ok).toBe(true);
    expect(p.rows).toHaveLength(350);
    expect(p.rows.every((r: { problems: unknown[] }) => r.problems.length === 0)).toBe(true);
    expect(p.levels).toEqual([
      { stars: 5, quota: 50, count: 50 },
      { stars: 4, quota: 100, count: 100 },
      { stars: 3, quota: 200, count: 200 },
    ]);
    expect(p.rows[0].communityCode).toBe(communities[0]!.code); // matched by name and district
    const res = await city.post('/api/ratings/2023/import', { format: 'csv', content, previewToken: p.token });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ imported: 350, changed: 350, removed: 0 });
    const list = (await city.get('/api/ratings/2023')).json();
    expect(list.items).toHaveLength(350);
    const [audit] = await queryRows<{ n: number }>(
      ctx,
      sql`select count(*)::int as n from audit_event where action = 'rating.import' and entity_id = '2023'`,
    );
    expect(audit!.n).toBe(1);
  });

  it("names every row's problem and imports none of a bad file", async () => {
    const city = await loginAs(ctx.app, 'city');
    const rows = goodRows(1);
    rows.push([communities[400]!.code, '', '', '5']); // 51st five-star: quota exceeded
    rows.push(['210102999999', '', '', '3']); // unknown code
    rows.push(['', '不存在社区', '和平区', '3']); // unknown name
    rows.push([communities[1]!.code, '', '', '4']); // duplicate of the first data row
    rows.push([communities[401]!.code, '', '', '6']); // bad level
    const content = csv(rows);
    const p = (await city.post('/api/ratings/2023/preview', { format: 'csv', content })).json();
    expect(p.ok).toBe(false);
    const problemsAt = (line: number) =>
      p.rows.find((r: { line: number }) => r.line === line).problems.map((x: { code: string }) => x.code);
    const last = rows.length + 1;
    expect(problemsAt(last - 4)).toContain('QUOTA_EXCEEDED');
    expect(problemsAt(last - 3)).toEqual(['UNKNOWN_COMMUNITY']);
    expect(problemsAt(last - 2)).toEqual(['UNKNOWN_COMMUNITY']);
    expect(problemsAt(last - 1)).toEqual(['DUPLICATE_ROW']);
    expect(problemsAt(last)).toEqual(['BAD_LEVEL']);
    const quota = p.fileProblems.find((x: { code: string }) => x.code === 'QUOTA_EXCEEDED');
    expect(quota.details).toEqual({ stars: 5, quota: 50, count: 51 });
    expect(quota.message).toBe('5星社区 51 个，超过名额 50 个');
    expect(quota.clause).toBe('[N 1]');

    const before = await queryRows(ctx, sql`select community_code, stars from rating where year = 2023 order by community_code`);
    const res = await city.post('/api/ratings/2023/import', { format: 'csv', content });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'RATING_IMPORT_INVALID', clause: '[N 1]' });
    expect(res.json().details.rows.length).toBeGreaterThanOrEqual(5);
    expect(await queryRows(ctx, sql`select community_code, stars from rating where year = 2023 order by community_code`)).toEqual(before);
  });

  it('refuses a commit whose preview token does not match the file (409)', async () => {
    const city = await loginAs(ctx.app, 'city');
    const p = (await city.post('/api/ratings/2023/preview', { format: 'csv', content: csv(goodRows()) })).json();
    const res = await city.post('/api/ratings/2023/import', { format: 'csv', content: csv(goodRows(2)), previewToken: p.token });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('PREVIEW_STALE');
  });

  it('imports an .xlsx file, replacing the year, and previews a bad one', async () => {
    const city = await loginAs(ctx.app, 'city');
    const good = await xlsxBase64(communities.slice(0, 10).map((c, i) => [c.code, c.name, c.districtName, i < 2 ? 5 : 3]));
    const res = await city.post('/api/ratings/2024/import', { format: 'xlsx', content: good });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ imported: 10 });
    const replaced = await xlsxBase64(communities.slice(5, 8).map((c) => [c.code, c.name, c.districtName, '四星']));
    expect((await city.post('/api/ratings/2024/import', { format: 'xlsx', content: replaced })).json()).toMatchObject({
      imported: 3,
      removed: 7,
    });
    expect((await city.get('/api/ratings/2024')).json().items.map((i: { stars: number }) => i.stars)).toEqual([4, 4, 4]);

    const bad = await xlsxBase64([
      [communities[0]!.code, communities[0]!.name, '沈河区', 5],
      [communities[1]!.code, '', '', 'A'],
    ]);
    const p = (await city.post('/api/ratings/2024/preview', { format: 'xlsx', content: bad })).json();
    expect(p.ok).toBe(false);
    expect(p.rows.map((r: { problems: { code: string }[] }) => r.problems.map((x) => x.code))).toEqual([
      communities[0]!.districtName === '沈河区' ? [] : ['DISTRICT_MISMATCH'],
      ['BAD_LEVEL'],
    ]);
  });

  it('answers 400 for content that is not a workbook', async () => {
    const city = await loginAs(ctx.app, 'city');
    const res = await city.post('/api/ratings/2024/preview', { format: 'xlsx', content: Buffer.from('not a zip').toString('base64') });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('content');
  });

  it('lets only the city bureau import, and shows a district only its own ratings', async () => {
    const district = await loginAs(ctx.app, 'district-210102');
    expect((await district.post('/api/ratings/2023/preview', { format: 'csv', content: csv(goodRows()) })).statusCode).toBe(403);
    const list = (await district.get('/api/ratings/2023')).json();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((i: { districtCode: string }) => i.districtCode === '210102')).toBe(true);
    expect((await district.get('/api/ratings/2023?region=210103')).statusCode).toBe(404);
  });

  it('offers the template as .xlsx and CSV', async () => {
    const city = await loginAs(ctx.app, 'city');
    const x = await city.get('/api/ratings/template?format=xlsx');
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([undefined, '社区代码', '社区名称', '所属区县', '星级']);
    const c = await city.get('/api/ratings/template?format=csv');
    expect(c.body.replace(/^\ufeff/, '').split('\r\n')[0]).toBe('社区代码,社区名称,所属区县,星级');
  });
});

describe('a rating set by hand', () => {
  it('requires a reason, respects the quota, and is audited', async () => {
    const city = await loginAs(ctx.app, 'city');
    const rated = (await city.get('/api/ratings/2023?stars=5')).json().items;
    const fiveStar = rated[0].communityCode as string;
    const unrated = communities.slice(360, 362).map((c) => c.code);
    expect((await city.put(`/api/ratings/2023/communities/${unrated[0]}`, { stars: 5 })).statusCode).toBe(400);
    const full = await city.put(`/api/ratings/2023/communities/${unrated[0]}`, { stars: 5, reason: '补录' });
    expect(full.statusCode).toBe(422);
    expect(full.json()).toMatchObject({ code: 'RATING_QUOTA_EXCEEDED', clause: '[N 1]', details: { stars: 5, quota: 50, count: 51 } });

    const removed = await city.put(`/api/ratings/2023/communities/${fiveStar}`, { stars: null, reason: '复核撤销' });
    expect(removed.json()).toMatchObject({ stars: null, changed: true });
    const set = await city.put(`/api/ratings/2023/communities/${unrated[0]}`, { stars: 5, reason: '复核更正为五星' });
    expect(set.statusCode).toBe(200);
    expect((await city.put(`/api/ratings/2023/communities/${unrated[1]}`, { stars: 5, reason: '再补一个' })).statusCode).toBe(422);
    const [event] = await queryRows<{ before: unknown; after: unknown }>(
      ctx,
      sql`select before, after from audit_event where action = 'rating.set' and entity_id = ${`2023:${unrated[0]}`}`,
    );
    expect(event).toEqual({ before: { stars: null }, after: { stars: 5, reason: '复核更正为五星' } });
  });

  it('refuses a change to a year already appropriated (2025 → fund year 2026)', async () => {
    const city = await loginAs(ctx.app, 'city');
    const code = (await city.get('/api/ratings/2025')).json().items[0].communityCode;
    const res = await city.put(`/api/ratings/2025/communities/${code}`, { stars: 3, reason: '更正' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('ALLOCATION_CONFIRMED');
  });
});
