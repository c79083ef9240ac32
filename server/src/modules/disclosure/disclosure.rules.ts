/**
 * [N 4.2] Full-process disclosure: what each stage must publish, when it falls due, and whether it
 * was published on time. Pure: the service gathers the facts (dates from the records of the other
 * modules and the disclosure records) and these functions judge them.
 */
import { addDays } from '../../common/dates.js';

export const DISCLOSURE_CLAUSE = '[N 4.2]';

export type DisclosureStage = 'before' | 'during' | 'after';
export const DISCLOSURE_KINDS = ['decision', 'notice', 'plan', 'contracts', 'progress', 'midterm', 'final', 'payments'] as const;
export type DisclosureKind = (typeof DISCLOSURE_KINDS)[number];
/** Kinds the community records itself (published outside the system); the rest the system publishes. */
export const RECORDED_KINDS = ['plan', 'contracts', 'progress', 'midterm', 'final', 'payments'] as const;
export type RecordedKind = (typeof RECORDED_KINDS)[number];

export const DISCLOSURE_LABELS: Record<DisclosureKind, { stage: DisclosureStage; label: string; labelEn: string; trigger: string }> = {
  decision: { stage: 'before', label: '决策结果', labelEn: 'Decision', trigger: '表决通过当日随公示公开' },
  notice: { stage: 'before', label: '决策公示', labelEn: 'Public notice', trigger: '表决后即时公示' },
  plan: { stage: 'before', label: '使用方案', labelEn: 'Usage plan', trigger: '方案备案后公开' },
  contracts: { stage: 'during', label: '服务合同', labelEn: 'Contracts', trigger: '合同签订后公开' },
  progress: { stage: 'during', label: '实施进展', labelEn: 'Progress', trigger: '中期评估前公开实施进展' },
  midterm: { stage: 'during', label: '中期评估结果', labelEn: 'Mid-term results', trigger: '中期评估完成后公开' },
  final: { stage: 'after', label: '终期评估结果', labelEn: 'Final results', trigger: '终期评估完成后公开' },
  payments: { stage: 'after', label: '资金拨付', labelEn: 'Payments', trigger: '拨付后公开' },
};

export const STAGE_LABELS: Record<DisclosureStage, string> = { before: '事前公开', during: '事中公开', after: '事后公开' };

/** The dates of the process that trigger a disclosure, and the publication dates known. */
export interface DisclosureFacts {
  /** Date of the decisive vote (the notice is posted the same day [N 3.1.2(1)]). */
  decidedOn: string | null;
  /** Posting date of the first public notice of the decision. */
  noticePostedOn: string | null;
  planFiledOn: string | null;
  /** First signing date of the community's contracts. */
  firstContractSignedOn: string | null;
  /** Mid-term evaluation due date of the fund year, once contracts run (progress is published before it). */
  progressDueOn: string | null;
  midtermEvaluatedOn: string | null;
  finalEvaluatedOn: string | null;
  firstPaymentOn: string | null;
  /** Publication dates recorded by the community, by kind. */
  recorded: Partial<Record<RecordedKind, string>>;
}

export type DisclosureStatus = 'not_due' | 'due' | 'published' | 'late' | 'missing';

export interface DisclosureItem {
  kind: DisclosureKind;
  stage: DisclosureStage;
  label: string;
  /** The event that makes it due, or null while it has not happened. */
  triggeredOn: string | null;
  dueOn: string | null;
  publishedOn: string | null;
  status: DisclosureStatus;
  /** Late or missing: flagged to the street and district. */
  flagged: boolean;
  clause: string;
}

/**
 * [N 4.2] Judges one requirement: due `graceDays` calendar days after its trigger (0 = the same day);
 * published on or before the due date is on time; after it, late; not published once due has
 * passed, missing; otherwise due (still within time) or not due (no trigger yet).
 */
export function judge(
  triggeredOn: string | null,
  publishedOn: string | null,
  graceDays: number,
  today: string,
): { dueOn: string | null; status: DisclosureStatus } {
  if (!triggeredOn) return { dueOn: null, status: publishedOn ? 'published' : 'not_due' };
  const dueOn = addDays(triggeredOn, graceDays);
  if (publishedOn) return { dueOn, status: publishedOn > dueOn ? 'late' : 'published' };
  return { dueOn, status: today > dueOn ? 'missing' : 'due' };
}

/** [N 4.2] Every required disclosure (before, during, after) of one community and fund year, in process order. */
export function disclosureChecklist(facts: DisclosureFacts, options: { graceDays: number; today: string }): DisclosureItem[] {
  const { graceDays, today } = options;
  const rows: [DisclosureKind, string | null, string | null, number][] = [
    // The system publishes the decision with its notice; both are due the day of the vote.
    ['decision', facts.decidedOn, facts.noticePostedOn, 0],
    ['notice', facts.decidedOn, facts.noticePostedOn, 0],
    ['plan', facts.planFiledOn, facts.recorded.plan ?? null, graceDays],
    ['contracts', facts.firstContractSignedOn, facts.recorded.contracts ?? null, graceDays],
    ['progress', facts.progressDueOn, facts.recorded.progress ?? null, 0],
    ['midterm', facts.midtermEvaluatedOn, facts.recorded.midterm ?? null, graceDays],
    ['final', facts.finalEvaluatedOn, facts.recorded.final ?? null, graceDays],
    ['payments', facts.firstPaymentOn, facts.recorded.payments ?? null, graceDays],
  ];
  return rows.map(([kind, trigger, published, grace]) => {
    const { dueOn, status } = judge(trigger, published, grace, today);
    return {
      kind,
      stage: DISCLOSURE_LABELS[kind].stage,
      label: DISCLOSURE_LABELS[kind].label,
      triggeredOn: trigger,
      dueOn,
      publishedOn: published,
      status,
      flagged: status === 'late' || status === 'missing',
      clause: DISCLOSURE_CLAUSE,
    };
  });
}

