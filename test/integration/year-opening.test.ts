import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { createTestApp, loginAs, queryRows, setToday, type TestContext } from '../helpers/app.js';
import type { Client } from '../helpers/factories-needs.js';
import { draftContract, filedPlan, procure, registerProvider } from '../helpers/factories-procurement.js';
import { encodeGbk } from '../helpers/gbk.js';

process.env.NEEDS_SUBMIT_RATE_LIMIT = '10000';
process.env.OBJECTION_RATE_LIMIT = '10000';

/** ADR 0015: opening fund year 2027 on 2026-12-07 (the tests' date), from the demo city of fund year 2026. */
let ctx: TestContext;
let city: Client;
let finance: Client;
type Community = { code: string; name: string; districtName: string };
let communities: Community[];
let before2026: { policy: unknown; ratings: unknown; allocations: unknown };

type Item = { key: string; state: string; reason: string; count: number | null; link: string; action: { path: string } | null };
const opening = async (who: Client = city) => {
  const res = await who.get('/api/years/2027/opening');
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { complete: boolean; openingFrom: string; items: Item[] };
};
const stateOf = async () => Object.fromEntries((await opening()).items.map((i) => [i.key, i.state]));
const itemOf = async (key: string) => (await opening()).items.find((i) => i.key === key)!;

const snapshot2026 = async () => ({
  policy: (await city.get('/api/policy/2026')).json(),
  ratings: (await city.get('/api/ratings/2025')).json(),
  allocations: (await finance.get('/api/allocations/2026')).json(),
});

/** 50 five-star, 100 four-star, 200 three-star (the copied quotas), plus `extraFive` more five-stars; every 7th row by name. */
function ratingCsv(extraFive = 0): string {
  const levels = [...Array(50 + extraFive).fill('5'), ...Array(100).fill('4星'), ...Array(200).fill('三星')];
  const rows = levels.map((level, i) => {
    const c = communities[i]!;
    return i % 7 === 0 ? ['', c.name, c.districtName, level] : [c.code, '', '', level];
  });
  return ['社区代码,社区名称,所属区县,星级', ...rows.map((r) => r.join(','))].join('\r\n');
}

beforeAll(async () => {
  ctx = await createTestApp();
  city = await loginAs(ctx.app, 'city');
  finance = await loginAs(ctx.app, 'finance');
  communities = (await city.get('/api/regions/2101/communities?limit=1000')).json().items;
  before2026 = await snapshot2026();
}, 240_000);
afterAll(async () => ctx?.close());

