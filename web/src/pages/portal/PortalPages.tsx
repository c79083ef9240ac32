import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../api/client';
import {
  CATALOGUE_CATEGORY_LABELS,
  DATASET_LABELS as GENERATED_DATASET_LABELS,
  EVALUATION_KIND_LABELS,
  FILING_LEVEL_LABELS,
  labelOf,
  PORTAL_DISCLOSURE_STATUS_LABELS,
  PORTAL_NOTICE_STATUS_LABELS,
  PORTAL_PLAN_STATUS_LABELS,
} from '../../api/labels';
import { formatFen } from '../../utils/money';
import { portalApi, type DisclosureItem, type PublicContract, type PublicNoticeRow, type RegionPage, type RegionView } from './api';
import './portal.css';

/**
 * The public portal [N 4.2]: no login, mobile-first, in Chinese; city → district → street →
 * community → project, search, open data and the verifiable record. WCAG 2.1 AA basics:
 * landmarks, a skip link, labelled controls, visible focus, contrast, and a large-text mode.
 */

const LARGE_KEY = 'portal-large-text';

function PortalShell({ title, children }: { title: string; children: ReactNode }) {
  const [large, setLarge] = useState(() => {
    try {
      return localStorage.getItem(LARGE_KEY) === '1';
    } catch {
      return false;
    }
  });
  useEffect(() => {
    document.title = `${title} · 星级社区"以奖代补"信息公开`;
  }, [title]);
  const toggle = () => {
    setLarge((v) => {
      try {
        localStorage.setItem(LARGE_KEY, v ? '0' : '1');
      } catch {
        /* private mode */
      }
      return !v;
    });
  };
  return (
    <div className={`portal${large ? ' portal-large' : ''}`} lang="zh-CN">
      <a className="portal-skip" href="#portal-main">
        跳到正文
      </a>
      <header className="portal-header">
        <Link className="portal-brand" to="/portal">
          沈阳市星级社区"以奖代补"信息公开
        </Link>
        <nav aria-label="门户导航">
          <ul>
            <li>
              <Link to="/portal">全市</Link>
            </li>
            <li>
              <Link to="/portal/search">查找社区</Link>
            </li>
            <li>
              <Link to="/portal/open-data">开放数据</Link>
            </li>
            <li>
              <Link to="/portal/record">可验证记录</Link>
            </li>
            <li>
              <Link to="/login">工作人员登录</Link>
            </li>
          </ul>
        </nav>
        <div className="portal-toolbar">
          <button type="button" aria-pressed={large} onClick={toggle}>
            {large ? '标准字号' : '大字模式'}
          </button>
        </div>
      </header>
      <main id="portal-main" className="portal-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="portal-footer">
        <p>沈阳市民政局 · 依据沈民发〔2023〕11号全过程公开 · 页面不含居民个人信息</p>
      </footer>
    </div>
  );
}

function Loading({ title }: { title: string }) {
  return (
    <PortalShell title={title}>
      <p role="status">正在加载…</p>
    </PortalShell>
  );
}

function Failed({ title, error }: { title: string; error: unknown }) {
  return (
    <PortalShell title={title}>
      <h1>{title}</h1>
      <p role="alert">未找到或暂未公开：{errorMessage(error)}</p>
      <p>
        <Link to="/portal">返回全市</Link>
      </p>
    </PortalShell>
  );
}

const LEVEL_PATH: Record<string, (code: string) => string> = {
  city: () => '/portal',
  district: (c) => `/portal/d/${c}`,
  street: (c) => `/portal/s/${c}`,
  community: (c) => `/portal/c/${c}`,
};

function Breadcrumb({ items, current }: { items: RegionView[]; current: string }) {
  return (
    <nav className="portal-breadcrumb" aria-label="位置">
      <ol>
        {items.map((a) => (
          <li key={a.code}>
            <Link to={LEVEL_PATH[a.level]?.(a.code) ?? '/portal'}>{a.name}</Link>
          </li>
        ))}
        <li aria-current="page">{current}</li>
      </ol>
    </nav>
  );
}

