import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, loginAs, queryRows, setToday, type TestContext } from '../helpers/app.js';
import {
  councilDecides,
  freeCommunityCodes,
  noticedDecision,
  objectOnline,
  openDecision,
  prepare,
  presentOf,
  readyCommunity,
  type DecisionBody,
} from '../helpers/factories-decisions.js';

process.env.NEEDS_SUBMIT_RATE_LIMIT = '10000';
process.env.OBJECTION_RATE_LIMIT = '10000';

let ctx: TestContext;
let codes: string[];
beforeAll(async () => {
  ctx = await createTestApp();
  codes = await freeCommunityCodes(ctx);
  expect(codes.length).toBeGreaterThanOrEqual(6);
});
afterAll(async () => ctx?.close());

const decisionOf = async (staff: Awaited<ReturnType<typeof loginAs>>, id: number): Promise<DecisionBody> =>
  (await staff.get(`/api/decisions/${id}`)).json().decision;

describe('objection threshold: 5 × objectors ≥ representatives [N 3.1.2(1)] [L] 民法典 §1259', () => {
  it.each([
    [5, 1],
    [10, 2],
    [11, 3],
  ])('with %i representatives, %i objectors suspend the decision and one fewer does not', async (reps, needed) => {
    const index = [5, 10, 11].indexOf(reps);
    const { c, decision, notice } = await noticedDecision(ctx, codes[index]!, '2026-06-01', { representatives: reps, council: 5 });
    expect(notice).toMatchObject({ representatives: reps, objectorsNeeded: needed });
    setToday(ctx.app, '2026-06-03');
    // One below the threshold, half online and half on paper.
    for (const [i, h] of c.representatives.slice(0, needed - 1).entries()) {
      const res =
        i % 2 === 0
          ? await objectOnline(ctx.app, notice.id, h)
          : await c.staff.post(`/api/decisions/notices/${notice.id}/objections`, {
              householdNo: h.householdNo,
              representativeName: h.headName,
              reason: '书面异议',
            });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ objectors: i + 1, suspended: false });
    }
    const below = await decisionOf(c.staff, decision.id);
    expect(below.status).toBe('noticed');
    expect(below.notices[0]!.status).toBe('open');
    const last = await objectOnline(ctx.app, notice.id, c.representatives[needed - 1]!);
    expect(last.statusCode, last.body).toBe(200);
    expect(last.json()).toMatchObject({ objectors: needed, representatives: reps, suspended: true });
    const after = await decisionOf(c.staff, decision.id);
    expect(after.status).toBe('suspended');
    expect(after.notices[0]).toMatchObject({ status: 'suspended', objectors: needed });
    const pub = (await ctx.app.inject({ method: 'GET', url: `/api/public/decisions/notices/${notice.id}` })).json();
    expect(pub).toMatchObject({ status: 'suspended', objectors: needed, objectorsNeeded: needed, daysLeft: 0 });
  });
});

