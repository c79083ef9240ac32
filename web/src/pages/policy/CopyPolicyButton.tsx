import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Popconfirm } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { policyApi } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import { policyKeys } from './queries';

export function CopyPolicyButton({
  year,
  existingYears,
  onCopied,
}: {
  year: number;
  existingYears: number[];
  onCopied: (year: number) => void;
}) {
  const toYear = year + 1;
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const copy = useMutation({
    mutationFn: () => policyApi.copy(year, toYear),
    onSuccess: (created) => {
      queryClient.setQueryData(policyKeys.year(created.year), created);
      void queryClient.invalidateQueries({ queryKey: policyKeys.years() });
      message.success(`已复制为 ${created.year} 年度政策`);
      onCopied(created.year);
    },
    onError: (error) => message.error(errorMessage(error)),
  });

  const exists = existingYears.includes(toYear);
  return (
    <Popconfirm
      title={`复制到 ${toYear} 年度`}
      description={`以 ${year} 年度政策为底稿创建 ${toYear} 年度政策？`}
      okText="复制"
      cancelText="取消"
      onConfirm={() => copy.mutate()}
      disabled={exists}
    >
      <Button icon={<CopyOutlined />} loading={copy.isPending} disabled={exists} title={exists ? `${toYear} 年度政策已存在` : undefined}>
        复制到下一年
      </Button>
    </Popconfirm>
  );
}
