import { Link } from 'react-router';
import { Alert, Button, List, Space, Tag, Tooltip, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { formatFen } from '../../utils/money';
import { REOPEN_DECISION_LABEL } from '../decisions/ReopenDecisionButton';
import type { Plan, RuleResult } from './api';

/** A machine-readable fix of a failing rule (server plans.compliance.rules.ts). */
export type ComplianceFix = RuleResult['fixes'][number];

/** Anchors of the plan editor that fixes point to. */
export const PROJECTS_ANCHOR = 'plan-projects';
export const DECIDED_PICKER_ANCHOR = 'plan-decided-picker';

const scrollTo = (id: string) => document.getElementById(id)?.scrollIntoView({ behavior: 'smooth', block: 'center' });

/**
 * One fix, as a link or a button to it (issue 19): add a basic project from the catalogue, add
 * from the decided list, change budgets, or — when the decided list is too short — have the council
 * decide more projects [N 3.1.2(1)], which the plan cannot do itself.
 */
function FixAction({
  fix,
  plan,
  editable,
  onAddCatalogue,
}: {
  fix: ComplianceFix;
  plan: Plan;
  editable: boolean;
  onAddCatalogue: (code: string, name: string, communityCode: string) => void;
}) {
  const community = plan.communities.find((c) => c.code === fix.communityCode);
  const who = plan.kind === 'area' && community ? `${community.name}：` : '';
  const decisionLink = fix.decisionId ? `/decisions/${fix.decisionId}` : '/decisions';
  switch (fix.kind) {
    case 'add_catalogue':
      return (
        <Space wrap size={4}>
          <Typography.Text>{who}从目录添加基础类项目（无须议事会表决 [N 2.1.1]）：</Typography.Text>
          {fix.catalogueCodes.map((code, i) => (
            <Button
              key={code}
              size="small"
              disabled={!editable}
              data-testid={`fix-add-${code}`}
              onClick={() => onAddCatalogue(code, fix.catalogueNames[i] ?? code, fix.communityCode!)}
            >
              添加 {code} {fix.catalogueNames[i]}
            </Button>
          ))}
        </Space>
      );
    case 'add_decided':
      return (
        <Typography.Text>
          {who}决策通过的清单中还有 {fix.count} 个提升类项目未列入：
          <Button type="link" size="small" disabled={!editable} onClick={() => scrollTo(DECIDED_PICKER_ANCHOR)}>
            从决策清单添加
          </Button>
        </Typography.Text>
      );
    case 'reopen_decision':
      return (
        <Alert
          type="warning"
          showIcon
          data-testid="fix-reopen-decision"
          title={`${who}决策通过的提升类项目不足，还差 ${fix.count} 个`}
          description={
            <>
              提升类项目只能来自居民议事会表决通过并公示的清单 [N
              3.1.2(1)]，方案编辑无法自行补充。须由社区补充征集、整理项目，在民主决策页点击"{REOPEN_DECISION_LABEL}
              "，由居民议事会对更多项目重新表决并公示 10 日，公示期满后再添加到本方案。{' '}
              <Link to={decisionLink} data-testid="fix-decision-link" style={{ textDecoration: 'underline' }}>
                前往{community?.name ?? '本社区'}的民主决策
              </Link>
            </>
          }
        />
      );
    case 'change_budget':
      return (
        <Typography.Text>
          调减项目预算，合计至少减少 {formatFen(fix.amountFen ?? 0)}：
          <Button type="link" size="small" onClick={() => scrollTo(PROJECTS_ANCHOR)}>
            修改预算
          </Button>
        </Typography.Text>
      );
    case 'edit_projects':
      return (
        <Button type="link" size="small" onClick={() => scrollTo(PROJECTS_ANCHOR)}>
          修改或删除相关项目
        </Button>
      );
    case 'needs_campaign':
      return <Link to="/needs">{who}前往需求征集 [N 3.1.1(1)]</Link>;
    case 'complete_decision':
      return <Link to={decisionLink}>{who}前往民主决策 [N 3.1.2(1)]</Link>;
    default:
      return null;
  }
}

/** The compliance panel: every rule ✓/✗ with its clause, how to fix a failing one, and links to the fixes. */
export function CompliancePanel({
  rules,
  plan,
  editable = false,
  onAddCatalogue = () => undefined,
}: {
  rules: RuleResult[];
  plan?: Plan;
  editable?: boolean;
  onAddCatalogue?: (code: string, name: string, communityCode: string) => void;
}) {
  return (
    <List
      size="small"
      data-testid="compliance-panel"
      dataSource={rules}
      renderItem={(r) => (
        <List.Item data-rule={r.rule} data-passed={String(r.passed)}>
          <Space align="start">
            {r.passed ? (
              <CheckCircleFilled style={{ color: '#52c41a' }} aria-label="通过" />
            ) : (
              <CloseCircleFilled style={{ color: '#ff4d4f' }} aria-label="未通过" />
            )}
            <div>
              <Typography.Text strong>{r.label}</Typography.Text> <Tag>{r.clause}</Tag>
              <div>
                <Typography.Text type={r.passed ? 'secondary' : 'danger'}>{r.message.zh}</Typography.Text>
              </div>
              {!r.passed && r.fix.zh && (
                <div>
                  <Typography.Text>如何修改：{r.fix.zh}</Typography.Text>
                </div>
              )}
              {!r.passed && plan && r.fixes.length > 0 && (
                <Space orientation="vertical" size={4} style={{ marginTop: 4 }} data-testid={`fixes-${r.rule}`}>
                  {r.fixes.map((f, i) => (
                    <FixAction key={i} fix={f} plan={plan} editable={editable} onAddCatalogue={onAddCatalogue} />
                  ))}
                </Space>
              )}
            </div>
          </Space>
        </List.Item>
      )}
    />
  );
}

/** Why submission is refused, for the disabled submit button [N 3.1.2(2)]; null when it may be submitted. */
export function submitBlockedReason(plan: Plan, dirty: boolean): string | null {
  if (dirty) return '有未保存的修改：请先保存并检查';
  const failing = plan.compliance.rules.filter((r) => !r.passed);
  if (failing.length)
    return `合规检查有 ${failing.length} 项未通过（${failing.map((r) => r.label).join('、')}），修改后才能提交 [N 3.1.2(2)]`;
  return null;
}

/** The submit button's wrapper: a disabled button does not show its own tooltip, so the reason sits on a span. */
export function BlockedTooltip({ reason, children }: { reason: string | null; children: React.ReactNode }) {
  if (!reason) return <>{children}</>;
  return (
    <Tooltip title={reason}>
      <span data-testid="submit-blocked" aria-label={reason} style={{ display: 'inline-block' }}>
        {children}
      </span>
    </Tooltip>
  );
}
