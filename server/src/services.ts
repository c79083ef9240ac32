import type { Db } from './db/client.js';
import { Clock } from './common/clock.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { CalendarService } from './modules/calendar/calendar.service.js';
import { HolidayNoticeService } from './modules/calendar/holiday-notice.service.js';
import { PolicyService } from './modules/policy/policy.service.js';
import { RegionsService } from './modules/regions/regions.service.js';
import { HouseholdsService } from './modules/households/households.service.js';
import { NeedsService } from './modules/needs/needs.service.js';
import { LedgerService } from './modules/ledger/ledger.service.js';
import { AllocationsService } from './modules/ledger/allocations.service.js';
import { FundsService } from './modules/ledger/funds.service.js';
import { RatingsService } from './modules/ratings/ratings.service.js';
import { DecisionsService } from './modules/decisions/decisions.service.js';
import { PlansService } from './modules/plans/plans.service.js';
import { TodoCentre, type TodoSource } from './modules/plans/plans.todo.service.js';
import { EvaluationConsequencesService, ProcurementService, ProvidersService } from './modules/procurement/procurement.service.js';
import { DeliveryService } from './modules/delivery/delivery.service.js';
import { DeliveryTodoSource } from './modules/delivery/delivery.todo.service.js';
import { DisclosureService } from './modules/disclosure/disclosure.service.js';
import { EvaluationService } from './modules/evaluation/evaluation.service.js';
import { SupervisionService } from './modules/supervision/supervision.service.js';
import { ModelCasesService } from './modules/supervision/model-cases.service.js';
import { ReportsService } from './modules/reports/reports.service.js';
import { ProgressService } from './modules/progress/progress.service.js';
import { InvariantsService } from './modules/invariants/invariants.service.js';
import { SystemService } from './modules/system/system.service.js';
import { YearsService } from './modules/years/years.service.js';
import { LedgerTodoSource } from './modules/ledger/ledger.todo.service.js';
import { NeedsTodoSource } from './modules/needs/needs.todo.service.js';
import { ProcurementTodoSource } from './modules/procurement/procurement.todo.service.js';
import { EvaluationTodoSource } from './modules/evaluation/evaluation.todo.service.js';
import { DecisionsTodoSource } from './modules/decisions/decisions.todo.service.js';
import { SupervisionTodoSource } from './modules/supervision/supervision.todo.service.js';
import { ReportsTodoSource } from './modules/reports/reports.todo.service.js';
import { NotifyService } from './modules/notify/notify.service.js';
import type { ReminderSettings } from './modules/notify/notify.reminders.service.js';
import { loadConfig } from './config.js';