describe('opening fund year 2027 (ADR 0015)', () => {
  it('shows the checklist to the city bureaus only, and on the city to-do from 1 December [N 3.2]', async () => {
    const view = await opening();
    expect(view.openingFrom).toBe('2026-12-01');
    expect(view.complete).toBe(false);
    expect(await stateOf()).toEqual({
      policy: 'todo',
      ratings: 'blocked',
      appropriation: 'blocked',
      ineligibility: 'done',
      calendar: 'todo',
    });
    expect((await itemOf('policy')).action?.path).toBe('/api/years/2027/policy/copy');
    // ADR 0009: the 2027 holiday notice is not published yet.
    expect((await itemOf('calendar')).reason).toContain('尚未发布');
    await opening(finance);
    const district = await loginAs(ctx.app, 'district-210102');
    expect((await district.get('/api/years/2027/opening')).statusCode).toBe(403);
    const todo = (await city.get('/api/todo')).json().items as { key: string; title: string; link: string }[];
    expect(todo.find((t) => t.key === 'year_opening:2027:policy')).toMatchObject({
      title: '开启 2027 年度：年度政策',
      link: '/years/2027',
    });
    // 2026 was opened completely by the demo: nothing of it is asked for.
    expect((await city.get('/api/years/2026/opening')).json().complete).toBe(true);
    expect(todo.some((t) => t.key.startsWith('year_opening:2026'))).toBe(false);
    // Before 1 December nothing is asked yet.
    setToday(ctx.app, '2026-11-30');
    expect(((await city.get('/api/todo')).json().items as { kind: string }[]).some((t) => t.kind === 'year_opening')).toBe(false);
    setToday(ctx.app, '2026-12-07');
  });

  it('[N 1] copies the 2026 policy to 2027 (rating year 2026), once; it stays editable', async () => {
    const district = await loginAs(ctx.app, 'district-210102');
    expect((await district.post('/api/years/2027/policy/copy')).statusCode).toBe(403);
    const res = await city.post('/api/years/2027/policy/copy');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.find((i: Item) => i.key === 'policy').state).toBe('done');
    const doc = (await city.get('/api/policy/2027')).json().document;
    expect(doc).toMatchObject({ fundYear: 2027, ratingYear: 2026 });
    const again = await city.post('/api/years/2027/policy/copy');
    expect([again.statusCode, again.json().code]).toEqual([409, 'POLICY_EXISTS']);
    const edited = await city.put('/api/policy/2027', { document: { ...doc, title: '2027 年度星级社区专项资金' } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await stateOf()).toMatchObject({ policy: 'done', ratings: 'todo', appropriation: 'blocked' });
  });

  it('[N 1] imports the 2026 ratings within the 2027 quotas: over a quota nothing is imported; a GBK CSV is read', async () => {
    const over = await city.post('/api/ratings/2026/import', { format: 'csv', content: ratingCsv(1) });
    expect([over.statusCode, over.json().code]).toEqual([422, 'RATING_IMPORT_INVALID']);
    expect((await city.get('/api/ratings/2026')).json().items).toHaveLength(0);
    expect(await stateOf()).toMatchObject({ ratings: 'todo', appropriation: 'blocked' });

    // Excel on Chinese Windows saves the CSV as GBK: sent as its bytes, detected, names matched.
    const upload = { format: 'csv', content: encodeGbk(ratingCsv()).toString('base64'), contentEncoding: 'base64' };
    const preview = await city.post('/api/ratings/2026/preview', upload);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ ok: true, encoding: 'gb18030' });
    expect(preview.json().rows[0].input.name).toBe(communities[0]!.name);
    const done = await city.post('/api/ratings/2026/import', { ...upload, previewToken: preview.json().token });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ imported: 350, encoding: 'gb18030' });
    const list = (await city.get('/api/ratings/2026')).json().items as { communityCode: string; communityName: string; stars: number }[];
    expect(list).toHaveLength(350);
    const byName = list.find((r) => r.communityCode === communities[7]!.code)!;
    expect(byName).toMatchObject({ communityName: communities[7]!.name, stars: 5 });
    expect(await stateOf()).toMatchObject({ ratings: 'done', appropriation: 'todo' });
  });

  it('exports the ratings list as a workbook with its rows', async () => {
    const res = await city.get('/api/ratings/2026/export.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.rowCount).toBe(351);
    expect(sheet.getRow(1).getCell(1).value).toBe('社区代码');
    const codes = new Set<string>();
    sheet.eachRow((row, n) => n > 1 && codes.add(String(row.getCell(1).value)));
    expect(codes.has(communities[7]!.code)).toBe(true);
  });

  it('[N 1] freezes the tiers of a year once its appropriation is confirmed; 2026 too', async () => {
    const confirmed = await finance.post('/api/allocations/2027/confirm', {});
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(await stateOf()).toMatchObject({ policy: 'done', ratings: 'done', appropriation: 'done' });
    const doc = (await city.get('/api/policy/2027')).json().document;
    const tiers = doc.tiers.map((t: { quota: number }, i: number) => (i === 0 ? { ...t, quota: t.quota + 1 } : t));
    const frozen = await city.put('/api/policy/2027', { document: { ...doc, tiers } });
    expect([frozen.statusCode, frozen.json().code, frozen.json().field]).toEqual([409, 'POLICY_FROZEN', 'document.tiers']);
    expect((await city.put('/api/policy/2027', { document: { ...doc, title: '2027 年度（已下达）' } })).statusCode).toBe(200);
    const doc2026 = (await city.get('/api/policy/2026')).json().document;
    const r2026 = await city.put('/api/policy/2026', { document: { ...doc2026, ratingYear: 2024 } });
    expect([r2026.statusCode, r2026.json().code]).toEqual([409, 'POLICY_FROZEN']);
    // The 2026 ratings that funded 2027 are closed as well.
    const rating = await city.put(`/api/ratings/2026/communities/${communities[0]!.code}`, { stars: 3, reason: '更正' });
    expect([rating.statusCode, rating.json().code]).toEqual([409, 'ALLOCATION_CONFIRMED']);
  });

  it('leaves 2026 as it was and readable', async () => {
    expect(await snapshot2026()).toEqual(before2026);
    expect((await city.get('/api/policy/2026')).json().document.fundYear).toBe(2026);
  });
});

