import type { Db } from './db/client.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { CalendarService } from './modules/calendar/calendar.service.js';
import { PolicyService } from './modules/policy/policy.service.js';
import { RegionsService } from './modules/regions/regions.service.js';
import { HouseholdsService } from './modules/households/households.service.js';
import { NeedsService } from './modules/needs/needs.service.js';
import { LedgerService } from './modules/ledger/ledger.service.js';
import { AllocationsService } from './modules/ledger/allocations.service.js';
import { FundsService } from './modules/ledger/funds.service.js';
import { RatingsService } from './modules/ratings/ratings.service.js';
import { DecisionsService } from './modules/decisions/decisions.service.js';

/** One instance of each module's service; modules reach each other only through these. */
export function buildServices(db: Db) {
  const audit = new AuditService(db);
  const regions = new RegionsService(db, audit);
  const policy = new PolicyService(db, audit);
  const households = new HouseholdsService(db, audit, regions);
  const ledger = new LedgerService(db);
  const ratings = new RatingsService(db, audit, policy, ledger);
  const calendar = new CalendarService(db, audit);
  const needs = new NeedsService(db, audit, regions, policy, households);
  return {
    audit,
    auth: new AuthService(db, audit),
    regions,
    policy,
    households,
    needs,
    calendar,
    decisions: new DecisionsService(db, audit, regions, policy, calendar, households, needs),
    ledger,
    ratings,
    allocations: new AllocationsService(db, audit, policy, ratings, ledger),
    funds: new FundsService(db, regions, ratings, policy, ledger),
  };
}

export type Services = ReturnType<typeof buildServices>;
