import { useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Input, InputNumber, List, Modal, Space, Tag, Typography } from 'antd';
import { errorMessage } from '../../api/client';
import { useSession } from '../../auth/session';
import { ErrorView } from '../../components/ErrorView';
import { PageTitle } from '../../components/PageTitle';
import { newRequestId } from '../../utils/request-id';
import { evaluationApi, type ModelCase } from './api';
import { ConfirmAction } from '../../components/ConfirmAction';

/** 典型案例 [N 4.4]: write-ups of good projects, published on the portal. */
export default function ModelCasesPage() {
  const { can } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ planProjectId: number; title: string; body: string; results?: string; photo?: string }>();
  const list = useQuery({ queryKey: ['model-cases'], queryFn: ({ signal }) => evaluationApi.cases(signal) });
  const done = () => void qc.invalidateQueries({ queryKey: ['model-cases'] });
  // One key per write-up attempt, kept while the form is unchanged: saving again after a lost
  // answer returns the case already written (ADR 0010).
  const attempt = useRef<string | null>(null);
  const create = useMutation({
    mutationFn: (v: { planProjectId: number; title: string; body: string; results?: string; photo?: string }) => {
      attempt.current ??= newRequestId();
      return evaluationApi.createCase({
        planProjectId: v.planProjectId,
        title: v.title,
        body: v.body,
        results: v.results ?? '',
        photos: v.photo ? [{ name: v.photo, caption: v.photo }] : [],
        requestId: attempt.current,
      });
    },
    onSuccess: () => {
      attempt.current = null;
      setOpen(false);
      done();
    },
    onError: (e) => void message.error(errorMessage(e)),
  });
  const publish = useMutation({
    mutationFn: (c: ModelCase) => evaluationApi.publishCase(c.id, !c.published),
    onSuccess: done,
    onError: (e) => void message.error(errorMessage(e)),
  });
  return (
    <>
      <PageTitle
        title="典型案例"
        extra={
          can('cases:write') && (
            <Button type="primary" onClick={() => setOpen(true)}>
              撰写案例
            </Button>
          )
        }
      >
        <Typography.Text type="secondary">优秀项目的做法与成效，发布后在公开门户展示 [N 4.4]</Typography.Text>
      </PageTitle>
      {list.isError ? (
        <ErrorView error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <List<ModelCase>
          loading={list.isPending}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <Empty description="暂无案例" /> }}
          renderItem={(c) => (
            <Card
              style={{ marginBottom: 12 }}
              title={
                <Space>
                  {c.title}
                  {c.published ? <Tag color="green">已发布 {c.publishedOn}</Tag> : <Tag>未发布</Tag>}
                </Space>
              }
              extra={
                can('cases:write') && (
                  <ConfirmAction
                    size="small"
                    loading={publish.isPending}
                    confirm={{
                      title: c.published ? '确认撤回该典型案例？' : '确认发布该典型案例？',
                      action: `${c.published ? '从公开门户撤回' : '在公开门户发布'}“${c.title}”`,
                      clause: '[N 4.4]',
                      consequence: c.published ? '撤回后居民不再能看到该案例。' : '发布后立即对公众可见。',
                      okText: c.published ? '撤回' : '发布',
                      onOk: () => publish.mutateAsync(c),
                    }}
                  >
                    {c.published ? '撤回' : '发布'}
                  </ConfirmAction>
                )
              }
            >
              <Typography.Text type="secondary">
                {c.communityName} · {c.projectTitle}（{c.fundYear} 年度）
              </Typography.Text>
              <Typography.Paragraph style={{ marginTop: 8, whiteSpace: 'pre-wrap' }}>{c.body}</Typography.Paragraph>
              {c.results && (
                <Typography.Paragraph>
                  <b>成效：</b>
                  {c.results}
                </Typography.Paragraph>
              )}
              {c.photos.length > 0 && <div>照片：{c.photos.map((p) => p.caption || p.name).join('、')}</div>}
            </Card>
          )}
        />
      )}
      <Modal
        title="撰写典型案例"
        open={open}
        onCancel={() => setOpen(false)}
        confirmLoading={create.isPending}
        onOk={() => void form.validateFields().then((v) => create.mutate(v))}
      >
        <Form form={form} layout="vertical" onValuesChange={() => (attempt.current = null)}>
          <Form.Item name="planProjectId" label="项目编号（已备案方案中的项目）" rules={[{ required: true }]}>
            <InputNumber min={1} precision={0} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="title" label="标题" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="body" label="做法" rules={[{ required: true }]}>
            <Input.TextArea rows={5} />
          </Form.Item>
          <Form.Item name="results" label="成效">
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="photo" label="照片说明">
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
