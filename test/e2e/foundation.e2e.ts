import { describe, expect, it } from 'vitest';
import { signIn, useE2E } from './harness.js';

const e2e = useE2E();

describe('a street office in the console', () => {
  it('signs in, opens a community of its own, and cannot see one of another district', async () => {
    const { context, page } = await e2e.newPage();
    await signIn(page, 'street-210102001');
    await expect.poll(() => page.getByText('浑河湾街道办事处').first().isVisible()).toBe(true);

    await page.goto('/regions');
    // The street's own communities are listed; open the first one.
    const list = await (await page.request.get('/api/regions/210102001/communities')).json();
    const mine = list.items[0] as { code: string; name: string };
    await page.getByText(mine.name, { exact: true }).first().click();
    await page.waitForURL(`**/regions/${mine.code}`);
    await expect.poll(() => page.getByRole('heading', { name: mine.name }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('常住人口户数').first().isVisible()).toBe(true);

    // A community of 沈河区 (another district): the page says it does not exist or may not be viewed.
    await page.goto('/regions/210103005001');
    await expect.poll(() => page.getByText('不存在或无权查看').first().isVisible()).toBe(true);
    await expect(page.getByRole('heading', { name: /社区/ }).count()).resolves.toBe(0);
    await context.close();
  });

  it('shows the city bureau the 13 districts and the 2023 policy', async () => {
    const { context, page } = await e2e.newPage();
    await signIn(page, 'city');
    await page.goto('/regions');
    for (const name of ['和平区', '沈河区', '浑南区', '新民市', '康平县']) {
      await expect.poll(() => page.getByText(name, { exact: true }).first().isVisible()).toBe(true);
    }
    await page.goto('/policy');
    await expect.poll(() => page.getByText('¥200,000.00').first().isVisible()).toBe(true);
    await context.close();
  });

  it('refuses a wrong password on the login page', async () => {
    const { context, page } = await e2e.newPage();
    await page.goto('/login');
    await page.getByLabel('用户名').fill('city');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.getByText('用户名或密码错误').first().isVisible()).toBe(true);
    await context.close();
  });
});
