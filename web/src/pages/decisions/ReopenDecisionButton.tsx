import { App } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../api/client';
import { ConfirmAction } from '../../components/ConfirmAction';
import { decisionsApi } from './api';

/** The button's name, also quoted by the plan editor's reopen fix (PlanCompliance.tsx). */
export const REOPEN_DECISION_LABEL = '重新提交议事会表决（增补项目）';

/**
 * [N 3.1.2(1)] Issue 19: when the decided list is shorter than the star level's minimum, only the
 * council can decide more projects. The community puts its concluded decision back to the council:
 * a new round, a new 10-day notice, and no plan submission until it has closed. Shown only while the
 * decision is ready for review; the server refuses once a plan has been submitted.
 */
export function ReopenDecisionButton({ decision }: { decision: { id: number; status: string; round: number } }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const reopen = useMutation({
    mutationFn: () => decisionsApi.reopen(decision.id, '决策通过的项目不足星级最低数量，重新提交居民议事会表决增补项目'),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['decision', decision.id] });
      void message.success('已重新提交议事会，请录入新一轮表决');
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  if (decision.status !== 'ready_for_review') return null;
  return (
    <ConfirmAction
      data-testid="reopen-decision"
      loading={reopen.isPending}
      confirm={{
        title: `确认${REOPEN_DECISION_LABEL}？`,
        action: '将本决议重新提交居民议事会，对包括新增提案在内的项目清单重新表决；上一轮的表决与公示保留在记录中',
        clause: '[N 3.1.2(1)]',
        consequence: `将开启第 ${decision.round + 1} 轮表决，须重新公示 10 日；方案在新一轮公示期满前不能提交 [N 3.1.2(1)]`,
        okText: '重新提交',
        danger: true,
        onOk: () => reopen.mutateAsync(),
      }}
    >
      {REOPEN_DECISION_LABEL}
    </ConfirmAction>
  );
}
