import { createHash } from 'node:crypto';
import { createRandom, type Random } from '../server/src/seed/random.js';
import { addDays } from '../server/src/common/dates.js';
import { policy2023 } from '../server/src/seed/policy-2023.js';
import {
  decideTransfer,
  zeroBalances,
  type AccountKind,
  type AccountState,
  type TransferRecord,
  type TransferRequest,
} from '../server/src/modules/ledger/ledger.rules.js';
import { gradeOf } from '../server/src/modules/evaluation/evaluation.rules.js';
import type { Scale } from './scales.js';

/**
 * The synthetic data of a benchmark scale, as rows per table in a load order that satisfies every
 * foreign key. Pure and deterministic: the same scale, seed and as-of date give the same rows
 * (`digest`), so numbers measured on two machines are measured on the same data.
 *
 * Every row is one the product itself could have written: ratings give allocations by the fund
 * year's policy tiers; each community reaches one step of the procedure (campaign → decision →
 * filed plan → contracts → mid-term → final evaluation) and has the rows of every step before it;
 * the ledger is built transfer by transfer through the ledger's own pure rules (`decideTransfer`),
 * so `npm run ledger:verify` passes on it.
 */

/** Columns of each table the generator writes, in the order rows are emitted. */
export const TABLES = {
  region: ['code', 'parent_code', 'level', 'name', 'kind', 'path', 'sort_order'],
  community_profile: ['community_code', 'resident_households', 'representatives', 'council_members', 'address', 'contact_phone'],
  rating: ['community_code', 'year', 'stars'],
  provider: ['id', 'name', 'kind', 'credit_code', 'registration_authority', 'address', 'contacts', 'region_code'],
  evaluator_org: ['id', 'name', 'contact'],
  evaluation_round: ['id', 'fund_year', 'kind', 'district_code', 'region_path', 'due_on', 'opened_on', 'status', 'closed_on'],
  household: ['id', 'community_code', 'household_no', 'building', 'unit', 'room', 'head_name', 'phone', 'residents'],
  needs_campaign: [
    'id',
    'community_code',
    'fund_year',
    'title',
    'opens_on',
    'closes_on',
    'channels',
    'questionnaire',
    'allow_changes',
    'status',
    'concluded_at',
    'concluded_reached',
    'concluded_resident_households',
    'ready_at',
  ],
  needs_opinion: ['id', 'campaign_id', 'household_id', 'channel', 'choices', 'free_text', 'entered_by_user_id', 'revision'],
  decision: ['id', 'community_code', 'fund_year', 'campaign_id', 'procedure', 'status', 'round', 'decided_on'],
  plan: [
    'id',
    'fund_year',
    'kind',
    'title',
    'community_code',
    'street_code',
    'district_code',
    'region_path',
    'status',
    'filing_level',
    'round',
    'submitted_on',
    'review_due_on',
    'approved_on',
    'filed_on',
  ],
  plan_community: ['plan_id', 'community_code', 'fund_year'],
  plan_project: [
    'id',
    'plan_id',
    'title',
    'content',
    'catalogue_code',
    'category',
    'budget_fen',
    'community_codes',
    'provider_kind',
    'other_funding',
    'procedure_type',
    'sort_order',
  ],
  procurement: [
    'id',
    'fund_year',
    'purchaser_kind',
    'purchaser_code',
    'region_path',
    'method',
    'project_ids',
    'budget_fen',
    'candidates',
    'selected_provider_id',
    'selection_reason',
    'documents',
    'decided_on',
  ],
  contract: [
    'id',
    'fund_year',
    'procurement_id',
    'purchaser_kind',
    'purchaser_code',
    'community_code',
    'region_path',
    'provider_id',
    'title',
    'amount_fen',
    'starts_on',
    'ends_on',
    'deliverables',
    'status',
    'signed_on',
    'commitment_transfer_id',
  ],
  contract_project: ['contract_id', 'plan_project_id'],
  contract_instalment: ['id', 'contract_id', 'seq', 'condition', 'due_on', 'amount_fen', 'status', 'transfer_id', 'paid_on'],
  evaluation_assignment: [
    'id',
    'round_id',
    'plan_project_id',
    'community_code',
    'region_path',
    'budget_fen',
    'method',
    'evaluator_org_id',
    'status',
    'score_bp',
    'grade',
    'people_covered',
    'conclusion',
    'problems',
    'concluded_on',
  ],
  ledger_account: [
    'id',
    'fund_year',
    'kind',
    'ref',
    'region_path',
    'limit_fen',
    'debits_posted',
    'credits_posted',
    'debits_pending',
    'credits_pending',
  ],
  ledger_transfer: [
    'id',
    'seq',
    'fund_year',
    'kind',
    'code',
    'debit_account_id',
    'credit_account_id',
    'amount',
    'pending_id',
    'corrects_id',
    'reference',
    'actor_name',
  ],
} as const;
export type TableName = keyof typeof TABLES;
/** Load order: parents before children. */
export const TABLE_ORDER = Object.keys(TABLES) as TableName[];
/** Tables with a serial id the loader must move past the generated ids. */
export const SERIAL_TABLES: { table: TableName; column: string }[] = [
  ...(
    [
      'provider',
      'evaluator_org',
      'evaluation_round',
      'household',
      'needs_campaign',
      'needs_opinion',
      'decision',
      'plan',
      'plan_project',
      'procurement',
      'contract',
      'contract_instalment',
      'evaluation_assignment',
      'ledger_account',
    ] as TableName[]
  ).map((table) => ({ table, column: 'id' })),
  { table: 'ledger_transfer', column: 'seq' },
];

