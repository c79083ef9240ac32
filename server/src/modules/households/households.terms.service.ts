import type { Executor } from '../../db/client.js';
import { addDays } from '../../common/dates.js';
import type { HouseholdsRepository, TermInsert, TermRow } from './households.repository.js';
import { normalizePersonName } from './households.rules.js';
import { importEndOn, ROSTER_BODIES, type RosterBody } from './households.roster.rules.js';

/** The roles a registry entry states for a household's members (the flags of the registry file or form). */
export interface HouseholdRoles {
  householdId: number;
  members: { name: string; isRepresentative: boolean; isCouncilMember: boolean }[];
}

const holds = (m: HouseholdRoles['members'][number], body: RosterBody) =>
  body === 'representative' ? m.isRepresentative : m.isCouncilMember;

/**
 * Terms of office as the registry and the decisions see them (ADR 0013): the registry's role
 * columns start terms for new holders and end those of holders no longer listed; decisions read
 * the roster as it stood on a day. No access check here: callers hold it.
 */
export class HouseholdsTermsService {
  constructor(private readonly repo: HouseholdsRepository) {}

  /**
   * [N 3.1.2(1)] Reconciles the open terms held through these households with the roles stated:
   * a holder no longer listed leaves office the day before `effectiveOn`; a new holder takes office
   * on `startOn`, or the day after their last term on the body ended if that is later.
   */
  async reconcile(
    tx: Executor,
    communityCode: string,
    entries: HouseholdRoles[],
    startOn: string,
    effectiveOn: string,
    reason: string,
  ): Promise<{ started: number; ended: number }> {
    if (entries.length === 0) return { started: 0, ended: 0 };
    await this.repo.lockRoster(tx, communityCode);
    const all = await this.repo.terms(tx, communityCode);
    let ended = 0;
    const toStart: TermInsert[] = [];
    for (const e of entries) {
      for (const body of ROSTER_BODIES) {
        const wanted = new Set(e.members.filter((m) => holds(m, body)).map((m) => normalizePersonName(m.name)));
        for (const t of all.filter((o) => o.householdId === e.householdId && o.body === body && o.toDate === null)) {
          if (wanted.has(t.personName)) continue;
          await this.repo.endTerm(tx, t.id, importEndOn(t, effectiveOn), reason);
          t.toDate = importEndOn(t, effectiveOn);
          ended += 1;
        }
        for (const name of wanted) {
          const mine = all.filter((o) => o.body === body && o.personName === name && o.householdId === e.householdId);
          if (mine.some((o) => o.toDate === null)) continue;
          const lastEnd = mine.reduce<string | null>((acc, o) => (o.toDate && (!acc || o.toDate > acc) ? o.toDate : acc), null);
          const fromDate = lastEnd && addDays(lastEnd, 1) > startOn ? addDays(lastEnd, 1) : startOn;
          toStart.push({ communityCode, body, personName: name, householdId: e.householdId, fromDate });
        }
      }
    }
    await this.repo.insertTerms(tx, toStart);
    return { started: toStart.length, ended };
  }

  /** [N 3.1.2(1)] The roster of a body as it stood on a day, and whether the community has ever had a term on it. */
  async rosterOn(db: Executor, communityCode: string, body: RosterBody, on: string) {
    const [hasTerms, members] = await Promise.all([
      this.repo.hasTerms(db, communityCode, body),
      this.repo.termsOn(db, communityCode, body, on),
    ]);
    return { hasTerms, members };
  }

  /** [N 3.1.2(1)] Representatives of a household in office at some time between two days (a notice's window). */
  representativesDuring(db: Executor, householdId: number, from: string, to: string): Promise<TermRow[]> {
    return this.repo.householdTermsDuring(db, householdId, 'representative', from, to);
  }

  /** The demo seed: terms as given, no checks. */
  seed(db: Executor, rows: TermInsert[]): Promise<TermRow[]> {
    return this.repo.insertTerms(db, rows);
  }

  /** The demo seed: a replacement on the roster (the open term ends on `endsOn`, the successor starts the next day). */
  async seedReplacement(
    db: Executor,
    communityCode: string,
    body: RosterBody,
    successor: { personName: string; householdId: number },
    endsOn: string,
    reason: string,
  ): Promise<void> {
    const open = (await this.repo.termsOn(db, communityCode, body, endsOn)).find((t) => t.toDate === null && t.fromDate <= endsOn);
    if (!open) return;
    await this.repo.endTerm(db, open.id, endsOn, reason);
    await this.repo.insertTerms(db, [{ communityCode, body, ...successor, fromDate: addDays(endsOn, 1), replacesId: open.id }]);
  }
}
