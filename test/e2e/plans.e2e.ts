import { describe, expect, it } from 'vitest';
import { signIn, useE2E } from './harness.js';
import { confirmModal } from './confirm-helper.js';

const e2e = useE2E();

/** A 4★ community account of the demo city (rated in 2025, fund year 2026) and a 4★ one left without a decision. */
const COMMUNITY = '210105001001';
const OTHER = '210114001001';

const dateOffset = (days: number) => new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

/** Fixtures driven through the public API, checked by status. */
const client = (username: string) => e2e.api(username);

/** Needs, proposals and the council's decision through the API, dated so that the notice has closed. */
async function decidedThroughApi(code: string) {
  const staff = await client(`community-${code}`);
  const n = 12;
  const households = Array.from({ length: n }, (_, i) => ({
    no: `E2E-${String(i + 1).padStart(3, '0')}`,
    name: `${'王李张刘陈杨赵黄周吴徐孙'[i]}${'建国秀英桂兰志强丽华海燕文博子涵晓东玉梅国庆明远'.slice(i, i + 2)}`,
    phone: `1391000${String(1000 + i)}`,
  }));
  const csv = [
    '户号,楼栋,单元,房号,户主姓名,联系电话,常住人数,居民代表,议事会成员',
    ...households.map((h, i) => [h.no, '1', '1', `${i + 1}01`, h.name, h.phone, '2', i < 5 ? h.name : '', i < 5 ? h.name : ''].join(',')),
  ].join('\r\n');
  await staff.post(`/regions/${code}/households/import`, { format: 'csv', content: `${csv}\r\n` });
  await (await client(`street-${code.slice(0, 9)}`)).patch(`/regions/${code}/profile`, { residentHouseholds: n });
  const year = Number(dateOffset(0).slice(0, 4));
  const { campaign } = await staff.post('/needs/campaigns', {
    communityCode: code,
    fundYear: year,
    title: `${year} 年度居民需求征集`,
    opensOn: dateOffset(-60),
    closesOn: dateOffset(30),
    channels: ['household_vote'],
    questionnaire: { itemCodes: ['E3', 'E5', 'E6', 'E7'], freeText: false },
  });
  for (const h of households.slice(0, 5))
    await staff.post(`/needs/campaigns/${campaign.id}/opinions`, { householdNo: h.no, channel: 'household_vote', choices: ['E5'] });
  await staff.post(`/needs/campaigns/${campaign.id}/conclude`);
  const list = [
    ['社区社工室建设', 'B1'],
    ['社区社会组织孵化', 'B2'],
    ['居民骨干培育', 'B3'],
    ['老年助餐', 'E5'],
    ['四点半课堂', 'E6'],
    ['高龄老人探访', 'E3'],
    ['志愿服务队培育', 'E7'],
  ];
  const ids: number[] = [];
  for (const [title, catalogueCode] of list)
    ids.push(
      (await staff.post(`/needs/campaigns/${campaign.id}/proposals`, { title, catalogueCode, estimatedBudgetFen: 1_000_000 })).proposal.id,
    );
  return { staff, campaignId: campaign.id, ids, households };
}

