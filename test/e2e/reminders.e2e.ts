import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, useE2E } from './harness.js';

/** 提醒设置 in the console (ADR 0018): a street adds a 企业微信 robot, sends a test, sees it sent, disables the channel. */
const e2e = useE2E({ REMINDERS: 'on', REMINDERS_INTERVAL_MINUTES: '600' });

const received: { path: string; body: { msgtype?: string; markdown?: { content?: string } } }[] = [];
let receiver: http.Server;
let hook = '';

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: new URL(req.url!, 'http://x').pathname, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cgi-bin/webhook/send?key=e2e`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});

describe('提醒设置', () => {
  it('a street adds a 企业微信 robot, sends a test message, and disables the channel after confirming', async () => {
    const { context, page } = await e2e.newPage();
    await signIn(page, 'street-210102002');
    await page.getByRole('link', { name: '提醒设置', exact: true }).click();
    await page.waitForURL('**/notify');
    await expect.poll(() => page.getByRole('heading', { name: '提醒设置' }).isVisible()).toBe(true);

    await page.getByRole('button', { name: /新增通道/ }).click();
    const form = page.getByRole('dialog', { name: '新增提醒通道' });
    await form.getByLabel('所属区划').click();
    await page.locator('.ant-select-tree-node-content-wrapper').first().click();
    await form.getByLabel('通道类型').click();
    await page.locator('.ant-select-item-option', { hasText: '企业微信群机器人' }).click();
    await form.getByLabel('通道名称').fill('街道办工作群');
    await form.getByLabel('Webhook 地址').fill(hook);
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => page.getByRole('cell', { name: '街道办工作群' }).isVisible()).toBe(true);

    await page.getByRole('button', { name: '发送测试' }).click();
    await expect.poll(() => received.filter((r) => r.body.markdown?.content?.includes('提醒通道测试')).length).toBe(1);
    expect(received[0]!.body.msgtype).toBe('markdown');
    await expect.poll(() => page.getByRole('cell', { name: '测试消息' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('已发送').first().isVisible()).toBe(true);

    await page
      .getByRole('button', { name: /停\s*用/ })
      .first()
      .click();
    await page
      .getByRole('tooltip')
      .getByRole('button', { name: /停\s*用/ })
      .click();
    await expect.poll(() => page.getByText('已停用').first().isVisible()).toBe(true);
    await context.close();
  });
});
