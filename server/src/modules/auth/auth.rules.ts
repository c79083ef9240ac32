import { ACCEPTED, refuse, type Verdict } from '../../common/verdict.js';

/**
 * Password policy (pure): what a new password must satisfy. No clause of the notice and no ADR
 * sets it: it is the product's account-security rule for the accounts of spec §6 (whose sessions
 * ADR 0002 sets).
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export interface PasswordProblem {
  zh: string;
  en: string;
}

/**
 * Account security (spec §6 accounts; no clause of the notice, no ADR): why `password` is refused
 * for `username`, or null when it is acceptable. Also used for provider accounts.
 */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    return { zh: `至少 ${PASSWORD_MIN_LENGTH} 个字符`, en: `must be at least ${PASSWORD_MIN_LENGTH} characters` };
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return { zh: `不能超过 ${PASSWORD_MAX_LENGTH} 个字符`, en: `must be at most ${PASSWORD_MAX_LENGTH} characters` };
  }
  if (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password)) {
    return { zh: '须同时包含字母和数字', en: 'must contain both letters and digits' };
  }
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) {
    return { zh: '不能与用户名相同', en: 'must differ from the username' };
  }
  return null;
}

/**
 * Account security (spec §6 accounts; no clause of the notice, no ADR): a password change is
 * accepted when the new password passes the policy and differs from the current one; refused as
 * WEAK_PASSWORD (400) on the `newPassword` field otherwise.
 */
export function newPasswordVerdict(newPassword: string, currentPassword: string, username: string): Verdict {
  const problem = passwordProblem(newPassword, username);
  if (problem) {
    return refuse({
      code: 'WEAK_PASSWORD',
      zh: `字段 新密码（newPassword）无效：${problem.zh}`,
      en: `Field newPassword is invalid: it ${problem.en}`,
      kind: 'invalid',
      field: 'newPassword',
    });
  }
  if (newPassword === currentPassword) {
    return refuse({
      code: 'WEAK_PASSWORD',
      zh: '字段 新密码（newPassword）无效：不能与当前密码相同',
      en: 'Field newPassword is invalid: it must differ from the current password',
      kind: 'invalid',
      field: 'newPassword',
    });
  }
  return ACCEPTED;
}
