import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../common/access.js';
import {
  afterFailure,
  backoffMs,
  byUrgency,
  channelAdministrationVerdict,
  channelTargetProblem,
  digestKey,
  digestMessage,
  dingtalkSign,
  dingtalkUrl,
  immediateKey,
  immediateMessage,
  isImmediate,
  type ReminderItem,
} from './notify.rules.js';

const item = (over: Partial<ReminderItem>): ReminderItem => ({
  key: 'plan_review:3:1',
  title: '街道初审使用方案',
  detail: '嘉陵社区使用方案',
  regionName: '嘉陵社区',
  dueOn: '2026-12-10',
  workdaysLeft: 3,
  overdue: false,
  link: '/plans/3',
  ...over,
});

describe('what is sent at once (ADR 0018)', () => {
  it('items due within two working days or overdue, and nothing else', () => {
    expect(isImmediate(item({ workdaysLeft: 3 }))).toBe(false);
    expect(isImmediate(item({ workdaysLeft: 2 }))).toBe(true);
    expect(isImmediate(item({ workdaysLeft: 0 }))).toBe(true);
    expect(isImmediate(item({ workdaysLeft: -4, overdue: true }))).toBe(true);
    expect(isImmediate(item({ dueOn: '2026-07-05', workdaysLeft: null, overdue: true }))).toBe(true);
    expect(isImmediate(item({ dueOn: null, workdaysLeft: null }))).toBe(false);
  });

  it('orders overdue first, then by due date, undated last', () => {
    const sorted = byUrgency([
      item({ key: 'c', dueOn: null, workdaysLeft: null }),
      item({ key: 'b', dueOn: '2026-12-10' }),
      item({ key: 'a', dueOn: '2026-12-08' }),
      item({ key: 'd', dueOn: '2026-11-26', overdue: true }),
    ]);
    expect(sorted.map((i) => i.key)).toEqual(['d', 'a', 'b', 'c']);
  });
});

describe('dedupe keys (ADR 0018)', () => {
  it('one digest per channel and business day; one notice per channel, item and due date', () => {
    expect(digestKey(4, '2026-12-07')).toBe('digest:4:2026-12-07');
    expect(digestKey(4, '2026-12-07')).not.toBe(digestKey(5, '2026-12-07'));
    expect(digestKey(4, '2026-12-07')).not.toBe(digestKey(4, '2026-12-08'));
    expect(immediateKey(4, 'plan_review:3:1', '2026-12-10')).toBe('immediate:4:plan_review:3:1:2026-12-10');
    // a due date that moves (the calendar was entered) is a new notice
    expect(immediateKey(4, 'plan_review:3:1', '2026-12-11')).not.toBe(immediateKey(4, 'plan_review:3:1', '2026-12-10'));
  });
});

describe('retries (ADR 0018)', () => {
  it('backs off 1, 2, 4, 8 … minutes, at most an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffMs(n) / 60_000)).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
  });

  it('retries until the attempts are spent, then fails', () => {
    const now = new Date('2026-12-07T02:00:00Z');
    expect(afterFailure(1, 3, now)).toEqual({ status: 'pending', nextAttemptAt: new Date('2026-12-07T02:01:00Z') });
    expect(afterFailure(2, 3, now)).toEqual({ status: 'pending', nextAttemptAt: new Date('2026-12-07T02:02:00Z') });
    expect(afterFailure(3, 3, now).status).toBe('failed');
  });
});

describe('DingTalk signature (ADR 0018)', () => {
  it('is base64 HMAC-SHA256 of "timestamp\\nsecret", url-encoded in the query', () => {
    const secret = 'SECabc+/=';
    const expected = createHmac('sha256', secret).update(`1700000000000\n${secret}`).digest('base64');
    expect(dingtalkSign(1700000000000, secret)).toBe(expected);
    const url = new URL(dingtalkUrl('https://oapi.dingtalk.com/robot/send?access_token=x', secret, 1700000000000));
    expect(url.searchParams.get('access_token')).toBe('x');
    expect(url.searchParams.get('timestamp')).toBe('1700000000000');
    expect(url.searchParams.get('sign')).toBe(expected);
    expect(dingtalkUrl('https://oapi.dingtalk.com/robot/send?access_token=x', null, 1)).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=x',
    );
  });
});

describe('channels (ADR 0018)', () => {
  it('checks the target for its kind', () => {
    expect(channelTargetProblem('email', 'a@example.cn, b@example.cn')).toBeNull();
    expect(channelTargetProblem('email', 'not-an-address')).toContain('not-an-address');
    expect(channelTargetProblem('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k')).toBeNull();
    expect(channelTargetProblem('dingtalk', 'ftp://x')).not.toBeNull();
  });

  it("an administrator keeps its own region's channels and those below, nothing beside", () => {
    const street: Actor = {
      userId: 1,
      username: 's',
      displayName: 's',
      role: 'street_office',
      scopePath: '2101/210102/210102002',
      orgId: null,
    };
    const community: Actor = { ...street, role: 'community', scopePath: '2101/210102/210102002/210102002001' };
    expect(channelAdministrationVerdict(street, '2101/210102/210102002').ok).toBe(true);
    expect(channelAdministrationVerdict(street, '2101/210102/210102002/210102002001').ok).toBe(true);
    expect(channelAdministrationVerdict(street, '2101/210102/210102001').ok).toBe(false);
    expect(channelAdministrationVerdict(street, '2101/210102').ok).toBe(false);
    expect(channelAdministrationVerdict(community, community.scopePath).ok).toBe(false);
  });
});

describe('messages (ADR 0018)', () => {
  it('the digest names every item, its due date and a link from the base URL', () => {
    const m = digestMessage(
      '嘉陵街道',
      '2026-12-07',
      [item({ dueOn: '2026-11-26', workdaysLeft: -7, overdue: true, clause: '[N 3.1.2(2)]' })],
      'https://sf.example.cn',
    );
    expect(m.subject).toContain('嘉陵街道');
    expect(m.body).toContain('街道初审使用方案');
    expect(m.body).toContain('2026-11-26');
    expect(m.body).toContain('[N 3.1.2(2)]');
    expect(m.body).toContain('https://sf.example.cn/plans/3');
  });

  it('an immediate notice says whether the item is overdue or due soon', () => {
    expect(immediateMessage('x', item({ overdue: true }), 'http://h').subject).toContain('已逾期');
    expect(immediateMessage('x', item({ workdaysLeft: 1 }), 'http://h').subject).toContain('即将到期');
  });
});