function YearLinks({ years, current, base }: { years: number[]; current: number; base: string }) {
  return (
    <nav aria-label="资金年度">
      <ul className="portal-years">
        {years.map((y) => (
          <li key={y}>
            <Link to={`${base}?year=${y}`} aria-current={y === current ? 'page' : undefined}>
              {y} 年度
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

const useYear = () => {
  const [params] = useSearchParams();
  const y = Number(params.get('year'));
  return Number.isInteger(y) && y >= 2000 && y <= 2100 ? y : undefined;
};

function Money({ label, fen }: { label: string; fen: number }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{formatFen(fen)}</dd>
    </div>
  );
}

function RegionPageView({ data, title }: { data: RegionPage; title: string }) {
  const childPath = (c: RegionView) => LEVEL_PATH[c.level]?.(c.code) ?? '/portal';
  const childNoun = data.region.level === 'city' ? '区县' : data.region.level === 'district' ? '街道（乡镇）' : '社区';
  return (
    <PortalShell title={title}>
      {data.ancestors.length > 0 && <Breadcrumb items={data.ancestors} current={data.region.name} />}
      <h1>
        {data.region.name}
        {data.region.level === 'city' ? '星级社区"以奖代补"专项资金' : ''}
      </h1>
      <YearLinks years={data.years} current={data.fundYear} base={LEVEL_PATH[data.region.level]!(data.region.code)} />
      <section aria-labelledby="totals-h" className="portal-card">
        <h2 id="totals-h">{data.fundYear} 年度资金</h2>
        <dl className="portal-stats">
          <Money label="分配" fen={data.totals.allocatedFen} />
          <Money label="合同占用" fen={data.totals.committedFen} />
          <Money label="已拨付" fen={data.totals.paidFen} />
          <div>
            <dt>获得资金的社区</dt>
            <dd>{data.totals.fundedCommunities} 个</dd>
          </div>
        </dl>
      </section>
      {data.region.level === 'city' && <SearchForm />}
      <section aria-labelledby="children-h">
        <h2 id="children-h">
          {childNoun}（{data.children.length}）
        </h2>
        <ul className="portal-grid">
          {data.children.map((c) => (
            <li key={c.code}>
              <Link to={`${childPath(c)}?year=${data.fundYear}`}>{c.name}</Link>
              <div className="portal-muted">
                {c.level !== 'community' && <>社区 {c.communityCount} 个 · </>}分配 {formatFen(c.allocatedFen)}
                {c.paidFen > 0 && <> · 已拨付 {formatFen(c.paidFen)}</>}
              </div>
            </li>
          ))}
        </ul>
      </section>
    </PortalShell>
  );
}

export function PortalCityPage() {
  const year = useYear();
  const q = useQuery({ queryKey: ['portal', 'city', year], queryFn: ({ signal }) => portalApi.city(year, signal) });
  if (q.isLoading) return <Loading title="全市" />;
  if (q.isError || !q.data) return <Failed title="全市" error={q.error} />;
  return <RegionPageView data={q.data} title="全市" />;
}

export function PortalRegionPage() {
  const code = useParams().code ?? '';
  const year = useYear();
  const q = useQuery({ queryKey: ['portal', 'region', code, year], queryFn: ({ signal }) => portalApi.region(code, year, signal) });
  if (q.isLoading) return <Loading title="区域" />;
  if (q.isError || !q.data) return <Failed title="区域" error={q.error} />;
  return <RegionPageView data={q.data} title={q.data.region.name} />;
}

const BADGE_CLASSES: Record<DisclosureItem['status'], string> = {
  published: 'ok',
  late: 'warn',
  missing: 'bad',
  due: 'neutral',
  not_due: 'neutral',
};
const DISCLOSURE_BADGE = Object.fromEntries(
  (Object.keys(BADGE_CLASSES) as DisclosureItem['status'][]).map((k) => [
    k,
    { text: PORTAL_DISCLOSURE_STATUS_LABELS[k], cls: BADGE_CLASSES[k] },
  ]),
) as Record<DisclosureItem['status'], { text: string; cls: string }>;
const NOTICE_TEXT: Readonly<Record<string, string>> = PORTAL_NOTICE_STATUS_LABELS;
const PLAN_TEXT: Readonly<Record<string, string>> = PORTAL_PLAN_STATUS_LABELS;

function NoticeList({ notices }: { notices: PublicNoticeRow[] }) {
  if (notices.length === 0) return <p>暂无公示。</p>;
  return (
    <ul>
      {notices.map((n) => (
        <li key={n.id}>
          第 {n.round} 次公示：{n.postedOn} 至 {n.windowEnd}，{NOTICE_TEXT[n.status] ?? n.status}
          {n.status === 'open' && <>（剩余 {n.daysLeft} 天）</>}，异议 {n.objectors}/{n.objectorsNeeded} 人 ·{' '}
          <a href={n.link}>查看公示{n.status === 'open' ? '并提出异议' : ''}</a>
        </li>
      ))}
    </ul>
  );
}

function ContractList({ contracts }: { contracts: PublicContract[] }) {
  if (contracts.length === 0) return <p>暂无已签订的合同。</p>;
  return (
    <div className="portal-table-wrap" tabIndex={0} role="region" aria-label="表格（可左右滚动）">
      <table className="portal-table">
        <caption className="portal-muted">服务合同与拨付</caption>
        <thead>
          <tr>
            <th scope="col">合同</th>
            <th scope="col">承接主体</th>
            <th scope="col">金额</th>
            <th scope="col">签订</th>
            <th scope="col">已拨付</th>
          </tr>
        </thead>
        <tbody>
          {contracts.map((c) => (
            <tr key={c.id}>
              <td>
                {c.title}
                <div className="portal-muted">{c.ref}</div>
                {c.remainderVoidedOn && (
                  <div data-testid="contract-voided">
                    终期评估不合格，{c.remainderVoidedOn} 起未拨付款项已作废，{formatFen(c.releasedFen ?? 0)} 退回社区可用资金
                  </div>
                )}
              </td>
              <td>{c.provider?.name ?? '—'}</td>
              <td>{formatFen(c.amountFen)}</td>
              <td>{c.signedOn ?? '—'}</td>
              <td data-testid="contract-paid">{formatFen(c.paidFen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PortalCommunityPage() {
  const code = useParams().code ?? '';
  const year = useYear();
  const q = useQuery({ queryKey: ['portal', 'community', code, year], queryFn: ({ signal }) => portalApi.community(code, year, signal) });
  if (q.isLoading) return <Loading title="社区" />;
  if (q.isError || !q.data) return <Failed title="社区" error={q.error} />;
  const d = q.data;
  const stepIndex = d.steps.findIndex((s) => s.code === d.step.code);
  return (
    <PortalShell title={d.community.name}>
      <Breadcrumb items={d.ancestors} current={d.community.name} />
      <h1>{d.community.name}</h1>
      <p className="portal-muted">
        {d.community.ratingYear} 年度星级：{d.community.stars ? `${d.community.stars} 星` : '未评定'}
      </p>
      <YearLinks years={d.years} current={d.fundYear} base={`/portal/c/${d.community.code}`} />
      <section aria-labelledby="step-h" className="portal-card">
        <h2 id="step-h">
          {d.fundYear} 年度进度：<span data-testid="current-step">{d.step.label}</span>
        </h2>
        <ol className="portal-steps" aria-label="办理步骤">
          {d.steps.map((s, i) => (
            <li key={s.code} className={i < stepIndex ? 'done' : undefined} aria-current={i === stepIndex ? 'step' : undefined}>
              {s.label}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="money-h" className="portal-card">
        <h2 id="money-h">资金</h2>
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
      </section>
      <section aria-labelledby="needs-h" className="portal-card">
        <h2 id="needs-h">需求征集</h2>
        {d.needs ? (
          <p>
            {d.needs.title}（{d.needs.opensOn} 至 {d.needs.closesOn}）· 覆盖 {d.needs.coverage.reached}/
            {d.needs.coverage.residentHouseholds} 户（{(d.needs.coverage.basisPoints / 100).toFixed(2)}%）
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
      </section>
      <section aria-labelledby="decision-h" className="portal-card">
        <h2 id="decision-h">民主决策与公示</h2>
        {d.decision ? (
          <>
            <p>{d.decision.decidedOn ? `${d.decision.decidedOn} 表决通过 ${d.decision.projects.length} 个项目` : '决策进行中'}</p>
            <NoticeList notices={d.notices} />
          </>
        ) : (
          <p>尚未进行民主决策。</p>
        )}
      </section>
      <section aria-labelledby="plan-h" className="portal-card">
        <h2 id="plan-h">使用方案</h2>
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
      </section>
      <section aria-labelledby="contracts-h" className="portal-card">
        <h2 id="contracts-h">合同与拨付</h2>
        <ContractList contracts={d.contracts} />
      </section>
      {(d.evaluations.length > 0 || d.modelCases.length > 0) && (
        <section aria-labelledby="eval-h" className="portal-card">
          <h2 id="eval-h">评估与典型案例</h2>
          <ul>
            {d.evaluations.map((e, i) => (
              <li key={i}>
                {EVALUATION_KIND_LABELS[e.stage]}：{e.grade}（{e.evaluatedOn}，{e.evaluatorName}）
              </li>
            ))}
            {d.modelCases.map((m) => (
              <li key={m.id}>
                典型案例：{m.title}（{m.publishedOn}）
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="disc-h" className="portal-card">
        <h2 id="disc-h">全过程公开情况</h2>
        <div className="portal-table-wrap" tabIndex={0} role="region" aria-label="表格（可左右滚动）">
          <table className="portal-table">
            <thead>
              <tr>
                <th scope="col">阶段</th>
                <th scope="col">公开事项</th>
                <th scope="col">应公开日期</th>
                <th scope="col">公开日期</th>
                <th scope="col">状态</th>
              </tr>
            </thead>
            <tbody>
              {d.disclosures.map((i) => (
                <tr key={i.kind} data-testid={`disclosure-${i.kind}`}>
                  <td>{i.stageLabel}</td>
                  <td>{i.label}</td>
                  <td>{i.dueOn ?? '—'}</td>
                  <td>{i.publishedOn ?? '—'}</td>
                  <td>
                    <span className={`portal-badge ${DISCLOSURE_BADGE[i.status].cls}`}>{DISCLOSURE_BADGE[i.status].text}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </PortalShell>
  );
}

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
          <strong>使用方案备案</strong>：{t.plan ? `${t.plan.title}，${t.plan.filedOn ?? ''} 备案` : '—'}
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

function SearchForm({ initial = '' }: { initial?: string }) {
  const [text, setText] = useState(initial);
  const navigate = useNavigate();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) navigate(`/portal/search?q=${encodeURIComponent(text.trim())}`);
  };
  return (
    <form role="search" className="portal-search" onSubmit={submit}>
      <label htmlFor="portal-q">社区名称</label>
      <input id="portal-q" type="search" value={text} maxLength={30} onChange={(e) => setText(e.target.value)} placeholder="例如：浑河湾" />
      <button type="submit">查找</button>
    </form>
  );
}

export function PortalSearchPage() {
  const [params] = useSearchParams();
  const text = params.get('q') ?? '';
  const q = useQuery({
    queryKey: ['portal', 'search', text],
    queryFn: ({ signal }) => portalApi.search(text, signal),
    enabled: text.trim().length > 0,
  });
  return (
    <PortalShell title="查找社区">
      <h1>查找社区</h1>
      <SearchForm initial={text} key={text} />
      {q.isLoading && <p role="status">正在查找…</p>}
      {q.data && (
        <section aria-live="polite">
          <h2>找到 {q.data.items.length} 个社区</h2>
          <ul className="portal-grid">
            {q.data.items.map((c) => (
              <li key={c.code}>
                <Link to={`/portal/c/${c.code}`}>{c.name}</Link>
                <div className="portal-muted">
                  {c.districtName} · {c.streetName}
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </PortalShell>
  );
}

const DATASET_LABELS: Readonly<Record<string, string>> = GENERATED_DATASET_LABELS;

export function PortalOpenDataPage() {
  const q = useQuery({ queryKey: ['portal', 'open-data'], queryFn: ({ signal }) => portalApi.openData(signal) });
  return (
    <PortalShell title="开放数据">
      <h1>开放数据</h1>
      <p>
        每个资金年度的数据均可按固定地址下载：<code>/api/public/open-data/年度/数据集.格式</code>，格式为 CSV、Excel（xlsx）或
        JSON；金额单位为分（Excel 中为元）。许可：{q.data?.license ?? 'CC BY 4.0'}。不含任何居民个人信息。
      </p>
      {q.isError && <p role="alert">{errorMessage(q.error)}</p>}
      {q.data?.years.map((y) => (
        <section key={y.year} aria-labelledby={`od-${y.year}`} className="portal-card">
          <h2 id={`od-${y.year}`}>{y.year} 年度</h2>
          <div className="portal-table-wrap" tabIndex={0} role="region" aria-label="表格（可左右滚动）">
            <table className="portal-table">
              <thead>
                <tr>
                  <th scope="col">数据集</th>
                  <th scope="col">下载</th>
                </tr>
              </thead>
              <tbody>
                {Object.keys(DATASET_LABELS).map((ds) => (
                  <tr key={ds}>
                    <td>{DATASET_LABELS[ds]}</td>
                    <td>
                      {y.files
                        .filter((f) => f.dataset === ds)
                        .map((f) => (
                          <a
                            key={f.format}
                            href={f.url}
                            style={{ marginRight: '1em' }}
                            aria-label={`${y.year} 年度${DATASET_LABELS[ds]} ${f.format.toUpperCase()}`}
                          >
                            {f.format.toUpperCase()}
                          </a>
                        ))}
                    </td>
                  </tr>
                ))}
                <tr>
                  <td>服务合同（开放合同数据标准 OCDS 1.1 发布包）</td>
                  <td>
                    <a href={y.ocds} aria-label={`${y.year} 年度服务合同 OCDS JSON`}>
                      OCDS JSON
                    </a>
                  </td>
                </tr>
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </PortalShell>
  );
}

export function PortalRecordPage() {
  const q = useQuery({ queryKey: ['portal', 'audit-days'], queryFn: ({ signal }) => portalApi.auditDays(signal) });
  return (
    <PortalShell title="可验证记录">
      <h1>可验证记录</h1>
      <p>
        系统的每一次变更都写入只增不改的审计链：每条记录的哈希为 sha256(上一条哈希 + 本条记录的规范
        JSON)。下表公布每天最后一条记录的序号和链头哈希。
        持有导出记录的任何人都可以逐条重新计算哈希，若某天末的结果与此处公布的一致，则说明该日及以前的记录此后未被改动。
      </p>
      {q.isError && <p role="alert">{errorMessage(q.error)}</p>}
      {q.data && (
        <div className="portal-table-wrap" tabIndex={0} role="region" aria-label="表格（可左右滚动）">
          <table className="portal-table">
            <caption className="portal-muted">每日链头（中国时间）</caption>
            <thead>
              <tr>
                <th scope="col">日期</th>
                <th scope="col">序号范围</th>
                <th scope="col">记录数</th>
                <th scope="col">日末链头哈希</th>
              </tr>
            </thead>
            <tbody>
              {q.data.days.map((d) => (
                <tr key={d.day}>
                  <td>
                    {d.day}
                    {!d.complete && '（今日，尚未结束）'}
                  </td>
                  <td>
                    {d.firstSeq}–{d.lastSeq}
                  </td>
                  <td>{d.events}</td>
                  <td className="portal-hash">{d.headHash}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </PortalShell>
  );
}
