/** Password policy (pure): what a new password must satisfy. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export interface PasswordProblem {
  zh: string;
  en: string;
}

/** Returns why `password` is refused for `username`, or null when it is acceptable. */
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
