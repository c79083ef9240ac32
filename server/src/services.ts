import type { Db } from './db/client.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { CalendarService } from './modules/calendar/calendar.service.js';
import { PolicyService } from './modules/policy/policy.service.js';
import { RegionsService } from './modules/regions/regions.service.js';

/** One instance of each module's service; modules reach each other only through these. */
export function buildServices(db: Db) {
  const audit = new AuditService(db);
  return {
    audit,
    auth: new AuthService(db, audit),
    regions: new RegionsService(db, audit),
    policy: new PolicyService(db, audit),
    calendar: new CalendarService(db, audit),
  };
}

export type Services = ReturnType<typeof buildServices>;
