import type { Tx } from '../db/client.js';
import type { Services } from '../services.js';
import { SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import { dueDateOf, gradeOf, weightedScore } from '../modules/evaluation/evaluation.rules.js';
import { drawSample } from '../modules/supervision/supervision.rules.js';
import { addDays } from '../common/dates.js';
import { notAfter, type DemoTimeline } from './demo-timeline.js';
import { EvaluationRepository } from '../modules/evaluation/evaluation.repository.js';

/**
 * Demo evaluations and supervision (issue 8) for fund year 2026: two evaluator organisations with
 * accounts evaluator-1 and evaluator-2; per district with filed projects a mid-term round (done,
 * graded) and a final round open until 10 December assigned to evaluator-1; the mid-term report
 * filed; a city spot check drawn from a published seed with a finding under rectification; one
 * published model case.
 */
/** The published seed of the demo's spot check (a fund year's first batch). */
export const demoSpotCheckSeed = (fundYear: number) => `沈阳市${fundYear}年度专项资金抽查-第1批`;

const MIDTERM_SCORES = [
  [95, 92, 90, 88, 90, 86], // 优秀 (91.20)
  [85, 82, 80, 78, 84, 80], // 良好
  [72, 70, 68, 66, 70, 75], // 合格
];

export async function seedDemoEvaluation(
  tx: Tx,
  services: Services,
  passwordHash: string,
  timeline: DemoTimeline,
): Promise<Record<string, number>> {
  const { today, fundYear: FUND_YEAR } = timeline;
  const evalRepo = new EvaluationRepository();
  const policy = await services.policy.forYear(FUND_YEAR, tx);
  const orgs = await evalRepo.insertOrgs(tx, [
    { name: '沈阳市社会工作发展评估中心（演示）', creditCode: null, contact: '李评估 024-22334455' },
    { name: '辽宁公共服务绩效评价研究院（演示）', creditCode: null, contact: '王研究员 024-22334466' },
  ]);
  await services.auth.insertUsers(
    orgs.map((o, i) => ({
      username: `evaluator-${i + 1}`,
      displayName: o.name,
      role: 'evaluator' as const,
      scopeCode: null,
      orgId: o.id,
      passwordHash,
    })),
    tx,
  );

  const projects = await services.plans.filedProjects(tx, { fundYear: FUND_YEAR });
  const districts = [...new Set(projects.map((p) => p.regionPath.split('/').slice(0, 2).join('/')))].sort();
  let rounds = 0;
  let assignments = 0;
  let modelCases = 0;
  let reports = 0;
  for (const districtPath of districts) {
    const districtCode = districtPath.split('/')[1]!;
    const mine = projects.filter((p) => p.regionPath.startsWith(`${districtPath}/`));
    const mid = (await evalRepo.insertRound(tx, {
      fundYear: FUND_YEAR,
      kind: 'midterm',
      districtCode,
      regionPath: districtPath,
      dueOn: dueDateOf(FUND_YEAR, 'midterm', policy),
      openedOn: `${FUND_YEAR}-06-01`,
    }))!;
    const fin = (await evalRepo.insertRound(tx, {
      fundYear: FUND_YEAR,
      kind: 'final',
      districtCode,
      regionPath: districtPath,
      dueOn: dueDateOf(FUND_YEAR, 'final', policy),
      openedOn: notAfter(addDays(today, -7), `${FUND_YEAR}-11-20`),
    }))!;
    rounds += 2;
    for (const [i, p] of mine.entries()) {
      // Mid-term: every project evaluated; the last by a review meeting recorded by the district.
      const meeting = i === mine.length - 1 && mine.length > 1;
      const a = (await evalRepo.insertAssignment(tx, {
        roundId: mid.id,
        planProjectId: p.projectId,
        communityCode: p.communityCodes[0] ?? '',
        regionPath: p.regionPath,
        budgetFen: p.budgetFen,
        method: meeting ? 'review_meeting' : 'third_party',
        evaluatorOrgId: meeting ? null : orgs[i % 2]!.id,
        meetingOn: meeting ? `${FUND_YEAR}-06-20` : null,
      }))!;
      if (meeting) {
        await evalRepo.insertParticipants(tx, [
          { assignmentId: a.id, category: 'district_staff', name: '区民政局基层政权科', affiliation: '' },
          { assignmentId: a.id, category: 'street_staff', name: '街道社区建设办', affiliation: '' },
          { assignmentId: a.id, category: 'representative', name: '居民代表（3 名）', affiliation: '' },
          { assignmentId: a.id, category: 'npc_deputy', name: '区人大代表', affiliation: '' },
          { assignmentId: a.id, category: 'expert', name: '社会工作专家', affiliation: '沈阳师范大学' },
        ]);
      }
      const values = MIDTERM_SCORES[i % MIDTERM_SCORES.length]!;
      const scores = policy.evaluationRubric.map((r, k) => ({ code: r.code, score: values[k % values.length]! }));
      const scored = weightedScore(policy.evaluationRubric, scores);
      if (!scored.ok) throw new Error(`demo rubric: ${scored.code}`);
      await evalRepo.insertScores(
        tx,
        scores.map((s) => ({
          assignmentId: a.id,
          itemCode: s.code,
          weight: policy.evaluationRubric.find((r) => r.code === s.code)!.weight,
          score: s.score,
          note: '',
        })),
      );
      await evalRepo.insertEvidence(tx, { assignmentId: a.id, name: '中期服务报告与活动台账', kind: 'report', ref: null });
      await evalRepo.updateAssignment(tx, a.id, {
        status: 'concluded',
        scoreBp: scored.value,
        grade: gradeOf(scored.value, policy.gradeThresholds),
        peopleCovered: 120 + i * 35,
        conclusion: '项目按方案推进，活动开展规范，台账齐全（演示数据）',
        problems: i % 3 === 2 ? '部分活动参与人数偏少，宣传不足' : '',
        concludedOn: `${FUND_YEAR}-06-${String(22 + (i % 6)).padStart(2, '0')}`,
      });
      // Final: assigned to evaluator-1, due 10 December, not yet scored.
      await evalRepo.insertAssignment(tx, {
        roundId: fin.id,
        planProjectId: p.projectId,
        communityCode: p.communityCodes[0] ?? '',
        regionPath: p.regionPath,
        budgetFen: p.budgetFen,
        method: 'third_party',
        evaluatorOrgId: orgs[0]!.id,
        meetingOn: null,
      });
      assignments += 2;
    }
    await services.audit.record(tx, SYSTEM_ACTOR, {
      action: 'evaluation.round.open',
      entityType: 'evaluation_round',
      entityId: String(fin.id),
      regionPath: districtPath,
      after: { fundYear: FUND_YEAR, kind: 'final', seeded: true },
    });

    // The district's mid-term report, filed with the city bureau.
    const { figures } = await services.reports.compile(tx, FUND_YEAR, 'midterm', districtPath);
    const report = (await services.reports.insertSeeded(tx, {
      fundYear: FUND_YEAR,
      kind: 'midterm',
      districtCode,
      regionPath: districtPath,
      status: 'filed',
      figures,
      filedOn: notAfter(`${FUND_YEAR}-07-05`, today),
      narrative: `本区 ${FUND_YEAR} 年度星级社区"以奖代补"专项资金项目中期评估已完成。共评估项目 ${figures.concluded} 个，整体进展良好；个别项目宣传动员不足，已要求整改。（演示数据）`,
    }))!;
    await services.audit.record(tx, SYSTEM_ACTOR, {
      action: 'report.file',
      entityType: 'district_report',
      entityId: String(report.id),
      regionPath: districtPath,
      after: { kind: 'midterm', seeded: true },
    });
    reports++;

    // A model case from the best mid-term result.
    const best = mine[0];
    if (best && modelCases === 0) {
      await services.modelCases.insertSeeded(tx, {
        planProjectId: best.projectId,
        fundYear: FUND_YEAR,
        communityCode: best.communityCodes[0] ?? '',
        regionPath: best.regionPath,
        title: `${best.title}：居民点单、社工接单的服务闭环`,
        body: '社区以需求征集结果为依据，联合专业社工机构开展服务，居民议事会全程监督，项目中期评估获评优秀。（演示数据）',
        results: '服务居民 120 余人次，培育志愿者骨干 12 名，孵化社区社会组织 2 个。',
        photos: [{ name: '活动照片-1.png', caption: '启动仪式暨居民需求恳谈会', ref: null }],
        published: true,
        publishedOn: addDays(today, -3),
      });
      modelCases++;
    }
  }

  // The city's spot check: 10 communities stratified by district, from a published seed.
  const population = await services.supervision.population(tx, FUND_YEAR, 'community');
  let spotChecks = 0;
  if (population.length) {
    const spec = { seed: demoSpotCheckSeed(FUND_YEAR), size: 10, stratifyByDistrict: true, stratifyByStars: false };
    const drawn = drawSample(population, spec);
    const check = await services.supervision.insertSpotCheckSeeded(tx, {
      fundYear: FUND_YEAR,
      title: `${FUND_YEAR} 年度专项资金使用情况抽查（第 1 批）`,
      unit: 'community',
      seed: spec.seed,
      size: spec.size,
      sharePercent: null,
      stratifyByDistrict: true,
      stratifyByStars: false,
      population,
      sample: drawn.sample,
      drawnOn: addDays(today, -12),
    });
    const first = population.find((u) => u.key === drawn.sample[0])!;
    const foundOn = addDays(today, -10);
    const deadline = await services.calendar.addWorkdaysDetailed(foundOn, 15, tx);
    await services.supervision.insertFindingSeeded(tx, {
      spotCheckId: check.id,
      visitId: null,
      communityCode: first.key,
      planProjectId: null,
      regionPath: first.regionPath,
      description: '项目公示材料未在社区公开栏张贴，仅在微信群发布',
      demand: '在社区公开栏和"星基金"公开页同步公示项目决议与预算',
      foundOn,
      workdays: 15,
      deadlineOn: deadline.date,
      deadlineProvisional: deadline.provisional,
      status: 'open',
    });
    await services.audit.record(tx, SYSTEM_ACTOR, {
      action: 'spotcheck.draw',
      entityType: 'spot_check',
      entityId: String(check.id),
      after: { seed: spec.seed, sample: drawn.sample, seeded: true },
    });
    spotChecks++;
  }
  return {
    evaluatorOrgs: orgs.length,
    evaluationRounds: rounds,
    evaluationAssignments: assignments,
    districtReports: reports,
    spotChecks,
    modelCases,
  };
}