describe('usage plans in the console [N 2], [N 3.1.2(2)], [N 2.3]', () => {
  it('a community submits a compliant plan, the street approves, the district sees it filed', async () => {
    const { campaignId, ids, households } = await decidedThroughApi(COMMUNITY);
    const staff = await client(`community-${COMMUNITY}`);
    // The draft list (PUT) and the decision, voted 25 days ago so its notice has closed.
    await staff.put(`/needs/campaigns/${campaignId}/draft-list`, { items: ids.map((proposalId) => ({ proposalId })) });
    await staff.post(`/needs/campaigns/${campaignId}/ready`);
    const { decision } = await staff.post('/decisions', { campaignId, procedure: 'major' });
    for (const step of ['party_proposal', 'committees_discussion', 'party_members_review', 'street_party_audit']) {
      await staff.post(`/decisions/${decision.id}/steps`, {
        step,
        heldOn: dateOffset(-30),
        expectedAttendance: 9,
        actualAttendance: 8,
        outcome: 'approved',
        minutes: '会议纪要',
      });
    }
    await staff.post(`/decisions/${decision.id}/vote`, {
      heldOn: dateOffset(-25),
      body: 'council',
      presentMembers: households.slice(0, 5).map((h) => ({ householdNo: h.no, name: h.name })),
      votes: decision.projects.map((p: { id: number }) => ({ projectId: p.id, for: 5, against: 0, abstain: 0 })),
      minutes: '逐项表决',
    });

    const { context, page } = await e2e.newPage();
    await signIn(page, `community-${COMMUNITY}`);
    await page.goto('/plans');
    await page.getByRole('button', { name: '根据决策清单编制使用方案' }).click();
    await expect.poll(() => page.getByTestId('compliance-panel').isVisible()).toBe(true);
    await expect.poll(() => page.locator('[data-passed="false"]').count()).toBe(0);
    await expect.poll(() => page.locator('[data-passed="true"]').count()).toBe(8);
    await page.getByRole('button', { name: '提交街道初审' }).click();
    await confirmModal(page, /提\s*交/);
    await expect.poll(() => page.getByText('待街道初审').first().isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('countdown').first().isVisible()).toBe(true);
    const planUrl = new URL(page.url()).pathname;
    await context.close();

    const street = await e2e.newPage();
    await signIn(street.page, `street-${COMMUNITY.slice(0, 9)}`);
    await street.page.goto('/todo');
    await expect.poll(() => street.page.getByText('街道初审使用方案').first().isVisible()).toBe(true);
    await street.page.goto(planUrl);
    await street.page.getByRole('button', { name: '初审通过' }).click();
    await confirmModal(street.page, '初审通过');
    await expect.poll(() => street.page.getByText('待备案').first().isVisible()).toBe(true);
    await street.context.close();

    const district = await e2e.newPage();
    await signIn(district.page, `district-${COMMUNITY.slice(0, 6)}`);
    await district.page.goto(planUrl);
    await district.page.getByRole('button', { name: '确认备案' }).click();
    await confirmModal(district.page, '确认备案');
    await expect.poll(() => district.page.getByText('已备案').first().isVisible()).toBe(true);
    await expect.poll(() => district.page.getByText('区民政局').first().isVisible()).toBe(true);
    await district.context.close();
  });

  it('another plan is blocked, with the failing rule shown', async () => {
    const { context, page } = await e2e.newPage();
    await signIn(page, `community-${OTHER}`);
    await page.goto('/plans');
    await page.getByRole('button', { name: '根据决策清单编制使用方案' }).click();
    await expect.poll(() => page.locator('[data-rule="council_decision"][data-passed="false"]').isVisible()).toBe(true);
    await expect
      .poll(() =>
        page
          .locator('[data-rule="basic_projects"]')
          .getByText(/如何修改/)
          .isVisible(),
      )
      .toBe(true);
    // Submit is disabled while a rule fails, with the reason shown (issue 19); the server would refuse anyway.
    await expect.poll(() => page.getByRole('button', { name: '提交街道初审' }).isDisabled()).toBe(true);
    await expect.poll(async () => (await page.getByTestId('submit-reason').textContent()) ?? '').toContain('三项基础类项目齐全');
    await context.close();
  });
  it('the demo area plan shows each project’s served members and shares, and its contract names the members', async () => {
    type Summary = { id: number; kind: string; streetCode: string };
    const district = await client('district-210102');
    const area = (await district.get<{ items: Summary[] }>('/plans?stage=filing&limit=500')).items.find((p) => p.kind === 'area')!;
    const street = await client(`street-${area.streetCode}`);
    const { plan } = await street.get<{ plan: { communities: { code: string; name: string }[] } }>(`/plans/${area.id}`);
    const { context, page } = await e2e.newPage();
    await signIn(page, `street-${area.streetCode}`);
    await page.goto(`/plans/${area.id}`);
    const shares = page.getByTestId('area-shares');
    await expect.poll(() => shares.isVisible()).toBe(true);
    // Filed: read only, every project's shares hold, every member listed with its allocation and rest.
    await expect.poll(() => shares.getByText('份额合计等于预算').count()).toBeGreaterThan(0);
    expect(await shares.locator('[data-testid^="share-problem-"]').count()).toBe(0);
    expect(await page.getByRole('button', { name: /均\s*分/ }).count()).toBe(0);
    for (const c of plan.communities) expect(await shares.getByText(c.name).count()).toBeGreaterThan(0);

    const contracts = (await street.get<{ items: { id: number }[] }>('/contracts')).items;
    let shared: number | null = null;
    for (const c of contracts)
      if ((await street.get<{ ledger: { shares: unknown[] } }>(`/contracts/${c.id}`)).ledger.shares.length > 1) shared = c.id;
    expect(shared).not.toBeNull();
    await page.goto(`/contracts/${shared}`);
    await expect.poll(() => page.getByText('片区成员社区承担份额').isVisible()).toBe(true);
    const table = page.locator('.ant-table').filter({ hasText: '片区成员社区承担份额' });
    for (const c of plan.communities) await expect.poll(() => table.getByText(c.name).count()).toBeGreaterThan(0);
    await context.close();
  });
});