/** The step a community has reached in a fund year, for the portal. */
export const PORTAL_STEPS = [
  { code: 'not_started', label: '尚未启动' },
  { code: 'needs', label: '需求征集' },
  { code: 'decision', label: '民主决策' },
  { code: 'notice', label: '决策公示' },
  { code: 'plan', label: '编制方案' },
  { code: 'review', label: '方案审核' },
  { code: 'filed', label: '方案已备案' },
  { code: 'contracted', label: '项目实施' },
  { code: 'paid', label: '资金拨付' },
  { code: 'evaluated', label: '评估完成' },
] as const;
export type PortalStep = (typeof PORTAL_STEPS)[number]['code'];

/** How far the final evaluations of a community's filed projects have gone [N 3.2]. */
export interface EvaluationProgress {
  /** Filed projects of the fund year. */
  projects: number;
  midtermEvaluated: number;
  finalEvaluated: number;
  /** "9 个项目中 1 个完成终期评估"; null while no project is filed. */
  label: string | null;
  clause: string;
}

/**
 * [N 3.2] Counts the filed projects that have a concluded mid-term and final evaluation (each project
 * once, whatever the number of its grades); grades of projects outside the list are ignored.
 */
export function evaluationProgress(
  projectIds: readonly number[],
  grades: readonly { projectId: number | null; stage: 'midterm' | 'final' }[],
): EvaluationProgress {
  const ids = new Set(projectIds);
  const evaluated = (stage: 'midterm' | 'final') =>
    new Set(grades.filter((g) => g.stage === stage && g.projectId !== null && ids.has(g.projectId)).map((g) => g.projectId)).size;
  const finalEvaluated = evaluated('final');
  return {
    projects: ids.size,
    midtermEvaluated: evaluated('midterm'),
    finalEvaluated,
    label: ids.size > 0 ? `${ids.size} 个项目中 ${finalEvaluated} 个完成终期评估` : null,
    clause: '[N 3.2]',
  };
}

/**
 * [N 4.2] The community's current step of the procedure, as the portal shows it. 评估完成 only when
 * every filed project has its final evaluation [N 3.2]; one of nine is still 资金拨付 (or 项目实施).
 */
export function currentStep(s: {
  campaign: boolean;
  decisionStatus: string | null;
  planStatus: string | null;
  signedContracts: number;
  paidInstalments: number;
  /** Filed projects, and those of them with a concluded final evaluation. */
  projects: number;
  finalEvaluatedProjects: number;
}): PortalStep {
  if (s.projects > 0 && s.finalEvaluatedProjects >= s.projects) return 'evaluated';
  if (s.paidInstalments > 0) return 'paid';
  if (s.signedContracts > 0) return 'contracted';
  if (s.planStatus === 'filed') return 'filed';
  if (s.planStatus === 'submitted' || s.planStatus === 'approved') return 'review';
  if (s.planStatus === 'draft' || s.planStatus === 'returned' || s.decisionStatus === 'ready_for_review') return 'plan';
  if (s.decisionStatus === 'noticed' || s.decisionStatus === 'suspended') return 'notice';
  if (s.decisionStatus === 'in_progress' || s.decisionStatus === 'rejected') return 'decision';
  if (s.campaign) return 'needs';
  return 'not_started';
}

/** Open-data datasets and formats: `/api/public/open-data/{year}/{dataset}.{format}`. */
export const OPEN_DATASETS = ['allocations', 'projects', 'notices', 'contracts', 'payments', 'evaluations'] as const;
export type OpenDataset = (typeof OPEN_DATASETS)[number];
export const OPEN_FORMATS = ['csv', 'xlsx', 'json'] as const;
export type OpenFormat = (typeof OPEN_FORMATS)[number];

/** [N 4.2] An open-data file name `<dataset>.<format>`, or null when it names no published dataset. */
export function parseOpenDataFile(file: string): { dataset: OpenDataset; format: OpenFormat } | null {
  const m = /^([a-z]+)\.([a-z]+)$/.exec(file);
  if (!m) return null;
  const dataset = OPEN_DATASETS.find((d) => d === m[1]);
  const format = OPEN_FORMATS.find((f) => f === m[2]);
  return dataset && format ? { dataset, format } : null;
}

/** [N 4.2] Masks a person's name for public pages (张*; 欧阳** for two-character surnames kept to one). */
export function maskPublicName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  return `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}