export type Cell = string | number | boolean | null | object;
export interface RowSink {
  row(table: TableName, values: Cell[]): void;
}

export interface GenerateOptions {
  seed: number;
  /** The day the data is "caught" on (YYYY-MM-DD): the fund year is its year; open campaigns run past it. */
  asOf: string;
}

/** The step a community has reached in the fund year; each implies the rows of every step before it. */
export const STEPS = ['rated', 'collecting', 'decided', 'filed', 'contracted', 'midterm', 'final'] as const;
export type Step = (typeof STEPS)[number];
/** Share of communities per step late in the year (weights, not percentages). */
const STEP_WEIGHTS = [3, 4, 5, 5, 23, 40, 20];

export interface GenerateSummary {
  scale: string;
  seed: number;
  asOf: string;
  fundYear: number;
  rows: Record<TableName, number>;
  steps: Record<Step, number>;
  allocatedFen: number;
  committedFen: number;
  paidFen: number;
  /** Final balances of the year's pool, applied by the loader after the rows. */
  poolAccount: { id: number; balances: AccountState };
  /** sha256 over every emitted row, in order. */
  digest: string;
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华玉兰志强桂芝淑珍海燕红梅德明立新春梅国华';
const PLACE = '和平安宁康泰兴华民丰长青文化新华永安光明建设胜利幸福团结友谊阳光锦绣龙泉凤鸣翠湖松林柳岸桃源春晖朝阳东升北陵南塔西关';
const STREET_SUFFIX = ['街道', '街道', '街道', '镇', '乡'];
const COMMUNITY_SUFFIX = ['社区', '社区', '社区', '村'];
const PROJECT_WORDS = [
  '邻里守望',
  '老年助餐',
  '儿童课后托管',
  '睦邻议事',
  '社区社工室',
  '居民骨干培育',
  '楼院自治',
  '志愿服务',
  '环境微更新',
  '健康讲堂',
  '困境儿童关爱',
  '文化活动',
];

function placeName(r: Random, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += PLACE[r.int(0, PLACE.length - 1)];
  return s;
}

function personName(r: Random): string {
  const given =
    r.next() < 0.5 ? GIVEN[r.int(0, GIVEN.length - 1)]! : GIVEN[r.int(0, GIVEN.length - 1)]! + GIVEN[r.int(0, GIVEN.length - 1)]!;
  return SURNAMES[r.int(0, SURNAMES.length - 1)]! + given;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Six-digit district codes that look like division codes: pp cc dd. */
function districtCode(root: string, index: number, total: number): string {
  if (total < 100) return `${root}${pad(index + 1, 2)}`;
  if (total < 99 * 20) return `${root.slice(0, 2)}${pad(Math.floor(index / 20) + 1, 2)}${pad((index % 20) + 1, 2)}`;
  return `${11 + Math.floor(index / 1980)}${pad((Math.floor(index / 20) % 99) + 1, 2)}${pad((index % 20) + 1, 2)}`;
}

/** Splits `total` into `parts` positive multiples of `unit`, proportional to random weights. */
function split(r: Random, total: number, parts: number, unit: number): number[] {
  const weights = Array.from({ length: parts }, () => 1 + r.next() * 2);
  const sum = weights.reduce((a, b) => a + b, 0);
  const amounts = weights.map((w) => Math.max(unit, Math.floor((total * w) / sum / unit) * unit));
  const rest = total - amounts.reduce((a, b) => a + b, 0);
  amounts[0]! += rest;
  return amounts;
}

/**
 * Yields after each community so that a loader can flush between them; the rows go to `sink`.
 * Returns the summary when done.
 */
export function* generate(scale: Scale, options: GenerateOptions, sink: RowSink): Generator<number, GenerateSummary> {
  const r = createRandom(options.seed);
  const fundYear = Number(options.asOf.slice(0, 4));
  const ratingYear = fundYear - 1;
  const policy = policy2023;
  const hash = createHash('sha256');
  const rows = Object.fromEntries(TABLE_ORDER.map((t) => [t, 0])) as Record<TableName, number>;
  const emit = (table: TableName, values: Cell[]) => {
    rows[table]++;
    hash.update(table).update(JSON.stringify(values)).update('\n');
    sink.row(table, values);
  };
  const ids = {
    provider: 0,
    evaluatorOrg: 0,
    round: 0,
    household: 0,
    campaign: 0,
    opinion: 0,
    decision: 0,
    plan: 0,
    project: 0,
    procurement: 0,
    contract: 0,
    instalment: 0,
    assignment: 0,
    account: 0,
    transferSeq: 0,
  };
  const basic = policy.catalogue.basic.map((c) => c.code);
  const enhancement = policy.catalogue.enhancement.map((c) => c.code);

  // ---- regions: root → districts → streets → communities
  const root = scale.root;
  emit('region', [root.code, null, 'city', root.name, root.kind, root.code, 0]);
  const districts: { code: string; path: string; name: string; providers: number[]; rounds: { midterm: number; final: number } }[] = [];
  for (let d = 0; d < scale.districts; d++) {
    const code = districtCode(root.code, d, scale.districts);
    const kind = r.next() < 0.7 ? '区' : '县';
    const name = `${placeName(r, 2)}${kind}`;
    emit('region', [code, root.code, 'district', name, kind, `${root.code}/${code}`, d]);
    districts.push({ code, path: `${root.code}/${code}`, name, providers: [], rounds: { midterm: 0, final: 0 } });
  }
  const streets: { code: string; path: string; districtIndex: number }[] = [];
  for (let s = 0; s < scale.streets; s++) {
    const districtIndex = s % scale.districts;
    const district = districts[districtIndex]!;
    const seq = Math.floor(s / scale.districts) + 1;
    const code = `${district.code}${pad(seq, 3)}`;
    const suffix = r.pick(STREET_SUFFIX);
    emit('region', [code, district.code, 'street', `${placeName(r, 2)}${suffix}`, suffix, `${district.path}/${code}`, seq]);
    streets.push({ code, path: `${district.path}/${code}`, districtIndex });
  }

  // ---- providers (three per district) and evaluators, rounds per district
  const PROVIDER_KINDS = ['social_work_station', 'social_organisation', 'university'] as const;
  for (const district of districts) {
    for (let i = 0; i < 3; i++) {
      const id = ++ids.provider;
      const kind = PROVIDER_KINDS[i]!;
      const name =
        kind === 'university'
          ? `${district.name}${placeName(r, 2)}社会工作研究院`
          : kind === 'social_work_station'
            ? `${district.name}${placeName(r, 2)}社会工作服务站`
            : `${district.name}${placeName(r, 2)}社会工作服务中心`;
      emit('provider', [
        id,
        name,
        kind,
        `52${district.code}${pad(id, 10)}`,
        `${district.name}民政局`,
        `${district.name}${placeName(r, 2)}路 ${r.int(1, 300)} 号`,
        [{ name: personName(r), phone: `139${pad(r.int(0, 99_999_999), 8)}` }],
        district.code,
      ]);
      district.providers.push(id);
    }
  }
  const evaluatorOrgs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const id = ++ids.evaluatorOrg;
    emit('evaluator_org', [id, `${placeName(r, 2)}社会工作评估中心`, `024-${pad(r.int(0, 99_999_999), 8)}`]);
    evaluatorOrgs.push(id);
  }
  const midDue = `${fundYear}-${policy.midEvaluationDue}`;
  const finalDue = `${fundYear}-${policy.finalEvaluationDue}`;
  for (const district of districts) {
    district.rounds.midterm = ++ids.round;
    emit('evaluation_round', [
      district.rounds.midterm,
      fundYear,
      'midterm',
      district.code,
      district.path,
      midDue,
      addDays(midDue, -30),
      'closed',
      midDue,
    ]);
    district.rounds.final = ++ids.round;
    emit('evaluation_round', [
      district.rounds.final,
      fundYear,
      'final',
      district.code,
      district.path,
      finalDue,
      addDays(finalDue, -25),
      'open',
      null,
    ]);
  }

  // ---- the ledger: two year-wide accounts, then per community
  const accounts = new Map<number, AccountState>();
  const accountRefs = new Map<number, string>();
  const openAccount = (kind: AccountKind, ref: string, limitFen: number | null = null): number => {
    const id = ++ids.account;
    accounts.set(id, { id, kind, limitFen, ...zeroBalances() });
    accountRefs.set(id, ref);
    return id;
  };
  const poolId = openAccount('fund_pool', '');
  emit('ledger_account', [poolId, fundYear, 'fund_pool', '', root.code, null, 0, 0, 0, 0]);
  let pendingTransfers: TransferRecord[] = [];
  const resolved = new Map<string, number>();
  const transfer = (request: TransferRequest): TransferRecord => {
    const pending = request.pendingId ? (pendingTransfers.find((t) => t.id === request.pendingId) ?? null) : null;
    const decision = decideTransfer(request, {
      accounts,
      pending,
      pendingResolved: pending ? (resolved.get(pending.id) ?? 0) : 0,
      corrected: null,
      correctedSoFar: 0,
    });
    if (!decision.ok) throw new Error(`generator produced a transfer the ledger refuses: ${decision.violation.en}`);
    accounts.set(decision.debit.id, decision.debit);
    accounts.set(decision.credit.id, decision.credit);
    const t = decision.transfer;
    if (t.kind === 'pending') pendingTransfers.push(t);
    if (t.pendingId) resolved.set(t.pendingId, (resolved.get(t.pendingId) ?? 0) + t.amount);
    emitLater.push([
      'ledger_transfer',
      [
        t.id,
        ++ids.transferSeq,
        fundYear,
        t.kind,
        t.code,
        t.debitAccountId,
        t.creditAccountId,
        t.amount,
        t.pendingId,
        null,
        t.reference,
        'bench-data',
      ],
    ]);
    return t;
  };
  // Transfers are emitted after the community's accounts (their final balances are known then).
  let emitLater: [TableName, Cell[]][] = [];

  // ---- communities
  const steps = Object.fromEntries(STEPS.map((s) => [s, 0])) as Record<Step, number>;
  const householdEvery = scale.communities / scale.householdCommunities;
  const householdsMean = scale.households / scale.householdCommunities;
  const minCoverage = policy.needsCoverage.numerator / policy.needsCoverage.denominator;
  const tierByStars = new Map(policy.tiers.map((t) => [t.stars, t]));
  let allocatedFen = 0;
  let committedFen = 0;
  let paidFen = 0;
  const totalWeight = STEP_WEIGHTS.reduce((a, b) => a + b, 0);
  const stepOf = (index: number): number => {
    // The tiny scale walks every step in turn so that a handful of communities covers them all.
    if (scale.communities <= STEPS.length * 4) return index % STEPS.length;
    let x = r.next() * totalWeight;
    for (let i = 0; i < STEP_WEIGHTS.length; i++) {
      x -= STEP_WEIGHTS[i]!;
      if (x < 0) return i;
    }
    return STEP_WEIGHTS.length - 1;
  };

  for (let c = 0; c < scale.communities; c++) {
    const street = streets[c % scale.streets]!;
    const district = districts[street.districtIndex]!;
    const seq = Math.floor(c / scale.streets) + 1;
    const code = `${street.code}${pad(seq, 3)}`;
    const path = `${street.path}/${code}`;
    const suffix = r.pick(COMMUNITY_SUFFIX);
    const name = `${placeName(r, 2)}${suffix}`;
    emit('region', [code, street.code, 'community', name, suffix === '村' ? '村民委员会' : '居民委员会', path, seq]);

    const hasRegistry = Math.floor(c / householdEvery) !== Math.floor((c - 1) / householdEvery) || c === 0;
    const householdCount = hasRegistry
      ? Math.max(20, Math.round(householdsMean * (0.8 + r.next() * 0.4)))
      : Math.round(householdsMean * (0.6 + r.next() * 0.8));
    const representatives = Math.max(10, Math.round(householdCount / 60));
    emit('community_profile', [
      code,
      householdCount,
      representatives,
      r.int(7, 15),
      `${district.name}${name}${r.int(1, 200)}号`,
      `024-${pad(r.int(0, 99_999_999), 8)}`,
    ]);
    const x = r.next();
    const stars = x < 0.12 ? 5 : x < 0.4 ? 4 : 3;
    emit('rating', [code, ratingYear, stars]);
    const tier = tierByStars.get(stars)!;
    const allocation = tier.amountFen;

    const step = stepOf(c);
    steps[STEPS[step]!]++;

    // Households of the registry.
    const householdIds: number[] = [];
    if (hasRegistry) {
      for (let h = 0; h < householdCount; h++) {
        const id = ++ids.household;
        const building = 1 + Math.floor(h / 36);
        const unit = 1 + Math.floor((h % 36) / 12);
        const room = `${1 + Math.floor((h % 12) / 2)}0${1 + (h % 2)}`;
        emit('household', [
          id,
          code,
          `${building}-${unit}-${room}`,
          `${building}号楼`,
          `${unit}单元`,
          room,
          personName(r),
          `1${r.pick(['3', '5', '8'])}${pad(r.int(0, 999_999_999), 9)}`,
          r.int(1, 6),
        ]);
        householdIds.push(id);
      }
    }

    // Ledger: the community's allocation.
    const available = openAccount('community_available', code);
    transfer({
      id: `alloc:${fundYear}:${code}`,
      kind: 'posted',
      code: 'allocation',
      debitAccountId: poolId,
      creditAccountId: available,
      amount: allocation,
      reference: `${fundYear} 年度专项资金下达 ${name}`,
    });
    allocatedFen += allocation;
    const communityAccounts = [available];
    // Paid-out per community, as the ledger service keeps it; opened with the first payment.
    let paidOutId = 0;

    if (step >= 1) {
      const campaignId = ++ids.campaign;
      const open = step === 1;
      const itemCodes = [...enhancement];
      const opensOn = open ? addDays(options.asOf, -20) : `${fundYear}-03-01`;
      const closesOn = open ? addDays(options.asOf, 40) : `${fundYear}-04-15`;
      // Concluded campaigns reached the policy's coverage [N 3.1.1(1)]; open ones are on their way.
      const coverage = open ? 0.05 + r.next() * 0.2 : minCoverage + r.next() * 0.04;
      const answered = hasRegistry ? r.shuffle(householdIds).slice(0, Math.ceil(householdIds.length * coverage)) : [];
      const reached = hasRegistry ? answered.length : Math.ceil(householdCount * coverage);
      emit('needs_campaign', [
        campaignId,
        code,
        fundYear,
        `${fundYear} 年度${name}服务需求征集`,
        opensOn,
        closesOn,
        ['household_vote', 'questionnaire', 'online_vote'],
        { itemCodes, freeText: true, prompt: '您最希望社区开展哪些服务？' },
        false,
        open ? 'open' : 'ready',
        open ? null : `${fundYear}-04-16T02:00:00.000Z`,
        open ? null : reached,
        open ? null : householdCount,
        open ? null : `${fundYear}-04-20T02:00:00.000Z`,
      ]);
      for (const householdId of answered.sort((a, b) => a - b)) {
        const choices = r.shuffle(itemCodes).slice(0, r.int(1, 3)).sort();
        const channel = r.pick(['household_vote', 'questionnaire', 'online_vote']);
        emit('needs_opinion', [
          ++ids.opinion,
          campaignId,
          householdId,
          channel,
          choices,
          r.next() < 0.1 ? '希望多组织老年人活动' : null,
          null,
          1,
        ]);
      }

      if (step >= 2) {
        emit('decision', [
          ++ids.decision,
          code,
          fundYear,
          campaignId,
          'major',
          step >= 3 ? 'ready_for_review' : 'noticed',
          1,
          `${fundYear}-05-10`,
        ]);
      }
      if (step >= 3) {
        const planId = ++ids.plan;
        emit('plan', [
          planId,
          fundYear,
          'community',
          `${name}${fundYear}年度专项资金使用计划`,
          code,
          street.code,
          district.code,
          path,
          'filed',
          'district',
          1,
          `${fundYear}-05-25`,
          `${fundYear}-06-03`,
          `${fundYear}-06-01`,
          `${fundYear}-06-08`,
        ]);
        emit('plan_community', [planId, code, fundYear]);
        const projectCount = Math.max(2, Math.round(scale.projectsPerCommunity * (0.6 + r.next() * 0.8)));
        const budgets = split(r, allocation, projectCount, 100_00);
        const projects = budgets.map((budgetFen, i) => {
          const id = ++ids.project;
          const catalogueCode = i < basic.length ? basic[i]! : r.pick(enhancement);
          const procedure = budgetFen >= policy.smallPurchaseThresholdFen ? 'competitive_consultation' : 'small_direct';
          emit('plan_project', [
            id,
            planId,
            `${r.pick(PROJECT_WORDS)}项目`,
            '面向辖区居民的社区服务项目',
            catalogueCode,
            i < basic.length ? 'basic' : 'enhancement',
            budgetFen,
            [code],
            'social_organisation',
            [],
            procedure,
            i,
          ]);
          return { id, budgetFen };
        });

        if (step >= 4) {
          const procurementId = ++ids.procurement;
          const providerId = r.pick(district.providers);
          const budget = projects.reduce((s, p) => s + p.budgetFen, 0);
          emit('procurement', [
            procurementId,
            fundYear,
            'community',
            code,
            path,
            'small_direct',
            projects.map((p) => p.id),
            budget,
            [{ providerId, note: '报价合理' }],
            providerId,
            '服务方案与报价最优',
            [],
            `${fundYear}-06-15`,
          ]);
          for (const p of projects) {
            const contractId = ++ids.contract;
            const ref = `HT${fundYear}-${pad(contractId, 6)}`;
            const contractAccount = openAccount('contract', ref, p.budgetFen);
            communityAccounts.push(contractAccount);
            const commitment = transfer({
              id: `${ref}:commitment`,
              kind: 'pending',
              code: 'commitment',
              debitAccountId: available,
              creditAccountId: contractAccount,
              amount: p.budgetFen,
              reference: `合同 ${ref}`,
            });
            committedFen += p.budgetFen;
            // Instalments 30/40/30 on signing, after the mid-term and after the final evaluation [N 3.3].
            const parts = [Math.floor(p.budgetFen * 0.3), Math.floor(p.budgetFen * 0.4)];
            parts.push(p.budgetFen - parts[0]! - parts[1]!);
            const conditions = ['on_signing', 'after_midterm_passed', 'after_final_passed'] as const;
            const midScore = step >= 5 ? r.int(5500, 9900) : null;
            const midGrade = midScore === null ? null : gradeOf(midScore, policy.gradeThresholds);
            const finalScore = step >= 6 && midGrade !== 'fail' ? r.int(5500, 9900) : null;
            const finalGrade = finalScore === null ? null : gradeOf(finalScore, policy.gradeThresholds);
            const paidCount =
              step === 4 ? 1 : step === 5 || finalGrade === null ? (midGrade === 'fail' ? 1 : 2) : finalGrade === 'fail' ? 2 : 3;
            const paidOn = [`${fundYear}-06-20`, `${fundYear}-07-15`, `${fundYear}-11-20`];
            for (let i = 0; i < 3; i++) {
              const instalmentId = ++ids.instalment;
              const paid = i < paidCount && parts[i]! > 0;
              const transferId = paid ? `${ref}:instalment-${i + 1}` : null;
              if (paid) {
                if (!paidOutId) communityAccounts.push((paidOutId = openAccount('paid_out', code)));
                transfer({
                  id: transferId!,
                  kind: 'post_pending',
                  code: 'disbursement',
                  pendingId: commitment.id,
                  amount: parts[i]!,
                  reference: `合同 ${ref} 第 ${i + 1} 期`,
                });
                transfer({
                  id: `${transferId}:payout`,
                  kind: 'posted',
                  code: 'payout',
                  debitAccountId: contractAccount,
                  creditAccountId: paidOutId,
                  amount: parts[i]!,
                  reference: `合同 ${ref} 第 ${i + 1} 期`,
                });
                paidFen += parts[i]!;
              }
              emitLater.push([
                'contract_instalment',
                [
                  instalmentId,
                  contractId,
                  i + 1,
                  conditions[i]!,
                  null,
                  parts[i]!,
                  paid ? 'paid' : 'open',
                  transferId,
                  paid ? paidOn[i]! : null,
                ],
              ]);
            }
            const completed = paidCount === 3;
            emit('contract', [
              contractId,
              fundYear,
              procurementId,
              'community',
              code,
              code,
              path,
              providerId,
              `${name}服务合同`,
              p.budgetFen,
              `${fundYear}-06-20`,
              `${fundYear}-12-31`,
              ['服务台账', '活动记录'],
              completed ? 'completed' : 'signed',
              `${fundYear}-06-18`,
              commitment.id,
            ]);
            emit('contract_project', [contractId, p.id]);
            const people = r.int(80, 1200);
            if (midGrade !== null) {
              const thirdParty = r.next() < 0.5;
              emitLater.push([
                'evaluation_assignment',
                [
                  ++ids.assignment,
                  district.rounds.midterm,
                  p.id,
                  code,
                  path,
                  p.budgetFen,
                  thirdParty ? 'third_party' : 'review_meeting',
                  thirdParty ? r.pick(evaluatorOrgs) : null,
                  'concluded',
                  midScore,
                  midGrade,
                  people,
                  '按计划推进',
                  midGrade === 'fail' ? '服务台账不全' : '',
                  midDue,
                ],
              ]);
            }
            if (finalGrade !== null) {
              emitLater.push([
                'evaluation_assignment',
                [
                  ++ids.assignment,
                  district.rounds.final,
                  p.id,
                  code,
                  path,
                  p.budgetFen,
                  'review_meeting',
                  null,
                  'concluded',
                  finalScore,
                  finalGrade,
                  people,
                  '完成合同约定服务',
                  '',
                  addDays(options.asOf, -5),
                ],
              ]);
            }
          }
        }
      }
    }

    // The community's accounts with their final balances, then its transfers and later rows.
    for (const id of communityAccounts) {
      const a = accounts.get(id)!;
      emit('ledger_account', [
        id,
        fundYear,
        a.kind,
        accountRefs.get(id)!,
        path,
        a.limitFen,
        a.debitsPosted,
        a.creditsPosted,
        a.debitsPending,
        a.creditsPending,
      ]);
      accounts.delete(id);
      accountRefs.delete(id);
    }
    for (const [table, values] of emitLater) emit(table, values);
    emitLater = [];
    pendingTransfers = [];
    resolved.clear();
    yield c;
  }

  return {
    scale: scale.name,
    seed: options.seed,
    asOf: options.asOf,
    fundYear,
    rows,
    steps,
    allocatedFen,
    committedFen,
    paidFen,
    poolAccount: { id: poolId, balances: accounts.get(poolId)! },
    digest: hash.digest('hex'),
  };
}
