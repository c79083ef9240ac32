import { sql } from 'drizzle-orm';
import fs from 'node:fs';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, queryRows, type TestContext } from '../helpers/app.js';
import { listOperations } from './security-fixtures.js';

let ctx: TestContext;
let filedCommunity: string;
let skippedCommunity: string;
const YEAR = 2026;

beforeAll(async () => {
  ctx = await createTestApp();
  filedCommunity = (
    await queryRows<{ code: string }>(
      ctx,
      sql`select pc.community_code as code from plan_community pc join plan p on p.id = pc.plan_id where p.status = 'filed' and p.kind = 'community' and p.fund_year = 2026 order by 1 limit 1`,
    )
  )[0]!.code;
  skippedCommunity = (
    await queryRows<{ code: string }>(
      ctx,
      sql`select min(community_code) as code from contract c where signed_on is not null and fund_year = 2026 and not exists (select 1 from contract_share s where s.contract_id = c.id)`,
    )
  )[0]!.code;
});
afterAll(async () => ctx?.close());

const get = (url: string) => ctx.app.inject({ method: 'GET', url });

describe('public portal [N 4.2]', () => {
  it('walks city → district → street → community without login, with allocation totals', async () => {
    const city = await get(`/api/public/portal/city?year=${YEAR}`);
    expect(city.statusCode).toBe(200);
    const c = city.json();
    expect(c.fundYear).toBe(YEAR);
    expect(c.region.name).toBe('沈阳市');
    const heping = c.children.find((d: { code: string }) => d.code === '210102');
    expect(heping.name).toBe('和平区');
    expect(heping.communityCount).toBeGreaterThan(0);
    expect(c.totals.allocatedFen).toBeGreaterThan(0);
    expect(c.children.reduce((s: number, d: { allocatedFen: number }) => s + d.allocatedFen, 0)).toBe(c.totals.allocatedFen);

    const [communityRow] = await queryRows<{ street: string; district: string; allocated: number }>(
      ctx,
      sql`select r.parent_code as street, s.parent_code as district from region r join region s on s.code = r.parent_code where r.code = ${filedCommunity}`,
    );
    const district = (await get(`/api/public/portal/regions/${communityRow!.district}?year=${YEAR}`)).json();
    expect(district.region.level).toBe('district');
    expect(district.children.some((s: { code: string }) => s.code === communityRow!.street)).toBe(true);
    const street = (await get(`/api/public/portal/regions/${communityRow!.street}?year=${YEAR}`)).json();
    expect(street.children.map((x: { code: string }) => x.code)).toContain(filedCommunity);
    expect(street.ancestors.map((a: { level: string }) => a.level)).toEqual(['city', 'district']);
    expect((await get(`/api/public/portal/regions/${filedCommunity}`)).statusCode).toBe(404);
    expect((await get(`/api/public/portal/city?year=1999`)).statusCode).toBe(400);
    expect((await get(`/api/public/portal/city?year=2030`)).statusCode).toBe(404);
  });

  it("shows a community's year: allocation, step, needs, decision, notices, filed plan, contracts and payments", async () => {
    const res = await get(`/api/public/portal/communities/${filedCommunity}?year=${YEAR}`);
    expect(res.statusCode).toBe(200);
    const page = res.json();
    const [account] = await queryRows<{ credits: number }>(
      ctx,
      sql`select credits_posted as credits from ledger_account where kind = 'community_available' and ref = ${filedCommunity} and fund_year = 2026`,
    );
    expect(page.allocation.allocatedFen).toBe(Number(account!.credits));
    expect(page.needs.link).toMatch(/^\/r\/\d+$/);
    expect(page.needs.coverage.residentHouseholds).toBeGreaterThan(0);
    expect(page.decision.status).toBe('ready_for_review');
    expect(page.notices.length).toBeGreaterThan(0);
    expect(page.notices[0].link).toBe(`/n/${page.notices[0].id}`);
    expect(page.plan.status).toBe('filed');
    expect(page.plan.projects.length).toBeGreaterThan(0);
    const [{ n }] = (await queryRows<{ n: number }>(
      ctx,
      sql`select count(*)::int as n from contract where community_code = ${filedCommunity} and status <> 'draft' and fund_year = 2026`,
    )) as [{ n: number }];
    expect(page.contracts).toHaveLength(n);
    if (n > 0) {
      expect(page.contracts[0].provider.name).toMatch(/\S{4,}/);
      expect(['contracted', 'paid', 'evaluated']).toContain(page.step.code);
    } else {
      expect(page.step.code).toBe('filed');
    }
    const paid = await queryRows<{ amount: number }>(
      ctx,
      sql`select i.amount_fen as amount from contract_instalment i join contract c on c.id = i.contract_id where c.community_code = ${filedCommunity} and i.status = 'paid'`,
    );
    expect(page.payments.map((p: { amountFen: number }) => p.amountFen).sort()).toEqual(paid.map((p) => Number(p.amount)).sort());
    expect(page.disclosures.map((d: { kind: string }) => d.kind)).toEqual([
      'decision',
      'notice',
      'plan',
      'contracts',
      'progress',
      'midterm',
      'final',
      'payments',
    ]);
    expect(page.disclosures.find((d: { kind: string }) => d.kind === 'notice').status).toBe('published');
    // Concluded evaluation grades of the community's filed projects (issue 8), and its published model cases.
    const [{ graded }] = (await queryRows<{ graded: number }>(
      ctx,
      sql`select count(*)::int as graded from evaluation_assignment a join evaluation_round r on r.id = a.round_id
      where a.status = 'concluded' and a.grade is not null and r.fund_year = 2026 and a.plan_project_id in (select pp.id from plan_project pp join plan_community pc on pc.plan_id = pp.plan_id where pc.community_code = ${filedCommunity})`,
    )) as [{ graded: number }];
    expect(page.evaluations).toHaveLength(graded);
    for (const e of page.evaluations) expect(['优秀', '良好', '合格', '不合格']).toContain(e.grade);
    if (graded > 0) expect(page.disclosures.find((d: { kind: string }) => d.kind === 'midterm').triggeredOn).toBe('2026-06-30');
    // A draft plan's projects are not public yet; a community without data is "not started".
    const quiet = (
      await queryRows<{ code: string }>(
        ctx,
        sql`select code from region where level = 'community' and code not in (select community_code from needs_campaign) order by code limit 1`,
      )
    )[0]!.code;
    const empty = (await get(`/api/public/portal/communities/${quiet}?year=${YEAR}`)).json();
    expect(empty.step.code).toBe('not_started');
    expect(empty.plan).toBeNull();
    expect((await get(`/api/public/portal/communities/999999999999`)).statusCode).toBe(404);
  });

  it('follows one project from opinions (counts) to plan, contract and payment', async () => {
    const page = (await get(`/api/public/portal/communities/${filedCommunity}?year=${YEAR}`)).json();
    const projectId = page.plan.projects[0].id as number;
    const res = await get(`/api/public/portal/projects/${projectId}`);
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p.project.title).toBe(page.plan.projects[0].title);
    expect(p.trail.plan.filedOn).toBe(page.plan.filedOn);
    expect(p.trail.decision.votesFor).toBeGreaterThan(0);
    expect(typeof p.trail.needs.households === 'number' || p.trail.needs.households === null).toBe(true);
    const covering = await queryRows<{ id: number }>(
      ctx,
      sql`select c.id from contract c join contract_project cp on cp.contract_id = c.id where cp.plan_project_id = ${projectId} and c.status <> 'draft'`,
    );
    expect(p.trail.contracts.map((c: { id: number }) => c.id).sort()).toEqual(covering.map((c) => c.id).sort());
    // A project of a plan that is not filed is not public.
    const [draft] = await queryRows<{ id: number }>(
      ctx,
      sql`select pp.id from plan_project pp join plan p on p.id = pp.plan_id where p.status <> 'filed' limit 1`,
    );
    if (draft) expect((await get(`/api/public/portal/projects/${draft.id}`)).statusCode).toBe(404);
    expect((await get(`/api/public/portal/projects/2147483647`)).statusCode).toBe(404);
  });

  it('finds communities by name', async () => {
    const [row] = await queryRows<{ name: string }>(ctx, sql`select name from region where code = ${filedCommunity}`);
    const res = (await get(`/api/public/portal/search?q=${encodeURIComponent(row!.name)}`)).json();
    expect(res.items.map((i: { code: string }) => i.code)).toContain(filedCommunity);
    expect(res.items[0].districtName).toMatch(/区|县|市/);
    expect((await get(`/api/public/portal/search?q=${encodeURIComponent('不存在的社区名称')}`)).json().items).toEqual([]);
  });
});

