import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { TODO_KINDS, TODO_KIND_LIST, type TodoKind } from '../../server/src/common/todo-kinds.js';
import { createTestApp, loginAs, queryRows, setToday, type TestContext } from '../helpers/app.js';
import type { Client } from '../helpers/factories-needs.js';

/**
 * ADR 0017: one generator walks every waiting state of every entity. For every kind of the
 * catalogue (common/todo-kinds.ts) the demo city on 2026-12-07 (TEST_NOW) holds, or an action
 * through the API builds, its waiting state; the right account sees the item — with its due date,
 * working days left, clause and link — and the accounts of the other roles and of a sibling region
 * do not. A kind in the catalogue without a case fails the first test.
 */

interface Item {
  key: string;
  kind: string;
  kindLabel: string;
  title: string;
  detail: string;
  regionName: string;
  dueOn: string | null;
  workdaysLeft: number | null;
  overdue: boolean;
  link: string;
  clause: string;
  provisional?: boolean;
  amountFen?: number;
}
interface Case {
  /** The accounts that must see the item, all others of the panel must not. */
  sees: string[];
  match: (i: Item) => boolean;
  link: string | RegExp;
  dueOn?: string | null;
  overdue?: boolean;
  /** When the waiting state is built by an action or a later date (then asserted in its own block). */
  later?: true;
}

/** One account of every role, and a sibling region (or organisation) of each regional role. */
const PANEL = [
  'finance',
  'city',
  'district-210102',
  'district-210112',
  'district-210115',
  'street-210112022',
  'street-210115001',
  'street-210112019',
  'community-210102001001',
  'community-210112022002',
  'community-210112022003',
  'community-210112019002',
  'community-210112019003',
  'community-210115001004',
  'provider-1',
  'provider-2',
  'evaluator-1',
  'evaluator-2',
];

const CASES: Record<TodoKind, Case> = {
  plan_draft: { sees: ['community-210112022002'], match: (i) => i.link === '/plans/6', link: '/plans/6', dueOn: null },
  plan_review: { sees: ['street-210112022'], match: (i) => i.link === '/plans/2', link: '/plans/2', dueOn: '2026-12-15', overdue: false },
  review_overdue: { sees: ['district-210102'], match: (i) => i.link === '/plans/3', link: '/plans/3', dueOn: '2026-11-26', overdue: true },
  plan_filing: { sees: ['district-210112'], match: (i) => i.link === '/plans/4', link: '/plans/4', dueOn: null },
  decision_revote: { sees: ['community-210112019003'], match: (i) => i.link === '/decisions/3', link: '/decisions/3', dueOn: null },
  disclosure_flagged: {
    sees: ['district-210115', 'street-210115001'],
    match: (i) => i.key === 'disclosure:210115001004:2026:contracts',
    link: '/portal/c/210115001004?year=2026',
    overdue: true,
  },
  calendar_notice: { sees: ['city'], match: (i) => i.key === 'calendar_notice:2027', link: '/calendar', dueOn: null },
  year_opening: { sees: ['city'], match: (i) => i.key === 'year_opening:2027:policy', link: '/years/2027', dueOn: null },
  appropriation_confirm: {
    sees: ['finance'],
    match: (i) => i.key === 'appropriation_confirm:2023',
    link: '/allocations?year=2023',
    dueOn: null,
  },
  needs_coverage: {
    sees: ['community-210102001001'],
    match: (i) => i.link === '/needs/1',
    link: '/needs/1',
    dueOn: '2027-02-05',
    overdue: false,
  },
  instalment_claimable: { sees: ['provider-1'], match: (i) => i.link === '/contracts/3', link: '/contracts/3' },
  payment_request: { sees: ['street-210115001'], match: (i) => i.key === 'payment_request:2', link: '/payments?request=2', dueOn: null },
  evaluation_due: {
    sees: ['evaluator-1'],
    match: (i) => i.kind === 'evaluation_due' && i.link.startsWith('/evaluations/assignments/'),
    link: /^\/evaluations\/assignments\/\d+$/,
    dueOn: '2026-12-10',
    overdue: false,
  },
  evaluation_round_open: {
    sees: ['district-210102'],
    match: (i) => i.key === 'evaluation_round_open:210102:2026:final',
    link: '/evaluations',
    dueOn: '2026-12-10',
    overdue: false,
  },
  // 长江社区 has a filed project of 2026 and no street visit this year: the notice sets no frequency (undated).
  visit_due: {
    sees: ['street-210115001'],
    match: (i) => i.key === 'visit_due:210115001004:2026',
    link: '/supervision',
    dueOn: null,
  },
  // Contract 4 is signed, its period has begun, no activity recorded yet: the notice sets no interval (undated).
  activity_record: { sees: ['provider-1'], match: (i) => i.key === 'activity_record:4', link: '/contracts/4', dueOn: null },
  // Built below: provider-1 proposes an adjustment of contract 4 (a 和平区 community's); the community decides it (undated).
  adjustment_decide: {
    sees: ['community-210102021001'],
    match: (i) => i.key.startsWith('adjustment_decide:'),
    link: '/contracts/4',
    dueOn: null,
    later: true,
  },
  notice_window: {
    sees: ['community-210112019002'],
    match: (i) => i.key === 'notice_window:1',
    link: '/decisions/2',
    overdue: false,
  },
  objection_received: {
    sees: ['community-210112019002'],
    match: (i) => i.key.startsWith('objection_received:1:'),
    link: '/decisions/2',
    overdue: false,
  },
  report_due: {
    sees: ['district-210115'],
    match: (i) => i.key === 'report_due:210115:2026:final',
    link: '/district-reports',
    dueOn: '2026-12-10',
    overdue: false,
  },
  report_acknowledge: { sees: ['city'], match: (i) => i.kind === 'report_acknowledge', link: /^\/district-reports\/\d+$/, dueOn: null },
  // The spot check's community is drawn from a published seed: resolved below ($finding).
  finding_respond: {
    sees: ['$finding'],
    match: (i) => i.key === FINDING.key('respond'),
    link: /^\/supervision\/spot-checks\/\d+$/,
    later: true,
  },
  finding_close: {
    sees: ['city'],
    match: (i) => i.key === FINDING.key('close'),
    link: /^\/supervision\/spot-checks\/\d+$/,
    dueOn: null,
    later: true,
  },
  // Built below: the street returns the submitted plan; the notice window of 光荣西社区 closes.
  plan_returned: { sees: ['community-210112022003'], match: (i) => i.link === '/plans/2', link: '/plans/2', dueOn: null, later: true },
  plan_create: { sees: ['community-210112019002'], match: (i) => i.key === 'plan_create:2', link: '/plans', dueOn: null, later: true },
};

