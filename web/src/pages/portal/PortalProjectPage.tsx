import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { CATALOGUE_CATEGORY_LABELS, EVALUATION_KIND_LABELS, labelOf } from '../../api/labels';
import { formatFen } from '../../utils/money';
import { portalApi } from './api';
import { Breadcrumb, Failed, Loading, PortalShell } from './portal.shared';
import { ContractList, NoticeList } from './PortalLists';

export function PortalProjectPage() {
  const id = Number(useParams().projectId);
  const q = useQuery({
    queryKey: ['portal', 'project', id],
    queryFn: ({ signal }) => portalApi.project(id, signal),
    enabled: Number.isInteger(id) && id > 0,
  });
  if (q.isLoading) return <Loading title="项目" />;
  if (q.isError || !q.data) return <Failed title="项目" error={q.error} />;
  const { project: p, trail: t } = q.data;
  return (
    <PortalShell title={p.title}>
      <Breadcrumb items={[...q.data.ancestors, q.data.community]} current={p.title} />
      <h1>{p.title}</h1>
      <p>
        {p.fundYear} 年度 · {labelOf(CATALOGUE_CATEGORY_LABELS, p.category)} · 预算 {formatFen(p.budgetFen)}
      </p>
      {p.content && <p>{p.content}</p>}
      <h2>项目全过程</h2>
      <ol>
        <li>
          <strong>居民意见</strong>：
          {t.needs ? (
            <>
              {t.needs.title}，覆盖 {t.needs.coverage.reached}/{t.needs.coverage.residentHouseholds} 户
              {t.needs.households !== null && <>，本项目来自 {t.needs.households} 户居民的意见</>}
            </>
          ) : (
            '—'
          )}
        </li>
        <li>
          <strong>民主决策</strong>：
          {t.decision ? (
            <>
              {t.decision.decidedOn} 表决，赞成 {t.decision.votesFor}、反对 {t.decision.votesAgainst}、弃权 {t.decision.votesAbstain}
            </>
          ) : (
            '—'
          )}
          <NoticeList notices={t.notices} />
        </li>
        <li>
          <strong>使用方案备案</strong>：{t.plan ? (t.plan.filedOn ? `${t.plan.title}，${t.plan.filedOn} 备案` : t.plan.title) : '—'}
        </li>
        <li>
          <strong>合同</strong>：<ContractList contracts={t.contracts} />
        </li>
        <li>
          <strong>资金拨付</strong>：
          {t.payments.length ? (
            <ul data-testid="project-payments">
              {t.payments.map((x) => (
                <li key={`${x.contractId}-${x.seq}`}>
                  {x.paidOn} 向 {x.providerName} 拨付第 {x.seq} 期 {formatFen(x.amountFen)}
                </li>
              ))}
            </ul>
          ) : (
            '尚未拨付'
          )}
        </li>
        {(t.evaluations.length > 0 || t.modelCases.length > 0) && (
          <li>
            <strong>评估</strong>：{t.evaluations.map((e) => `${EVALUATION_KIND_LABELS[e.stage]} ${e.grade}`).join('；')}
            {t.modelCases.map((m) => (
              <div key={m.id}>典型案例：{m.title}</div>
            ))}
          </li>
        )}
      </ol>
    </PortalShell>
  );
}
