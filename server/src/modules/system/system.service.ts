import type { Db } from '../../db/client.js';
import type { Now } from '../../common/clock.js';
import { todayInChina } from '../../common/dates.js';
import type { PolicyService } from '../policy/policy.service.js';
import { SystemRepository } from './system.repository.js';
import type { ClockView, HealthView } from './system.schemas.js';

/** Liveness and the application's date: what the console asks before signing in. */
export class SystemService {
  private readonly repo = new SystemRepository();

  constructor(
    private readonly db: Db,
    private readonly policy: Pick<PolicyService, 'currentFundYear'>,
    private readonly clock: Now,
  ) {}

  /** Answers once the database does; `kind` names the engine the app was opened on. */
  async health(kind: HealthView['db'], worker?: HealthView['worker']): Promise<HealthView> {
    await this.repo.ping(this.db);
    return { status: 'ok', db: kind, ...(worker ? { worker } : {}) };
  }

  /** Today in China by the application clock, and the fund year the console opens on. */
  async today(): Promise<ClockView> {
    const today = todayInChina(this.clock());
    return { today, fundYear: await this.policy.currentFundYear(today) };
  }
}
