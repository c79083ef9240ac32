import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { CATALOGUE_CATEGORY_LABELS, FILING_LEVEL_LABELS, labelOf, PORTAL_PLAN_STATUS_LABELS } from '../../api/labels';
import { formatFen } from '../../utils/money';
import { portalApi, type CommunityPage } from './api';
import { evaluationLine } from './portal.format';
import { Breadcrumb, Failed, Loading, Money, PortalCard, PortalShell, useYear, YearLinks } from './portal.shared';
import { ContractList, DisclosureTable, NoticeList } from './PortalLists';

const PLAN_TEXT: Readonly<Record<string, string>> = PORTAL_PLAN_STATUS_LABELS;

/** The step reached, and how many of the filed projects have their final evaluation [N 3.2]. */
function StepCard({ d }: { d: CommunityPage }) {
  const stepIndex = d.steps.findIndex((s) => s.code === d.step.code);
  return (
    <PortalCard
      id="step-h"
      title={
        <>
          {d.fundYear} 年度进度：<span data-testid="current-step">{d.step.label}</span>
        </>
      }
    >
      {d.evaluationProgress.label && <p data-testid="evaluation-progress">{d.evaluationProgress.label}</p>}
      <ol className="portal-steps" aria-label="办理步骤">
        {d.steps.map((s, i) => (
          <li key={s.code} className={i < stepIndex ? 'done' : undefined} aria-current={i === stepIndex ? 'step' : undefined}>
            {s.label}
          </li>
        ))}
      </ol>
    </PortalCard>
  );
}

function NeedsCard({ d }: { d: CommunityPage }) {
  return (
    <PortalCard id="needs-h" title="需求征集">
      {d.needs ? (
        <p>
          {d.needs.title}（{d.needs.opensOn} 至 {d.needs.closesOn}）· 覆盖 {d.needs.coverage.reached}/{d.needs.coverage.residentHouseholds}{' '}
          户（{(d.needs.coverage.basisPoints / 100).toFixed(2)}%）
          {d.needs.acceptingOnline && (
            <>
              {' '}
              · <a href={d.needs.link}>在线填写意见</a>
            </>
          )}
        </p>
      ) : (
        <p>本年度尚未启动需求征集。</p>
      )}
    </PortalCard>
  );
}

function PlanCard({ d }: { d: CommunityPage }) {
  return (
    <PortalCard id="plan-h" title="使用方案">
      {d.plan ? (
        <>
          <p>
            {d.plan.title} · {PLAN_TEXT[d.plan.status] ?? d.plan.status}
            {d.plan.filedOn && (
              <>
                （{d.plan.filedOn} 向{labelOf(FILING_LEVEL_LABELS, d.plan.filingLevel ?? 'district')}备案）
              </>
            )}
          </p>
          {d.plan.projects.length > 0 ? (
            <ul>
              {d.plan.projects.map((p) => (
                <li key={p.id}>
                  <Link to={p.link}>{p.title}</Link> · {labelOf(CATALOGUE_CATEGORY_LABELS, p.category)} · {formatFen(p.budgetFen)}
                </li>
              ))}
            </ul>
          ) : (
            <p>方案备案后公开项目明细（共 {d.plan.projectCount} 个项目）。</p>
          )}
        </>
      ) : (
        <p>尚未编制使用方案。</p>
      )}
    </PortalCard>
  );
}

function EvaluationsCard({ d }: { d: CommunityPage }) {
  if (d.evaluations.length === 0 && d.modelCases.length === 0) return null;
  return (
    <PortalCard id="eval-h" title="评估与典型案例">
      <ul data-testid="evaluation-lines">
        {d.evaluations.map((e) => (
          <li key={`${e.projectId ?? e.contractId}-${e.stage}`} data-testid="evaluation-line">
            {evaluationLine(e)}
          </li>
        ))}
        {d.modelCases.map((m) => (
          <li key={m.id}>
            典型案例：{m.title}
            {m.publishedOn && <>（{m.publishedOn}）</>}
          </li>
        ))}
      </ul>
    </PortalCard>
  );
}

export function PortalCommunityPage() {
  const code = useParams().code ?? '';
  const year = useYear();
  const q = useQuery({ queryKey: ['portal', 'community', code, year], queryFn: ({ signal }) => portalApi.community(code, year, signal) });
  if (q.isLoading) return <Loading title="社区" />;
  if (q.isError || !q.data) return <Failed title="社区" error={q.error} />;
  const d = q.data;
  return (
    <PortalShell title={d.community.name}>
      <Breadcrumb items={d.ancestors} current={d.community.name} />
      <h1>{d.community.name}</h1>
      <p className="portal-muted">
        {d.community.ratingYear} 年度星级：{d.community.stars ? `${d.community.stars} 星` : '未评定'}
      </p>
      <YearLinks years={d.years} current={d.fundYear} base={`/portal/c/${d.community.code}`} />
      <StepCard d={d} />
      <PortalCard id="money-h" title="资金">
        {d.allocation ? (
          <dl className="portal-stats">
            <Money label="分配" fen={d.allocation.allocatedFen} />
            <Money label="合同占用" fen={d.allocation.committedFen} />
            <Money label="已拨付" fen={d.allocation.paidFen} />
            <Money label="可用余额" fen={d.allocation.availableFen} />
          </dl>
        ) : (
          <p>本年度尚未分配资金。</p>
        )}
      </PortalCard>
      <NeedsCard d={d} />
      <PortalCard id="decision-h" title="民主决策与公示">
        {d.decision ? (
          <>
            <p>{d.decision.decidedOn ? `${d.decision.decidedOn} 表决通过 ${d.decision.projects.length} 个项目` : '决策进行中'}</p>
            <NoticeList notices={d.notices} />
          </>
        ) : (
          <p>尚未进行民主决策。</p>
        )}
      </PortalCard>
      <PlanCard d={d} />
      <PortalCard id="contracts-h" title="合同与拨付">
        <ContractList contracts={d.contracts} />
      </PortalCard>
      <EvaluationsCard d={d} />
      <PortalCard id="disc-h" title="全过程公开情况">
        <DisclosureTable items={d.disclosures} />
      </PortalCard>
    </PortalShell>
  );
}