/** The demo spot check's open finding, read from the database (its community is drawn from the seed). */
const FINDING = { id: 0, community: '', sibling: '', street: '', key: (k: string) => `finding_${k}:${FINDING.id}` };

let ctx: TestContext;
const clients = new Map<string, Client>();
const views = new Map<string, { today: string; items: Item[] }>();

async function client(username: string) {
  if (!clients.has(username)) clients.set(username, await loginAs(ctx.app, username));
  return clients.get(username)!;
}
async function read(username: string) {
  const res = await (await client(username)).get('/api/todo');
  expect(res.statusCode, `${username}: ${res.body}`).toBe(200);
  const view = res.json() as { today: string; items: Item[] };
  views.set(username, view);
  return view;
}

/** Every item is complete: its kind in the catalogue, meant for the account's role, with label, clause, link and countdown. */
function wellFormed(username: string, items: Item[]) {
  for (const i of items) {
    const entry = TODO_KINDS[i.kind as TodoKind];
    expect(entry, `${username}: ${i.kind} is in the catalogue`).toBeDefined();
    expect(i.kindLabel).toBe(entry.label);
    expect(i.clause).toMatch(/^\[N [\d.()]+\]/);
    expect(i.link).toMatch(/^\//);
    if (i.dueOn) expect(typeof i.workdaysLeft, `${i.key} has working days left`).toBe('number');
    else expect(i.workdaysLeft).toBeNull();
  }
}

function assertCase(kind: TodoKind, panel: string[]) {
  const c = CASES[kind];
  const sees = c.sees.map((u) => (u === '$finding' ? `community-${FINDING.community}` : u));
  for (const username of panel) {
    const found = views.get(username)!.items.filter((i) => i.kind === kind && c.match(i));
    if (!sees.includes(username)) {
      expect(found, `${username} must not see ${kind}`).toEqual([]);
      continue;
    }
    expect(found.length, `${username} sees ${kind}`).toBeGreaterThan(0);
    for (const i of found) {
      expect(i.clause).toBe(TODO_KINDS[kind].clause);
      if (typeof c.link === 'string') expect(i.link).toBe(c.link);
      else expect(i.link).toMatch(c.link);
      if (c.dueOn !== undefined) expect(i.dueOn).toBe(c.dueOn);
      if (c.overdue !== undefined) expect(i.overdue).toBe(c.overdue);
      if (i.dueOn) expect(i.workdaysLeft! < 0).toBe(i.overdue);
    }
  }
}

beforeAll(async () => {
  ctx = await createTestApp();
}, 120_000);
afterAll(async () => ctx?.close());

describe('the catalogue of to-do kinds', () => {
  it('has a case for every kind, and every case names a kind of the catalogue', () => {
    expect(Object.keys(CASES).sort()).toEqual([...TODO_KIND_LIST].sort());
    for (const k of TODO_KIND_LIST) {
      expect(TODO_KINDS[k].roles.length).toBeGreaterThan(0);
      expect(TODO_KINDS[k].label).toMatch(/[\u4e00-\u9fff]/);
      expect(TODO_KINDS[k].clause).toMatch(/^\[N /);
    }
  });
});

describe('the demo city on 2026-12-07: every account reads its to-do', () => {
  it.each(PANEL)(
    '%s',
    async (username) => {
      const view = await read(username);
      expect(view.today).toBe('2026-12-07');
      wellFormed(username, view.items);
    },
    60_000,
  );
});

describe('each waiting state reaches its actor and no one else', () => {
  it.each(TODO_KIND_LIST.filter((k) => !CASES[k].later))('%s', (kind) => assertCase(kind, PANEL));
});

describe('the five findings of the demo on 2026-12-07 (issue 19)', () => {
  it('finance sees the appropriation to confirm, with its amount', () => {
    const item = views.get('finance')!.items.find((i) => i.kind === 'appropriation_confirm')!;
    expect(item.amountFen).toBe(3_000_000_000);
    expect(item.title).toContain('¥30,000,000.00');
  });
  it('the evaluator sees the nine final evaluations due 2026-12-10, three working days away', () => {
    const items = views.get('evaluator-1')!.items.filter((i) => i.kind === 'evaluation_due');
    expect(items).toHaveLength(9);
    for (const i of items) expect(i).toMatchObject({ dueOn: '2026-12-10', workdaysLeft: 3, overdue: false, clause: '[N 3.2]' });
  });
  it('the provider sees the instalments whose condition holds', async () => {
    const items = views.get('provider-1')!.items.filter((i) => i.kind === 'instalment_claimable');
    expect(items.length).toBeGreaterThan(0);
    const res = await (await client('provider-1')).get(items[0]!.link.replace('/contracts/', '/api/contracts/'));
    const open = (res.json() as { instalments: { id: number; status: string; conditionMet: boolean | null }[] }).instalments.filter(
      (i) => i.status === 'open' && i.conditionMet,
    );
    for (const i of open) expect(items.map((x) => x.key)).toContain(`instalment_claimable:${i.id}`);
  });
  it('the street sees every payment request waiting in its region', async () => {
    const waiting = await queryRows<{ id: number }>(
      ctx,
      sql`select r.id from payment_request r join contract c on c.id = r.contract_id
          where r.status = 'requested' and c.region_path like ${'%/210115001/%'}`,
    );
    expect(waiting.length).toBeGreaterThan(0);
    const keys = views
      .get('street-210115001')!
      .items.filter((i) => i.kind === 'payment_request')
      .map((i) => i.key);
    expect(keys.sort()).toEqual(waiting.map((r) => `payment_request:${r.id}`).sort());
  });
  it('和睦社区 sees its needs campaign short of the coverage share, in households', () => {
    const item = views.get('community-210102001001')!.items.find((i) => i.kind === 'needs_coverage')!;
    expect(item.regionName).toBe('和睦社区');
    expect(item.title).toBe('需求征集覆盖率未达 30%：还差 115 户');
    expect(typeof item.workdaysLeft).toBe('number');
  });
});

describe('issue 19, second batch: acting on the item takes it off the to-do', () => {
  it('和平区 has 2026 projects filed and no round: the mid-term is overdue since 06-30; opening the final round clears it', async () => {
    const open = views.get('district-210102')!.items.filter((i) => i.kind === 'evaluation_round_open');
    expect(open.map((i) => [i.key, i.dueOn, i.overdue])).toEqual([
      ['evaluation_round_open:210102:2026:midterm', '2026-06-30', true],
      ['evaluation_round_open:210102:2026:final', '2026-12-10', false],
    ]);
    expect(open[1]!.workdaysLeft).toBe(3);
    const res = await (
      await client('district-210102')
    ).post('/api/evaluation-rounds', { fundYear: 2026, kind: 'final', districtCode: '210102' });
    expect(res.statusCode, res.body).toBe(201);
    const after = (await read('district-210102')).items.filter((i) => i.kind === 'evaluation_round_open').map((i) => i.key);
    expect(after).toEqual(['evaluation_round_open:210102:2026:midterm']);
  }, 60_000);

  it('the street records its visit to 长江社区: no longer due', async () => {
    const res = await (
      await client('street-210115001')
    ).post('/api/street-visits', {
      communityCode: '210115001004',
      visitedOn: '2026-12-07',
      aspects: ['scope', 'disclosure'],
      summary: '核查资金使用范围与公开情况',
    });
    expect(res.statusCode, res.body).toBe(201);
    const items = (await read('street-210115001')).items;
    expect(items.some((i) => i.key === 'visit_due:210115001004:2026')).toBe(false);
  }, 60_000);

  it('the provider records an activity of contract 4: nothing left to record', async () => {
    const res = await (
      await client('provider-1')
    ).post('/api/contracts/4/activities', {
      heldOn: '2026-12-06',
      place: '社区活动室',
      content: '志愿服务队骨干培训',
      participants: 20,
      beneficiaries: 20,
      volunteers: 5,
    });
    expect(res.statusCode, res.body).toBe(201);
    const items = (await read('provider-1')).items;
    expect(items.some((i) => i.key === 'activity_record:4')).toBe(false);
  }, 60_000);

  it('an adjustment proposed by the provider waits for its community only; the answer reaches the provider as a message', async () => {
    const [c] = await queryRows<{ community_code: string }>(ctx, sql`select community_code from contract where id = 4`);
    expect(c!.community_code).toBe('210102021001');
    const proposed = await (
      await client('provider-1')
    ).post('/api/contracts/4/adjustments', { change: '培训场次由 4 场调整为 3 场', reason: '场地维修' });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const id = (proposed.json() as { id: number }).id;
    const panel = [...PANEL, 'community-210102021001'];
    for (const u of panel) await read(u);
    assertCase('adjustment_decide', panel);

    const decided = await (await client('community-210102021001')).post(`/api/adjustments/${id}/decide`, { approve: true, note: '同意' });
    expect(decided.statusCode, decided.body).toBe(200);
    expect((await read('community-210102021001')).items.some((i) => i.key === `adjustment_decide:${id}`)).toBe(false);
    const messages = async (u: string) =>
      ((await (await client(u)).get('/api/messages')).json() as { items: { key: string; title: string; link: string }[] }).items;
    const answer = (await messages('provider-1')).find((m) => m.key === `adjustment_answered:${id}`);
    expect(answer).toMatchObject({ title: expect.stringContaining('已获社区批准'), link: '/contracts/4' });
    expect((await messages('provider-2')).some((m) => m.key === `adjustment_answered:${id}`)).toBe(false);
  }, 60_000);
});

describe('states built by an action or a later date', () => {
  const panel = [
    'community-210112022003',
    'community-210112022002',
    'street-210112022',
    'district-210112',
    'city',
    'finance',
    'provider-1',
    'evaluator-1',
  ];
  it('the street returns the submitted plan: its community has it to redo', async () => {
    const res = await (
      await client('street-210112022')
    ).post('/api/plans/2/review', {
      outcome: 'return',
      reasons: [{ rule: 'duplicate_investment', note: '请说明与区级项目的区别' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    for (const u of panel) await read(u);
    assertCase('plan_returned', panel);
    // The review is done: no longer in the street's to-do.
    expect(views.get('street-210112022')!.items.some((i) => i.kind === 'plan_review' && i.link === '/plans/2')).toBe(false);
  }, 60_000);

  it('a spot check finding: its community answers by the deadline, then the city follows it up', async () => {
    const [f] = await queryRows<{ id: number; community_code: string; parent_code: string }>(
      ctx,
      sql`select f.id, f.community_code, r.parent_code from supervision_finding f join region r on r.code = f.community_code
          where f.status = 'open' and f.spot_check_id is not null order by f.id limit 1`,
    );
    expect(f).toBeDefined();
    const [sibling] = await queryRows<{ code: string }>(
      ctx,
      sql`select code from region where parent_code = ${f!.parent_code} and code <> ${f!.community_code} order by code limit 1`,
    );
    Object.assign(FINDING, { id: f!.id, community: f!.community_code, sibling: sibling!.code, street: f!.parent_code });
    const panel = [
      `community-${FINDING.community}`,
      `community-${FINDING.sibling}`,
      `street-${FINDING.street}`,
      'city',
      'finance',
      'provider-1',
      'evaluator-1',
    ];
    for (const u of panel) await read(u);
    assertCase('finding_respond', panel);
    const res = await (
      await client(`community-${FINDING.community}`)
    ).post(`/api/findings/${FINDING.id}/response`, {
      response: '已按要求补齐活动记录并公开',
    });
    expect(res.statusCode, res.body).toBe(200);
    for (const u of panel) await read(u);
    assertCase('finding_close', panel);
    expect(views.get(`community-${FINDING.community}`)!.items.some((i) => i.key === FINDING.key('respond'))).toBe(false);
  }, 60_000);

  it('the notice window of 光荣西社区 ends below the threshold: the community draws up its plan', async () => {
    setToday(ctx.app, '2026-12-21');
    const others = [
      'community-210112019002',
      'community-210112019003',
      'street-210112019',
      'district-210112',
      'city',
      'finance',
      'provider-1',
      'evaluator-1',
    ];
    for (const u of others) await read(u);
    assertCase('plan_create', others);
  }, 60_000);
});