describe('disclosure monitoring [N 4.2]', () => {
  it('flags the community that skipped its contract disclosure to its street and district, in the to-do list', async () => {
    const [row] = await queryRows<{ street: string; district: string }>(
      ctx,
      sql`select r.parent_code as street, s.parent_code as district from region r join region s on s.code = r.parent_code where r.code = ${skippedCommunity}`,
    );
    const street = await loginAs(ctx.app, `street-${row!.street}`);
    const res = await street.get(`/api/disclosure/monitor?year=${YEAR}`);
    expect(res.statusCode).toBe(200);
    const mine = res.json().communities.find((c: { code: string }) => c.code === skippedCommunity);
    const contracts = mine.items.find((i: { kind: string }) => i.kind === 'contracts');
    expect(contracts.status).toBe('missing');
    expect(contracts.flagged).toBe(true);
    expect(contracts.stage).toBe('during');
    expect(mine.items.find((i: { kind: string }) => i.kind === 'plan').status).toBe('published');

    const todo = (await street.get('/api/todo')).json();
    expect(
      todo.items.some(
        (i: { key: string; kind: string }) =>
          i.kind === 'disclosure_flagged' && i.key === `disclosure:${skippedCommunity}:${YEAR}:contracts`,
      ),
    ).toBe(true);
    const district = await loginAs(ctx.app, `district-${row!.district}`);
    const dTodo = (await district.get('/api/todo')).json();
    expect(dTodo.items.some((i: { key: string }) => i.key === `disclosure:${skippedCommunity}:${YEAR}:contracts`)).toBe(true);
    // Another district sees neither the community nor the flag.
    const other = (
      await queryRows<{ code: string }>(
        ctx,
        sql`select code from region where level = 'district' and code <> ${row!.district} order by code limit 1`,
      )
    )[0]!.code;
    const outsider = await loginAs(ctx.app, `district-${other}`);
    expect((await outsider.get(`/api/disclosure/monitor?code=${row!.street}`)).statusCode).toBe(404);
    expect(
      (await outsider.get('/api/todo')).json().items.some((i: { key: string }) => i.key.startsWith(`disclosure:${skippedCommunity}`)),
    ).toBe(false);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/disclosure/monitor' })).statusCode).toBe(401);
  });

  it('records a late disclosure once, audited; the flag turns from missing to late', async () => {
    const [row] = await queryRows<{ street: string }>(ctx, sql`select parent_code as street from region where code = ${skippedCommunity}`);
    const street = await loginAs(ctx.app, `street-${row!.street}`);
    const today = ctx.app.services.disclosure.today();
    const body = { communityCode: skippedCommunity, fundYear: YEAR, kind: 'contracts', publishedOn: today, title: '服务合同公开（补登）' };
    const res = await street.post('/api/disclosure/records', body);
    expect(res.statusCode).toBe(200);
    const audit = await queryRows(
      ctx,
      sql`select * from audit_event where action = 'disclosure.record' and entity_id = ${String(res.json().id)}`,
    );
    expect(audit).toHaveLength(1);
    expect((await street.post('/api/disclosure/records', body)).statusCode).toBe(409);
    expect((await street.post('/api/disclosure/records', { ...body, kind: 'progress', publishedOn: '2099-01-01' })).statusCode).toBe(400);
    expect((await street.post('/api/disclosure/records', { ...body, extra: 1 })).statusCode).toBe(400);
    const page = (await get(`/api/public/portal/communities/${skippedCommunity}?year=${YEAR}`)).json();
    const contracts = page.disclosures.find((d: { kind: string }) => d.kind === 'contracts');
    expect(contracts.status).toBe('late');
    expect(contracts.publishedOn).toBe(today);
    // A street cannot record for a community of another street.
    const [foreign] = await queryRows<{ code: string }>(
      ctx,
      sql`select code from region where level = 'community' and parent_code <> ${row!.street} order by code limit 1`,
    );
    expect((await street.post('/api/disclosure/records', { ...body, communityCode: foreign!.code })).statusCode).toBe(404);
  });
});

