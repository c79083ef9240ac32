import type { Transporter } from 'nodemailer';
import type { RemindersConfig } from '../../config.js';
import { dingtalkUrl, emailAddresses, type ChannelKind, type Message } from './notify.rules.js';

/** What a transport needs of a channel. */
export interface Destination {
  kind: ChannelKind;
  target: string;
  secret: string | null;
}

/** Sends one message to one destination; throws (with a short reason) when it was not accepted. */
export type Send = (to: Destination, message: Message) => Promise<void>;

/**
 * The three transports of ADR 0018: e-mail over SMTP (nodemailer), the 企业微信 group robot and the
 * 钉钉 group robot (markdown messages, signed when a secret is set). DingTalk's signature carries the
 * machine's real time (`wallClock`), not the application's clock: DingTalk refuses a timestamp more
 * than an hour from its own, whatever date a demonstration has put the application on.
 */
export function transports(config: RemindersConfig, wallClock: () => number = Date.now): Send {
  let mailer: Transporter | null = null;
  const mail = async (to: Destination, message: Message) => {
    if (!config.smtpUrl) throw new Error('未配置 SMTP_URL，无法发送邮件');
    // Loaded at the first e-mail: most servers never send one, and it weighs on every start (ADR 0020).
    mailer ??= (await import('nodemailer')).default.createTransport(config.smtpUrl);
    await mailer.sendMail({ from: config.smtpFrom, to: emailAddresses(to.target), subject: message.subject, text: message.body });
  };

  const post = async (url: string, payload: unknown): Promise<void> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(config.webhookTimeoutMs),
    }).catch((error: unknown) => {
      // fetch's own message is "fetch failed"; the cause says why (refused, reset, timed out).
      const cause = error instanceof Error && error.cause instanceof Error ? `：${error.cause.message}` : '';
      throw new Error(`${error instanceof Error ? error.message : String(error)}${cause}`);
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status}${text ? `：${text.slice(0, 200)}` : ''}`);
    let answer: { errcode?: number; errmsg?: string };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      throw new Error(`机器人应答不是 JSON：${text.slice(0, 200)}`);
    }
    if (answer.errcode !== 0) throw new Error(`机器人拒收：errcode ${answer.errcode ?? '缺失'} ${answer.errmsg ?? ''}`.trim());
  };

  return async (to, message) => {
    if (to.kind === 'email') return mail(to, message);
    if (to.kind === 'wecom') return post(to.target, { msgtype: 'markdown', markdown: { content: message.body } });
    return post(dingtalkUrl(to.target, to.secret, wallClock()), {
      msgtype: 'markdown',
      markdown: { title: message.subject, text: message.body },
    });
  };
}