describe('who may object, and only once', () => {
  let c: Awaited<ReturnType<typeof readyCommunity>>;
  let noticeId: number;
  const spouse = '李淑珍';

  beforeAll(async () => {
    setToday(ctx.app, '2026-07-01');
    c = await readyCommunity(ctx, codes[3]!, { representatives: 16, council: 5 });
    // The first household has a second representative besides its head.
    const head = c.representatives[0]!;
    const found = (await c.staff.get(`/api/regions/${c.code}/households?q=${head.householdNo}`)).json().items[0];
    const patched = await c.staff.patch(`/api/households/${found.id}`, {
      members: [
        { name: head.headName, isRepresentative: true, isCouncilMember: true },
        { name: spouse, isRepresentative: true, isCouncilMember: false },
      ],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const opened = await openDecision(c);
    await prepare(c, opened.id, '2026-07-01');
    const decided = await councilDecides(c, opened, '2026-07-01');
    noticeId = decided.notices[0]!.id;
    expect(decided.notices[0]).toMatchObject({ representatives: 17, objectorsNeeded: 4 });
  });

  it('identifies a representative as in needs collection, asking the name when a household has two', async () => {
    setToday(ctx.app, '2026-07-02');
    const head = c.representatives[0]!;
    const ambiguous = await objectOnline(ctx.app, noticeId, head);
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().field).toBe('representativeName');
    expect((await objectOnline(ctx.app, noticeId, head, { representativeName: spouse })).json()).toMatchObject({ objectors: 1 });
    expect((await objectOnline(ctx.app, noticeId, head, { representativeName: head.headName })).json()).toMatchObject({
      objectors: 2,
      suspended: false,
    });
    const stranger = await objectOnline(ctx.app, noticeId, head, { representativeName: '张三丰' });
    expect(stranger.statusCode).toBe(422);
  });

  it('refuses the same representative twice, online or on paper', async () => {
    const rep = c.representatives[1]!;
    expect((await objectOnline(ctx.app, noticeId, rep)).statusCode).toBe(200);
    const again = await objectOnline(ctx.app, noticeId, rep);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'ALREADY_OBJECTED', clause: '[N 3.1.2(1)]' });
    const paper = await c.staff.post(`/api/decisions/notices/${noticeId}/objections`, {
      householdNo: rep.householdNo,
      representativeName: ` ${rep.headName} `,
    });
    expect(paper.statusCode).toBe(409);
    const rows = await queryRows(ctx, sql`select count(*)::int as n from decision_objection where notice_id = ${noticeId}`);
    expect(rows[0]).toEqual({ n: 3 });
    // 3 of 17: 15 < 17, still open.
    expect((await decisionOf(c.staff, (await c.staff.get('/api/decisions?communityCode=' + c.code)).json().items[0].id)).status).toBe(
      'noticed',
    );
  });

  it('refuses a household that holds no representative, a wrong phone, and a representative of another community', async () => {
    setToday(ctx.app, '2026-07-02');
    const fresh = await readyCommunity(ctx, codes[4]!, { representatives: 10, council: 5 });
    const d = await openDecision(fresh);
    await prepare(fresh, d.id, '2026-07-02');
    const notice = (await councilDecides(fresh, d, '2026-07-02')).notices[0]!;
    const resident = fresh.households.at(-1)!;
    const notRep = await objectOnline(ctx.app, notice.id, resident);
    expect(notRep.statusCode).toBe(422);
    expect(notRep.json()).toMatchObject({ code: 'REPRESENTATIVE_NOT_IDENTIFIED', clause: '[N 3.1.2(1)]' });
    const wrongPhone = await objectOnline(ctx.app, notice.id, fresh.representatives[0]!, { phoneLast4: '1234' });
    expect(wrongPhone.statusCode).toBe(422);
    expect(wrongPhone.json().message).toBe(notRep.json().message);
    const foreign = await objectOnline(ctx.app, notice.id, c.representatives[5]!);
    expect(foreign.statusCode).toBe(422);
    const paper = await fresh.staff.post(`/api/decisions/notices/${notice.id}/objections`, {
      householdNo: resident.householdNo,
      representativeName: resident.headName,
    });
    expect(paper.statusCode).toBe(422);
    expect(paper.json().code).toBe('NOT_A_REPRESENTATIVE');
    const early = await fresh.staff.post(`/api/decisions/notices/${notice.id}/objections`, {
      householdNo: fresh.representatives[0]!.householdNo,
      representativeName: fresh.representatives[0]!.headName,
      receivedOn: '2026-07-01',
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().field).toBe('receivedOn');
    const ok = await fresh.staff.post(`/api/decisions/notices/${notice.id}/objections`, {
      householdNo: fresh.representatives[0]!.householdNo,
      representativeName: fresh.representatives[0]!.headName,
      receivedOn: '2026-07-02',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    // Staff of the community see the name; the street office sees it masked.
    const clear = await decisionOf(fresh.staff, d.id);
    expect(clear.notices[0]!.objections[0]).toMatchObject({ representativeName: fresh.representatives[0]!.headName, channel: 'paper' });
    const street = await loginAs(ctx.app, `street-${fresh.code.slice(0, 9)}`);
    const masked = await decisionOf(street, d.id);
    expect(masked.notices[0]!.objections[0]!.representativeName).not.toBe(fresh.representatives[0]!.headName);
    expect(masked.notices[0]!.objections[0]!.representativeName).toContain('*');
  });
});

describe('objection → re-vote → new notice [N 3.1.2(1)]', () => {
  it("suspends, is retaken by a representatives' meeting, voids the old notice and posts a new one", async () => {
    const { c, decision, notice } = await noticedDecision(ctx, codes[5]!, '2026-08-03', { representatives: 10, council: 7 });
    setToday(ctx.app, '2026-08-05');
    for (const h of c.representatives.slice(0, 2)) expect((await objectOnline(ctx.app, notice.id, h)).statusCode).toBe(200);
    expect((await decisionOf(c.staff, decision.id)).status).toBe('suspended');

    const more = await objectOnline(ctx.app, notice.id, c.representatives[2]!);
    expect(more.statusCode).toBe(409);
    expect(more.json().code).toBe('NOTICE_NOT_OPEN');
    const vote = await c.staff.post(`/api/decisions/${decision.id}/vote`, {
      heldOn: '2026-08-05',
      body: 'council',
      presentMembers: presentOf(c.council),
      votes: decision.projects.map((p) => ({ projectId: p.id, for: 7, against: 0, abstain: 0 })),
      minutes: 'x',
    });
    expect(vote.statusCode, vote.body).toBe(409);

    setToday(ctx.app, '2026-08-10');
    const reps = c.representatives;
    const revote = (body: Record<string, unknown>) =>
      c.staff.post(`/api/decisions/${decision.id}/revote`, { heldOn: '2026-08-10', minutes: '居民代表会议就异议重新表决', ...body });
    const byMeeting = await revote({
      body: 'residents_meeting',
      expectedAttendance: 100,
      actualAttendance: 80,
      votes: decision.projects.map((p) => ({ projectId: p.id, for: 80, against: 0, abstain: 0 })),
    });
    expect(byMeeting.statusCode, byMeeting.body).toBe(422);
    expect(byMeeting.json().code).toBe('BODY_NOT_ALLOWED');
    const noQuorum = await revote({
      body: 'representatives_meeting',
      presentMembers: presentOf(reps.slice(0, 5)),
      votes: decision.projects.map((p) => ({ projectId: p.id, for: 5, against: 0, abstain: 0 })),
    });
    expect(noQuorum.statusCode).toBe(422);
    expect(noQuorum.json()).toMatchObject({ code: 'QUORUM_NOT_MET', details: { expected: 10, present: 5 } });

    const [p1, p2, p3] = decision.projects;
    const res = await revote({
      body: 'representatives_meeting',
      presentMembers: presentOf(reps.slice(0, 8)),
      votes: [
        { projectId: p1!.id, for: 8, against: 0, abstain: 0 },
        { projectId: p2!.id, for: 2, against: 6, abstain: 0 },
        { projectId: p3!.id, for: 5, against: 3, abstain: 0 },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json().decision as DecisionBody;
    expect(d).toMatchObject({ status: 'noticed', round: 2 });
    expect(d.projects.map((p) => p.passed)).toEqual([true, false, true]);
    expect(d.records.at(-1)).toMatchObject({ step: 'objection_revote', outcome: 'decided' });
    expect(d.notices.map((n) => [n.round, n.status])).toEqual([
      [1, 'voided'],
      [2, 'open'],
    ]);
    // 2026-08-10 + 10 = 2026-08-20 (Thursday).
    expect(d.notices[1]).toMatchObject({ postedOn: '2026-08-10', windowEnd: '2026-08-20', objectors: 0, representatives: 10 });
    expect(d.notices[1]!.projects.map((p) => p.projectId)).toEqual([p1!.id, p3!.id]);

    const old = (await ctx.app.inject({ method: 'GET', url: `/api/public/decisions/notices/${notice.id}` })).json();
    expect(old).toMatchObject({ status: 'voided', latestNoticeId: d.notices[1]!.id });
    expect((await objectOnline(ctx.app, notice.id, reps[3]!)).statusCode).toBe(409);
    // A new notice counts afresh: the same representative may object to it once.
    setToday(ctx.app, '2026-08-11');
    const again = await objectOnline(ctx.app, d.notices[1]!.id, reps[0]!);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ objectors: 1, suspended: false });
    expect((await objectOnline(ctx.app, d.notices[1]!.id, reps[0]!)).statusCode).toBe(409);

    const audit = await queryRows<{ action: string }>(
      ctx,
      sql`select action from audit_event where (entity_type = 'decision' and entity_id = ${String(decision.id)}) or (entity_type = 'decision_notice' and entity_id in (${String(notice.id)}, ${String(d.notices[1]!.id)})) order by seq`,
    );
    expect(audit.map((a) => a.action).filter((a) => a !== 'decision.step')).toEqual([
      'decision.create',
      'decision.vote',
      'decision.notice.post',
      'decision.objection',
      'decision.objection',
      'decision.suspend',
      'decision.revote',
      'decision.notice.post',
      'decision.objection',
    ]);
  });
});

describe('window closed without the threshold → ready for the street review', () => {
  it('reads as ready for review the day after the window end, and closeExpiredNotices persists it', async () => {
    const [code] = await freeCommunityCodes(ctx);
    const { c, decision, notice } = await noticedDecision(ctx, code!, '2026-03-02', { representatives: 10, council: 5 });
    expect(notice.windowEnd).toBe('2026-03-12');
    setToday(ctx.app, '2026-03-12');
    expect((await objectOnline(ctx.app, notice.id, c.representatives[0]!)).statusCode).toBe(200);
    expect((await decisionOf(c.staff, decision.id)).status).toBe('noticed');
    const streetCode = code!.slice(0, 9);
    expect(await ctx.app.services.decisions.readyForReview({ codePrefix: streetCode })).toEqual([]);

    setToday(ctx.app, '2026-03-13');
    const d = await decisionOf(c.staff, decision.id);
    expect(d.status).toBe('ready_for_review');
    expect(d.notices[0]).toMatchObject({ status: 'closed', daysLeft: 0, objectors: 1 });
    const street = await loginAs(ctx.app, `street-${streetCode}`);
    const listed = (await street.get('/api/decisions?status=ready_for_review')).json();
    expect(listed.items.map((i: { id: number }) => i.id)).toContain(decision.id);
    const ready = await ctx.app.services.decisions.readyForReview({ codePrefix: streetCode });
    expect(ready).toHaveLength(1);
    expect(ready[0]).toMatchObject({ decisionId: decision.id, noticeId: notice.id, windowEnd: '2026-03-12' });
    const late = await objectOnline(ctx.app, notice.id, c.representatives[1]!);
    expect(late.statusCode).toBe(422);
    expect(late.json().code).toBe('OBJECTION_LATE');

    // Suspended decisions elsewhere (earlier tests) are never ready for review.
    const all = await ctx.app.services.decisions.readyForReview({ today: '2026-12-31' });
    const statuses = await queryRows<{ id: number; status: string }>(
      ctx,
      sql`select id, status from decision where id in (${sql.join(
        all.map((r) => sql`${r.decisionId}`),
        sql`, `,
      )})`,
    );
    expect(statuses.every((s) => s.status === 'noticed' || s.status === 'ready_for_review')).toBe(true);

    const closed = await ctx.app.services.decisions.closeExpiredNotices('2026-03-13');
    expect(closed.closed).toBe(1);
    expect(await queryRows(ctx, sql`select status from decision where id = ${decision.id}`)).toEqual([{ status: 'ready_for_review' }]);
    expect(await queryRows(ctx, sql`select status from decision_notice where id = ${notice.id}`)).toEqual([{ status: 'closed' }]);
    expect((await ctx.app.services.decisions.closeExpiredNotices('2026-03-13')).closed).toBe(0);
    expect(await ctx.app.services.decisions.readyForReview({ codePrefix: streetCode })).toHaveLength(1);
  });
});

describe('paper objections count by the day they were received [N 3.1.2(1)] (issue 16)', () => {
  type EntryView = Omit<DecisionBody, 'notices'> & {
    paperEntry: { noticeId: number; until: string; provisional: boolean; open: boolean } | null;
    suspension: { at: string; reason: string; lateEntry: boolean } | null;
    notices: (Omit<DecisionBody['notices'][number], 'objections'> & {
      paperEntryUntil: string | null;
      suspendedAt: string | null;
      suspendReason: string | null;
      objections: { receivedOn: string; enteredOn: string; enteredLate: boolean; channel: string }[];
    })[];
  };
  const view = async (staff: Awaited<ReturnType<typeof loginAs>>, id: number) => (await decisionOf(staff, id)) as unknown as EntryView;

  it("a written objection handed in on the window's last day and typed in within the grace counts, reaches the threshold and suspends from that moment", async () => {
    const [code] = await freeCommunityCodes(ctx);
    // Posted Monday 2026-08-03: the window ends Thursday 08-13; 3 working days of grace run to Tuesday 08-18.
    const { c, decision, notice } = await noticedDecision(ctx, code!, '2026-08-03', { representatives: 10, council: 5 });
    expect(notice).toMatchObject({ windowEnd: '2026-08-13', objectorsNeeded: 2 });
    setToday(ctx.app, '2026-08-05');
    expect((await objectOnline(ctx.app, notice.id, c.representatives[0]!)).json()).toMatchObject({ objectors: 1, suspended: false });

    setToday(ctx.app, '2026-08-14');
    const open = await view(c.staff, decision.id);
    expect(open.status).toBe('ready_for_review');
    expect(open.paperEntry).toMatchObject({ noticeId: notice.id, until: '2026-08-18', open: true });
    expect(open.notices[0]!.paperEntryUntil).toBe('2026-08-18');
    expect(open.suspension).toBeNull();
    // Online objections end with the window.
    expect((await objectOnline(ctx.app, notice.id, c.representatives[2]!)).json().code).toBe('OBJECTION_LATE');

    // The street has closed the window in the meantime; the late entry still counts (the clock
    // stopped at noon, so that the moment of suspension is known to the millisecond).
    ctx.app.clock.freeze(new Date('2026-08-17T04:00:00Z'));
    expect((await ctx.app.services.decisions.closeExpiredNotices('2026-08-17')).closed).toBeGreaterThanOrEqual(1);
    const rep = c.representatives[1]!;
    const res = await c.staff.post(`/api/decisions/notices/${notice.id}/objections`, {
      householdNo: rep.householdNo,
      representativeName: rep.headName,
      receivedOn: '2026-08-13',
      reason: '书面异议（公示期最后一天递交）',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ objectors: 2, objectorsNeeded: 2, suspended: true });

    const d = await view(c.staff, decision.id);
    expect(d.status).toBe('suspended');
    expect(d.suspension).toMatchObject({ at: '2026-08-17T04:00:00.000Z', lateEntry: true });
    expect(d.suspension!.reason).toContain('2026-08-13');
    expect(d.suspension!.reason).toContain('补录');
    expect(d.notices[0]).toMatchObject({
      status: 'suspended',
      objectors: 2,
      suspendedAt: '2026-08-17T04:00:00.000Z',
      suspendReason: d.suspension!.reason,
    });
    expect(d.notices[0]!.objections.map((o) => [o.channel, o.receivedOn, o.enteredOn, o.enteredLate])).toEqual([
      ['online', '2026-08-05', '2026-08-05', false],
      ['paper', '2026-08-13', '2026-08-17', true],
    ]);
    expect(d.paperEntry).toMatchObject({ open: false });
    expect((await ctx.app.services.decisions.readyForReview({ codePrefix: code!.slice(0, 9) })).map((r) => r.decisionId)).not.toContain(
      decision.id,
    );
    const [suspend] = await queryRows<{ after: { lateEntry: boolean; reason: string } }>(
      ctx,
      sql`select after from audit_event where entity_type = 'decision' and entity_id = ${String(decision.id)} and action = 'decision.suspend'`,
    );
    expect(suspend!.after).toMatchObject({ lateEntry: true, reason: d.suspension!.reason });
  });

  it('refuses a received date in the future, before the posting, outside the window, and an entry after the grace', async () => {
    const [code] = await freeCommunityCodes(ctx);
    const { c, notice } = await noticedDecision(ctx, code!, '2026-08-03', { representatives: 10, council: 5 });
    const rep = c.representatives[0]!;
    const paper = (receivedOn: string) =>
      c.staff.post(`/api/decisions/notices/${notice.id}/objections`, {
        householdNo: rep.householdNo,
        representativeName: rep.headName,
        receivedOn,
      });

    setToday(ctx.app, '2026-08-07');
    const future = await paper('2026-08-08');
    expect([future.statusCode, future.json().code, future.json().field, future.json().clause]).toEqual([
      400,
      'RECEIVED_IN_FUTURE',
      'receivedOn',
      '[N 3.1.2(1)]',
    ]);
    expect(future.json().message).toContain('晚于今天');
    const before = await paper('2026-08-02');
    expect([before.statusCode, before.json().code, before.json().field, before.json().clause]).toEqual([
      400,
      'RECEIVED_BEFORE_NOTICE',
      'receivedOn',
      '[N 3.1.2(1)]',
    ]);
    expect(before.json().messageEn).toContain('before the notice was posted');
    const invalid = await paper('2026-02-30');
    expect([invalid.statusCode, invalid.json().field]).toEqual([400, 'receivedOn']);

    setToday(ctx.app, '2026-08-14');
    const outside = await paper('2026-08-14');
    expect([outside.statusCode, outside.json().code, outside.json().field, outside.json().clause]).toEqual([
      400,
      'RECEIVED_OUTSIDE_WINDOW',
      'receivedOn',
      '[N 3.1.2(1)]',
    ]);
    expect(outside.json().message).toContain('不在公示期');

    setToday(ctx.app, '2026-08-19');
    const late = await paper('2026-08-13');
    expect([late.statusCode, late.json().code, late.json().field, late.json().clause]).toEqual([
      422,
      'OBJECTION_ENTRY_LATE',
      'receivedOn',
      '[N 3.1.2(1)]',
    ]);
    expect(late.json().details).toMatchObject({ entryUntil: '2026-08-18', windowEnd: '2026-08-13' });
    expect(await queryRows(ctx, sql`select count(*)::int as n from decision_objection where notice_id = ${notice.id}`)).toEqual([{ n: 0 }]);

    // On the last day of grace it is still taken.
    setToday(ctx.app, '2026-08-18');
    const lastDay = await paper('2026-08-13');
    expect(lastDay.statusCode, lastDay.body).toBe(200);
    expect(lastDay.json()).toMatchObject({ objectors: 1, suspended: false });
  });
});