describe('open data and the verifiable record', () => {
  it('serves every dataset as CSV, Excel and JSON under a stable URL', async () => {
    const index = (await get('/api/public/open-data')).json();
    expect(index.years.find((y: { year: number }) => y.year === YEAR).files).toHaveLength(18);
    const json = await get(`/api/public/open-data/${YEAR}/projects.json`);
    expect(json.statusCode).toBe(200);
    const projects = json.json();
    const [{ n }] = (await queryRows<{ n: number }>(
      ctx,
      sql`select count(*)::int as n from plan_project pp join plan p on p.id = pp.plan_id where p.status = 'filed' and p.fund_year = 2026`,
    )) as [{ n: number }];
    expect(projects.rows).toHaveLength(n);
    const csv = await get(`/api/public/open-data/${YEAR}/allocations.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toContain('community_code,community_name');
    const [{ accounts }] = (await queryRows<{ accounts: number }>(
      ctx,
      sql`select count(*)::int as accounts from ledger_account where kind = 'community_available' and fund_year = 2026`,
    )) as [{ accounts: number }];
    expect(lines.length - 1).toBe(accounts);
    const xlsx = await get(`/api/public/open-data/${YEAR}/contracts.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const [{ c }] = (await queryRows<{ c: number }>(
      ctx,
      sql`select count(*)::int as c from contract where status <> 'draft' and fund_year = 2026`,
    )) as [{ c: number }];
    expect(wb.worksheets[0]!.rowCount).toBe(c + 1);
    const payments = (await get(`/api/public/open-data/${YEAR}/payments.json`)).json();
    const [{ p }] = (await queryRows<{ p: number }>(
      ctx,
      sql`select count(*)::int as p from contract_instalment i join contract c on c.id = i.contract_id where i.status = 'paid' and c.fund_year = 2026`,
    )) as [{ p: number }];
    expect(payments.rows).toHaveLength(p);
    const evaluations = (await get(`/api/public/open-data/${YEAR}/evaluations.json`)).json();
    const [{ g }] = (await queryRows<{ g: number }>(
      ctx,
      sql`select count(*)::int as g from evaluation_assignment a join evaluation_round r on r.id = a.round_id join plan_project pp on pp.id = a.plan_project_id join plan p on p.id = pp.plan_id
      where a.status = 'concluded' and a.grade is not null and r.fund_year = 2026 and p.status = 'filed'`,
    )) as [{ g: number }];
    expect(evaluations.rows).toHaveLength(g);
    expect((await get(`/api/public/open-data/${YEAR}/households.csv`)).statusCode).toBe(400);
    expect((await get(`/api/public/open-data/2031/projects.csv`)).statusCode).toBe(404);
  });

  it('publishes the contracts as an OCDS 1.1 release package that validates against the schema', async () => {
    const res = await get(`/api/public/open-data/${YEAR}/ocds/release-package.json`);
    expect(res.statusCode).toBe(200);
    const pkg = res.json();
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const load = (f: string) => JSON.parse(fs.readFileSync(new URL(`../fixtures/ocds-1.1/${f}`, import.meta.url), 'utf8'));
    ajv.addSchema(load('release-schema.json'));
    const validate = ajv.compile(load('release-package-schema.json'));
    const ok = validate(pkg);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const [{ c }] = (await queryRows<{ c: number }>(
      ctx,
      sql`select count(*)::int as c from contract where status <> 'draft' and fund_year = 2026`,
    )) as [{ c: number }];
    expect(pkg.releases).toHaveLength(c);
    expect(c).toBeGreaterThan(0);
    const paid = pkg.releases.find((r: { tag: string[] }) => r.tag.includes('implementation'));
    expect(paid.contracts[0].implementation.transactions[0].value.currency).toBe('CNY');
    const [{ fen }] = (await queryRows<{ fen: number }>(
      ctx,
      sql`select coalesce(sum(i.amount_fen), 0)::bigint as fen from contract_instalment i join contract c on c.id = i.contract_id where i.status = 'paid' and c.fund_year = 2026`,
    )) as [{ fen: number }];
    const total = pkg.releases
      .flatMap(
        (r: { contracts: { implementation: { transactions: { value: { amount: number } }[] } }[] }) =>
          r.contracts[0]!.implementation.transactions,
      )
      .reduce((s: number, t: { value: { amount: number } }) => s + Math.round(t.value.amount * 100), 0);
    expect(total).toBe(Number(fen));
    expect(pkg.releases[0].parties.find((p: { roles: string[] }) => p.roles.includes('supplier')).identifier.scheme).toBe('CN-USCC');
  });

  it('publishes the chain head per day, and the head of today matches a re-hash of the exported events', async () => {
    const res = (await get('/api/public/audit/daily-heads')).json();
    expect(res.days.length).toBeGreaterThan(0);
    const latest = res.days[0];
    const head = await ctx.app.services.audit.head();
    expect(latest.lastSeq).toBe(head.seq);
    expect(latest.headHash).toBe(head.hash);
    // Anyone holding an export of the events re-hashes them and compares with the published head.
    const exported = await queryRows<{ seq: number }>(ctx, sql`select seq from audit_event order by seq`);
    expect(exported.length).toBe(head.seq);
    const check = await ctx.app.services.audit.verify();
    expect(check.ok && check.headHash).toBe(latest.headHash);
    // Days are ordered and contiguous in seq.
    const asc = [...res.days].reverse();
    for (let i = 1; i < asc.length; i++) expect(asc[i].firstSeq).toBe(asc[i - 1].lastSeq + 1);
    expect(asc[0].firstSeq).toBe(1);
  });
});

describe('privacy crawler', () => {
  it("no public route or download reveals a seeded resident's name, phone or address", async () => {
    const households = await queryRows<{
      head_name: string;
      phone: string;
      building: string;
      unit: string;
      room: string;
      household_no: string;
    }>(ctx, sql`select head_name, phone, building, unit, room, household_no from household`);
    const members = await queryRows<{ name: string }>(ctx, sql`select name from household_member`);
    expect(households.length).toBeGreaterThan(10);
    // A generated two-character name can also be part of a place name (马刚 in 马刚乡): public, not personal.
    const places = (await queryRows<{ name: string }>(ctx, sql`select name from region`)).map((r) => r.name).join('|');
    const names = new Set(
      [...households.map((h) => h.head_name), ...members.map((m) => m.name)].filter((n) => [...n].length >= 2 && !places.includes(n)),
    );
    expect(names.size).toBeGreaterThan(100);
    const phones = new Set(households.map((h) => h.phone).filter((p) => /^\d{11}$/.test(p)));
    // Household addresses as written on paper or in the registry (the household number encodes one).
    const addresses = new Set(
      households.flatMap((h) => [
        `${h.building}栋${h.unit}单元${h.room}`,
        `${h.building}号楼${h.unit}单元${h.room}`,
        `${h.building}-${h.unit}-${h.room}`,
        h.household_no,
      ]),
    );
    expect(phones.size).toBeGreaterThan(10);

    const seen = new Set<string>();
    const queue: string[] = [];
    const push = (url: string) => {
      if (!seen.has(url) && seen.size < 400) {
        seen.add(url);
        queue.push(url);
      }
    };
    const ops = (await listOperations(ctx.app)).filter((o) => o.access === 'public' && o.method === 'GET');
    expect(ops.some((o) => o.path === '/api/public/portal/communities/{code}')).toBe(true);
    // Seeds for path parameters: ids and codes that hold data.
    const campaigns = await queryRows<{ id: number }>(ctx, sql`select id from needs_campaign order by id`);
    const notices = await queryRows<{ id: number }>(ctx, sql`select id from decision_notice order by id`);
    const communities = await queryRows<{ code: string }>(ctx, sql`select distinct community_code as code from needs_campaign order by 1`);
    const fill: Record<string, string[]> = {
      id: [...campaigns.map((c) => String(c.id)), ...notices.map((n) => String(n.id))],
      code: [...communities.map((c) => c.code), '2101', '210102'],
      year: [String(YEAR)],
      file: ['allocations', 'projects', 'notices', 'contracts', 'payments', 'evaluations'].flatMap((d) =>
        ['csv', 'xlsx', 'json'].map((f) => `${d}.${f}`),
      ),
    };
    for (const op of ops) {
      const params = op.path.match(/\{(\w+)\}/g)?.map((p) => p.slice(1, -1)) ?? [];
      let urls = [op.path];
      for (const p of params) urls = urls.flatMap((u) => (fill[p] ?? ['1']).map((v) => u.replace(`{${p}}`, v)));
      const needsQ = op.params.some((p) => p.name === 'q' && p.required);
      for (const u of urls) push(needsQ ? `${u}?q=${encodeURIComponent('社区')}` : u);
    }
    let visited = 0;
    while (queue.length) {
      const url = queue.shift()!;
      const res = await get(url);
      visited++;
      let text: string;
      if (String(res.headers['content-type'] ?? '').includes('spreadsheetml')) {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
        text = wb.worksheets
          .map((ws) =>
            ws
              .getSheetValues()
              .map((r) => JSON.stringify(r))
              .join('\n'),
          )
          .join('\n');
      } else text = res.body;
      for (const n of names) if (text.includes(n)) throw new Error(`${url} reveals the resident name ${n}`);
      for (const m of text.matchAll(/\d{11}/g)) if (phones.has(m[0])) throw new Error(`${url} reveals the phone ${m[0]}`);
      for (const a of addresses) if (text.includes(a)) throw new Error(`${url} reveals the address ${a}`);
      // Follow the links the portal gives.
      for (const m of text.matchAll(/"link":"(\/(?:portal\/p|n|r)\/(\d+))"/g)) {
        if (m[1]!.startsWith('/portal/p/')) push(`/api/public/portal/projects/${m[2]}`);
        if (m[1]!.startsWith('/n/')) push(`/api/public/decisions/notices/${m[2]}`);
        if (m[1]!.startsWith('/r/')) push(`/api/public/needs/campaigns/${m[2]}`);
      }
      for (const m of text.matchAll(/"code":"(\d{6,12})"/g))
        push(m[1]!.length === 12 ? `/api/public/portal/communities/${m[1]}` : `/api/public/portal/regions/${m[1]}`);
    }
    expect(visited).toBeGreaterThan(50);
  }, 300_000);
});
