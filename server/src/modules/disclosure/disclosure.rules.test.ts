import { describe, expect, it } from 'vitest';
import {
  currentStep,
  disclosureChecklist,
  evaluationProgress,
  judge,
  maskPublicName,
  parseOpenDataFile,
  type DisclosureFacts,
} from './disclosure.rules.js';

const none: DisclosureFacts = {
  decidedOn: null,
  noticePostedOn: null,
  planFiledOn: null,
  firstContractSignedOn: null,
  progressDueOn: null,
  midtermEvaluatedOn: null,
  finalEvaluatedOn: null,
  firstPaymentOn: null,
  recorded: {},
};

describe('disclosure rules [N 4.2]', () => {
  it('judges on time, late, missing, due and not due', () => {
    expect(judge(null, null, 5, '2026-05-01')).toEqual({ dueOn: null, status: 'not_due' });
    expect(judge('2026-04-01', '2026-04-06', 5, '2026-05-01')).toEqual({ dueOn: '2026-04-06', status: 'published' });
    expect(judge('2026-04-01', '2026-04-07', 5, '2026-05-01')).toEqual({ dueOn: '2026-04-06', status: 'late' });
    expect(judge('2026-04-01', null, 5, '2026-04-06')).toEqual({ dueOn: '2026-04-06', status: 'due' });
    expect(judge('2026-04-01', null, 5, '2026-04-07')).toEqual({ dueOn: '2026-04-06', status: 'missing' });
  });

  it('lists every stage and flags only late or missing ones', () => {
    const items = disclosureChecklist(
      {
        ...none,
        decidedOn: '2026-03-25',
        noticePostedOn: '2026-03-25',
        planFiledOn: '2026-04-20',
        firstContractSignedOn: '2026-05-01',
        firstPaymentOn: '2026-05-06',
        recorded: { plan: '2026-04-21', payments: '2026-05-30' },
      },
      { graceDays: 5, today: '2026-06-01' },
    );
    expect(items.map((i) => i.kind)).toEqual(['decision', 'notice', 'plan', 'contracts', 'progress', 'midterm', 'final', 'payments']);
    const by = Object.fromEntries(items.map((i) => [i.kind, i]));
    expect(by.notice!.status).toBe('published');
    expect(by.plan!.status).toBe('published');
    expect(by.contracts!.status).toBe('missing');
    expect(by.payments!.status).toBe('late');
    expect(by.midterm!.status).toBe('not_due');
    expect(items.filter((i) => i.flagged).map((i) => i.kind)).toEqual(['contracts', 'payments']);
    expect(by.contracts!.stage).toBe('during');
    expect(by.payments!.stage).toBe('after');
  });

  it('a notice posted after the vote is late', () => {
    const items = disclosureChecklist(
      { ...none, decidedOn: '2026-03-25', noticePostedOn: '2026-03-27' },
      { graceDays: 5, today: '2026-04-01' },
    );
    expect(items.find((i) => i.kind === 'notice')!.status).toBe('late');
  });

  it('derives the current step from the furthest record', () => {
    const base = {
      campaign: false,
      decisionStatus: null,
      planStatus: null,
      signedContracts: 0,
      paidInstalments: 0,
      projects: 0,
      finalEvaluatedProjects: 0,
    };
    expect(currentStep(base)).toBe('not_started');
    expect(currentStep({ ...base, campaign: true })).toBe('needs');
    expect(currentStep({ ...base, campaign: true, decisionStatus: 'noticed' })).toBe('notice');
    expect(currentStep({ ...base, campaign: true, decisionStatus: 'ready_for_review' })).toBe('plan');
    expect(currentStep({ ...base, campaign: true, decisionStatus: 'ready_for_review', planStatus: 'submitted' })).toBe('review');
    expect(currentStep({ ...base, planStatus: 'filed' })).toBe('filed');
    expect(currentStep({ ...base, planStatus: 'filed', signedContracts: 1 })).toBe('contracted');
    expect(currentStep({ ...base, planStatus: 'filed', signedContracts: 1, paidInstalments: 1 })).toBe('paid');
  });

  it('is 评估完成 only when every filed project has its final evaluation [N 3.2]', () => {
    const paid = { campaign: true, decisionStatus: 'ready_for_review', planStatus: 'filed', signedContracts: 9, paidInstalments: 9 };
    expect(currentStep({ ...paid, projects: 9, finalEvaluatedProjects: 1 })).toBe('paid');
    expect(currentStep({ ...paid, projects: 9, finalEvaluatedProjects: 8 })).toBe('paid');
    expect(currentStep({ ...paid, projects: 9, finalEvaluatedProjects: 9 })).toBe('evaluated');
    expect(currentStep({ ...paid, paidInstalments: 0, projects: 2, finalEvaluatedProjects: 1 })).toBe('contracted');
    // No filed project: never 评估完成.
    expect(currentStep({ ...paid, planStatus: null, signedContracts: 0, paidInstalments: 0, projects: 0, finalEvaluatedProjects: 0 })).toBe(
      'plan',
    );
  });

  it('counts each filed project once for the evaluation progress [N 3.2]', () => {
    const ids = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const grades = [
      ...ids.map((projectId) => ({ projectId, stage: 'midterm' as const })),
      { projectId: 4, stage: 'final' as const },
      { projectId: 4, stage: 'final' as const },
      { projectId: 99, stage: 'final' as const },
      { projectId: null, stage: 'final' as const },
    ];
    expect(evaluationProgress(ids, grades)).toEqual({
      projects: 9,
      midtermEvaluated: 9,
      finalEvaluated: 1,
      label: '9 个项目中 1 个完成终期评估',
      clause: '[N 3.2]',
    });
    expect(evaluationProgress([], grades).label).toBeNull();
    expect(
      evaluationProgress(
        [1, 2],
        [
          { projectId: 1, stage: 'final' },
          { projectId: 2, stage: 'final' },
        ],
      ).label,
    ).toBe('2 个项目中 2 个完成终期评估');
  });

  it('parses open-data file names strictly and masks names', () => {
    expect(parseOpenDataFile('projects.csv')).toEqual({ dataset: 'projects', format: 'csv' });
    expect(parseOpenDataFile('projects.xlsx.csv')).toBeNull();
    expect(parseOpenDataFile('households.json')).toBeNull();
    expect(parseOpenDataFile('allocations.exe')).toBeNull();
    expect(maskPublicName('张伟')).toBe('张*');
    expect(maskPublicName('欧阳娜娜')).toBe('欧***');
  });
});