describe('[N 3.2] provider ineligibility carried into 2027', () => {
  const FOUR = '210105001001';
  let provider: { id: number };
  const recorded = async () =>
    (
      await queryRows<{ n: number }>(
        ctx,
        sql`select count(*)::int as n from provider_ineligibility where provider_id = ${provider.id} and year = 2027 and source = 'final_evaluation'`,
      )
    )[0]!.n;
  /** Stands for a failure recorded before the rule existed: the ineligibility row is missing. */
  const forget = () => ctx.database.db.execute(sql`delete from provider_ineligibility where provider_id = ${provider.id} and year = 2027`);

  beforeAll(async () => {
    // A 2026 project whose provider fails its final evaluation (as in evaluation.test.ts).
    const plan = await filedPlan(ctx, FOUR, 4);
    setToday(ctx.app, '2026-10-20');
    ({ provider } = await registerProvider(ctx, { name: '大东区某社会工作服务中心', stem: '52210104MJ0000091' }));
    const p = plan.projects[0]!;
    const proc = await procure(plan.staff, FOUR, [p.id], provider.id);
    const draft = await draftContract(
      plan.staff,
      proc.id,
      FOUR,
      p.budgetFen,
      [{ condition: 'on_signing', amountFen: p.budgetFen }],
      [p.id],
    );
    expect((await plan.staff.post(`/api/contracts/${draft.id}/sign`, { signedOn: '2026-10-20' })).statusCode).toBe(200);
    setToday(ctx.app, '2026-12-07');
    const district = await loginAs(ctx.app, 'district-210105');
    const rounds = (await district.get('/api/evaluation-rounds?fundYear=2026&kind=final')).json().items as {
      id: number;
      districtCode: string;
    }[];
    let roundId = rounds.find((r) => r.districtCode === '210105')?.id;
    if (!roundId)
      roundId = (await district.post('/api/evaluation-rounds', { fundYear: 2026, kind: 'final', districtCode: '210105' })).json().id;
    const org = (await queryRows<{ org_id: number }>(ctx, sql`select org_id from app_user where username = 'evaluator-1'`))[0]!.org_id;
    const a = await district.post(`/api/evaluation-rounds/${roundId}/assignments`, {
      planProjectId: p.id,
      method: 'third_party',
      evaluatorOrgId: org,
    });
    expect(a.statusCode, a.body).toBe(201);
    const evaluator = await loginAs(ctx.app, 'evaluator-1');
    const scores = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6'].map((code) => ({ code, score: 59 }));
    const res = await evaluator.post(`/api/evaluation-assignments/${a.json().id}/conclude`, { scores, conclusion: '不合格' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().grade).toBe('fail');
  }, 300_000);

  it('is done when the evaluation recorded it; a missing one is to do and carried forward exactly once', async () => {
    expect(await recorded()).toBe(1);
    expect(await itemOf('ineligibility')).toMatchObject({ state: 'done' });
    await forget();
    expect(await itemOf('ineligibility')).toMatchObject({ state: 'todo', count: 1 });
    const district = await loginAs(ctx.app, 'district-210105');
    expect((await district.post('/api/years/2027/ineligibilities/carry-forward')).statusCode).toBe(403);
    const res = await city.post('/api/years/2027/ineligibilities/carry-forward');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ year: 2027, recorded: 1, providerIds: [provider.id] });
    expect(await recorded()).toBe(1);
    const again = await city.post('/api/years/2027/ineligibilities/carry-forward');
    expect(again.json()).toMatchObject({ recorded: 0, existing: 1 });
    expect(await itemOf('ineligibility')).toMatchObject({ state: 'done' });
    expect((await city.get(`/api/providers/${provider.id}?year=2027`)).json().eligibility.eligible).toBe(false);
  });

  it('records it once under a race of two carry-forwards (held by the unique index)', async () => {
    await forget();
    const [a, b] = await Promise.all([
      city.post('/api/years/2027/ineligibilities/carry-forward'),
      city.post('/api/years/2027/ineligibilities/carry-forward'),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json().recorded + b.json().recorded).toBe(1);
    expect(await recorded()).toBe(1);
  });
});
