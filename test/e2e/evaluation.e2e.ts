import { describe, expect, it } from 'vitest';
import { signIn, useE2E } from './harness.js';
import { confirmModal } from './confirm-helper.js';

const e2e = useE2E();

describe('evaluation, district report and the city dashboard [N 3.2]', () => {
  it('an evaluator scores a project, the district files its final report, the city dashboard reflects both', async () => {
    // The city dashboard before: no final evaluation concluded yet in the demo city.
    const city = await e2e.newPage();
    await signIn(city.page, 'city');
    await city.page.goto('/city-dashboard');
    const finalDone = city.page.getByTestId('final-done');
    await expect.poll(() => finalDone.isVisible()).toBe(true);
    const doneCount = async () => Number(/终期评估已完成\s*(\d+)/.exec(await finalDone.innerText())?.[1]);
    expect(await doneCount()).toBe(0);

    // evaluator-1 scores its final assignment on the weighted rubric.
    const ev = await e2e.newPage();
    await signIn(ev.page, 'evaluator-1');
    await ev.page.goto('/evaluations');
    const row = ev.page.locator('tr', { hasText: '终期评估' }).filter({ hasText: '未评' }).first();
    await expect.poll(() => row.isVisible()).toBe(true);
    await row.getByRole('link').first().click();
    await expect.poll(() => ev.page.getByRole('button', { name: '提交评分并出具等次' }).isVisible()).toBe(true);
    for (const label of ['社工室建设情况', '社工室作用发挥', '承接项目情况', '品牌效应', '孵化培育成效', '服务覆盖人数']) {
      await ev.page.getByLabel(label, { exact: true }).fill('92');
    }
    await ev.page.getByLabel('评估结论').fill('项目目标全部完成，居民满意度高（端到端测试）');
    await ev.page.getByRole('button', { name: '提交评分并出具等次' }).click();
    await confirmModal(ev.page, '提交结论');
    await expect.poll(() => ev.page.getByText('已出具结论：92.00 分，优秀').first().isVisible()).toBe(true);
    await ev.context.close();

    // The district bureau compiles and files its final report.
    const district = await e2e.newPage();
    await signIn(district.page, 'district-210115');
    await district.page.goto('/district-reports');
    await district.page.getByRole('button', { name: '编写报告' }).click();
    await district.page
      .getByRole('button', { name: 'OK' })
      .or(district.page.getByRole('button', { name: '确 定' }))
      .or(district.page.getByRole('button', { name: '确定' }))
      .first()
      .click();
    const link = district.page.getByRole('link', { name: '2026 年度终期评估报告' });
    await expect.poll(() => link.isVisible()).toBe(true);
    await link.click();
    await expect.poll(() => district.page.getByLabel('报告正文').isVisible()).toBe(true);
    await district.page.getByLabel('报告正文').fill('本区终期评估已完成 1 个项目，等次优秀。（端到端测试）');
    await district.page.getByRole('button', { name: '报送市民政局' }).click();
    await confirmModal(district.page, /报\s*送/);
    await expect.poll(() => district.page.getByText('已报送市民政局').first().isVisible()).toBe(true);
    await district.context.close();

    // The city sees the concluded final evaluation and the filed report.
    await city.page.reload();
    await expect.poll(() => finalDone.isVisible()).toBe(true);
    await expect.poll(doneCount).toBe(1);
    await city.page.goto('/district-reports');
    const filed = city.page.locator('tr', { hasText: '终期评估报告' }).first();
    await expect.poll(() => filed.isVisible()).toBe(true);
    expect(await filed.innerText()).toContain('已报送');
    await city.context.close();
  });
});