/** One instance of each module's service; modules reach each other only through these. */
export function buildServices(db: Db, clock: Clock = new Clock(), reminders: ReminderSettings = remindersOff()) {
  const now = clock.asNow;
  const audit = new AuditService(db);
  const ledger = new LedgerService(db);
  const policy = new PolicyService(db, audit, ledger);
  const ratings = new RatingsService(db, audit, policy, ledger);
  const regions = new RegionsService(db, audit, ratings, now);
  const households = new HouseholdsService(db, audit, regions, now);
  const calendar = new CalendarService(db, audit);
  // The read model (ADR 0023): kept by the database in each write's transaction; read by the dashboard and money by stars.
  const progress = new ProgressService(db);
  const needs = new NeedsService(db, audit, regions, policy, households, now);
  const decisions = new DecisionsService(db, audit, regions, policy, calendar, households, needs, now, ledger, ratings);
  const core = {
    clock,
    system: new SystemService(db, policy, now),
    audit,
    auth: new AuthService(db, audit, regions),
    regions,
    policy,
    households,
    needs,
    calendar,
    decisions,
    plans: new PlansService(db, audit, regions, policy, calendar, ratings, ledger, needs, decisions, now),
    ledger,
    ratings,
    allocations: new AllocationsService(db, audit, policy, ratings, ledger),
    funds: new FundsService(db, regions, policy, ledger, progress),
    progress,
  };
  // Plans read decisions; the decisions' reopen guard reads the plans back through this hook (issue 19).
  decisions.usePlansOfCommunity((tx, code, year) => core.plans.lockPlansOfCommunity(tx, code, year));
  // Procurement ↔ evaluation, in dependency order: the provider registry and what evaluation results do to
  // contracts first, then the evaluation service, then procurement's contracts and payments, whose
  // conditions read the evaluation outcomes [N 3.2, 3.3].
  const providers = new ProvidersService(db, audit, regions, core.auth, now);
  const evaluationConsequences = new EvaluationConsequencesService(audit, ledger, providers, now);
  // Evaluations, supervision, model cases, reports and the dashboard (issue 8); evaluation results drive payment conditions.
  const evaluation = new EvaluationService(db, audit, regions, policy, core.plans, ledger, evaluationConsequences, now);
  const procurement = new ProcurementService(
    db,
    audit,
    regions,
    policy,
    ledger,
    core.plans,
    providers,
    evaluationConsequences,
    evaluation,
    now,
  );
  const supervision = new SupervisionService(db, audit, regions, policy, calendar, ratings, core.plans, now);
  const modelCases = new ModelCasesService(db, audit, regions, core.plans, now);
  // [N 4.2] Public portal, disclosure monitoring and open data (issue 11), showing published grades and model cases; its flags join the to-do centre.
  const disclosure = new DisclosureService(
    db,
    audit,
    regions,
    policy,
    core.ratings,
    core.funds,
    needs,
    decisions,
    core.plans,
    procurement,
    evaluation,
    modelCases,
    now,
  );
  // Entering a year's holiday notice recomputes the due dates these modules stored provisionally (ADR 0009).
  const holidayNotices = new HolidayNoticeService(db, audit, calendar, [core.plans, decisions, supervision], now);
  const reports = new ReportsService(
    db,
    audit,
    regions,
    policy,
    core.progress,
    core.plans,
    procurement,
    core.funds,
    evaluation,
    supervision,
    now,
  );
  // Opening the next fund year (ADR 0015): reads policy, ratings, the ledger's allocations, provider ineligibility
  // after 不合格 final evaluations and the calendar, through their services; its open items join the city's to-do.
  const years = new YearsService(db, audit, policy, ratings, ledger, providers, evaluationConsequences, evaluation, calendar);
  // The to-do centre, built last (ADR 0017): its sources are the plans' own items, disclosure monitoring (issue 11), the
  // calendar's notices, the next fund year's opening, and the to-do sources of the other modules.
  const delivery = new DeliveryService(db, audit, procurement, now);
  const deliveryTodo = new DeliveryTodoSource(delivery, procurement, regions);
  const sources = moduleTodoSources({ db, ...core, procurement, deliveryTodo, evaluation, supervision, reports });
  const todo = new TodoCentre(
    db,
    [core.plans, disclosure, holidayNotices, years, ...sources],
    [core.plans, holidayNotices, deliveryTodo],
    () => clock.today(),
    (today, dues) => calendar.countdowns(today, dues),
  );
  // Reminders that leave the system (ADR 0018): the to-do of each channel's region, through the outbox.
  const notify = new NotifyService(db, audit, regions, { accounts: core.auth, todo, calendar }, clock, reminders);
  return {
    ...core,
    holidayNotices,
    todo,
    notify,
    years,
    procurement,
    delivery,
    disclosure,
    evaluation,
    supervision,
    modelCases,
    reports,
    invariants: new InvariantsService(db, ledger, audit),
  };
}

export type Services = ReturnType<typeof buildServices>;

/** What public and reporting reads are served by (ADR 0025): the portal and open data, reports and the dashboard. */
export type ReadServices = Pick<Services, 'disclosure' | 'reports'>;

/**
 * The services of public and reporting reads over `readDb` (a streaming replica, ADR 0025): a second,
 * read-only graph, so that a portal page, the regions, money and grades it gathers, and the audit version
 * its cache and ETag are keyed by all come from one server. Only their read methods are called
 * (`request.reads` in the routes, chosen per request by read-routing.ts); a write through them would be
 * refused by the replica. Without a replica the primary's own services serve these reads.
 */
export function buildReadServices(readDb: Db, clock: Clock, reminders?: ReminderSettings): ReadServices {
  const { disclosure, reports } = buildServices(readDb, clock, reminders);
  return { disclosure, reports };
}

/** Each module's to-do source (ADR 0017): what its own state asks of whom; the kinds are in common/todo-kinds.ts. */
function moduleTodoSources(s: {
  db: Db;
  plans: PlansService;
  policy: PolicyService;
  allocations: AllocationsService;
  regions: RegionsService;
  needs: NeedsService;
  decisions: DecisionsService;
  procurement: ProcurementService;
  deliveryTodo: DeliveryTodoSource;
  evaluation: EvaluationService;
  supervision: SupervisionService;
  reports: ReportsService;
}): TodoSource[] {
  return [
    new LedgerTodoSource(s.policy, s.allocations),
    new NeedsTodoSource(s.needs),
    new DecisionsTodoSource(s.decisions, s.regions),
    new ProcurementTodoSource(s.procurement, s.regions),
    new EvaluationTodoSource(s.evaluation),
    s.deliveryTodo,
    new SupervisionTodoSource(s.supervision, s.plans, s.regions, s.db),
    new ReportsTodoSource(s.reports, s.evaluation),
  ];
}

/** Reminders as configured by an empty environment: off (tools that build services without the app). */
function remindersOff(): ReminderSettings {
  const config = loadConfig({});
  return { ...config.reminders, publicBaseUrl: config.publicBaseUrl };
}
