import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Card, List, Space, Tag, Typography } from 'antd';
import { plansApi } from '../plans/api';
import { TodoTable } from './TodoTable';

/** 待办: what awaits the signed-in account (every role, ADR 0017), by urgency, with due dates, working days left, clause and a link to the action; and its messages. */
export default function TodoPage() {
  const client = useQueryClient();
  const todo = useQuery({ queryKey: ['todo'], queryFn: ({ signal }) => plansApi.todo(signal) });
  const messages = useQuery({ queryKey: ['messages'], queryFn: ({ signal }) => plansApi.messages(signal) });
  const read = useMutation({
    mutationFn: (keys?: string[]) => plansApi.markRead(keys),
    onSuccess: (m) => client.setQueryData(['messages'], m),
  });
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <Card title={<>待办事项 {todo.data && <Typography.Text type="secondary">（今天 {todo.data.today}）</Typography.Text>}</>}>
        <TodoTable items={todo.data?.items ?? []} loading={todo.isLoading} />
      </Card>
      <Card
        title={
          <>
            站内消息 <Badge count={messages.data?.unread ?? 0} />
          </>
        }
        extra={
          <Button size="small" disabled={!messages.data?.unread} onClick={() => read.mutate(undefined)}>
            全部标为已读
          </Button>
        }
      >
        <List
          loading={messages.isLoading}
          dataSource={messages.data?.items ?? []}
          locale={{ emptyText: '暂无消息' }}
          renderItem={(m) => (
            <List.Item
              actions={
                m.read
                  ? []
                  : [
                      <Button key="r" size="small" type="link" onClick={() => read.mutate([m.key])}>
                        标为已读
                      </Button>,
                    ]
              }
            >
              <List.Item.Meta
                title={
                  <Space>
                    {!m.read && <Badge status="error" />}
                    {m.kind === 'due_date_moved' && <Tag color="blue">期限调整</Tag>}
                    <Link to={m.link}>{m.title}</Link>
                    <Typography.Text type="secondary">{m.on}</Typography.Text>
                  </Space>
                }
                description={m.body}
              />
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}
