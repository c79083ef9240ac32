import { Link } from 'react-router';
import { Table, Tag, Typography } from 'antd';
import type { MovedDueDate } from '../../api/endpoints';
import { ProvisionalTag } from '../../components/ProvisionalTag';

/** The open due dates that entering a year's holiday notice recomputes: kind, title, before → after. */
export function MovedDueDatesTable({ items }: { items: MovedDueDate[] }) {
  return (
    <Table<MovedDueDate>
      rowKey={(d) => `${d.kind}:${d.id}`}
      size="small"
      pagination={items.length > 20 ? { pageSize: 20 } : false}
      dataSource={items}
      data-testid="moved-due-dates"
      locale={{ emptyText: '没有期限需要调整' }}
      columns={[
        { title: '期限', dataIndex: 'kindLabel', width: 150 },
        { title: '事项', dataIndex: 'title', render: (title: string, d) => <Link to={d.link}>{title}</Link> },
        {
          title: '原期限',
          dataIndex: 'before',
          width: 130,
          render: (v: string, d) => <Typography.Text delete={d.moved}>{v}</Typography.Text>,
        },
        {
          title: '调整后',
          dataIndex: 'after',
          width: 170,
          render: (v: string, d) => (
            <>
              <Typography.Text strong={d.moved}>{v}</Typography.Text>
              {d.provisional && <ProvisionalTag />}
            </>
          ),
        },
        { title: '', dataIndex: 'moved', width: 90, render: (moved: boolean) => (moved ? <Tag color="blue">调整</Tag> : <Tag>不变</Tag>) },
      ]}
    />
  );
}
