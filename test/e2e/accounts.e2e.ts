import { describe, expect, it } from 'vitest';
import { signIn, useE2E } from './harness.js';

const e2e = useE2E();

describe('account administration in the console', () => {
  it('a street creates a community account; it signs in with the one-time password, must change it, then sees its to-do', async () => {
    const { context, page } = await e2e.newPage();
    await signIn(page, 'street-210102001');
    const communities = await (await page.request.get('/api/regions/210102001/communities')).json();
    const community = communities.items[0] as { code: string; name: string };

    // 账号管理 from the side menu: the street's own tree and accounts.
    await page.getByRole('link', { name: '账号管理' }).click();
    await page.waitForURL('**/users');
    await expect.poll(() => page.getByRole('heading', { name: '账号管理' }).isVisible()).toBe(true);

    // 新增账号: a community account for a community of the street.
    await page.getByRole('button', { name: /新增账号/ }).click();
    const form = page.getByRole('dialog', { name: '新增账号' });
    await form.getByLabel('用户名').fill('e2e-community-1');
    await form.getByLabel('姓名 / 名称').fill(`${community.name}（测试）`);
    await form.getByLabel('角色').click();
    await page.locator('.ant-select-item-option', { hasText: '社区"两委"' }).click();
    await form.getByLabel('区划').click();
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: community.name }).first().click();
    await form.getByRole('button', { name: /创建账号/ }).click();

    // The one-time password, shown once.
    const issued = page.getByRole('dialog', { name: '账号已创建' });
    await expect.poll(() => issued.isVisible()).toBe(true);
    const oneTimePassword = (await issued.getByTestId('one-time-password').innerText()).trim();
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(10);
    await issued.getByRole('button', { name: '我已记下，关闭' }).click();
    // Found by the server-side search (the street has an account per community: it may not be on the first page).
    await page.getByRole('searchbox', { name: '搜索账号' }).fill('e2e-community');
    await page.getByRole('searchbox', { name: '搜索账号' }).press('Enter');
    await expect.poll(() => page.getByRole('cell', { name: 'e2e-community-1' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('待改初始密码').first().isVisible()).toBe(true);

    await page.getByRole('button', { name: /退\s*出/ }).click();
    await page.waitForURL('**/login');

    // The new account: only 修改初始密码 until it has its own password.
    await signIn(page, 'e2e-community-1', oneTimePassword);
    await expect.poll(() => page.getByRole('heading', { name: '修改初始密码' }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: '待办' }).count()).toBe(0);
    // Any console address still shows only the password change.
    await page.goto('/regions');
    await expect.poll(() => page.getByRole('heading', { name: '修改初始密码' }).isVisible()).toBe(true);
    await page.getByLabel('当前密码（一次性密码）').fill(oneTimePassword);
    await page.getByLabel('新密码', { exact: true }).fill('Community2027ok');
    await page.getByLabel('再次输入新密码').fill('Community2027ok');
    await page.getByRole('button', { name: /修改密码并进入系统/ }).click();

    await page.waitForURL('**/todo');
    await expect.poll(() => page.getByText('待办事项').first().isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('header-user').getByText(`${community.name}（测试）`).isVisible()).toBe(true);
    await context.close();
  });
});
