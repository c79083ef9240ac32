import { AuthService } from '../../server/src/modules/auth/auth.service.js';
import { DEMO_PASSWORD } from '../../server/src/seed/seed.js';

let hashed: Promise<string> | null = null;

/** The demo password's hash, computed once per run (argon2 is slow on purpose). */
export function hashPasswordOnce(): Promise<string> {
  hashed ??= AuthService.hashPassword(DEMO_PASSWORD);
  return hashed;
}
