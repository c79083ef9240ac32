import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Popconfirm, Space, Table, Tag } from 'antd';
import { calendarApi } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import type { CalendarDay } from '../../api/endpoints';
import { weekdayText } from '../../utils/format';
import { calendarKeys } from './queries';

export function DaysTable({
  year,
  days,
  canWrite,
  onEdit,
}: {
  year: number;
  days: CalendarDay[];
  canWrite: boolean;
  onEdit: (day: CalendarDay) => void;
}) {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const remove = useMutation({
    mutationFn: (date: string) => calendarApi.deleteDay(date),
    onSuccess: (_, date) => {
      message.success(`已删除 ${date}`);
      void queryClient.invalidateQueries({ queryKey: calendarKeys.year(year) });
    },
    onError: (error) => message.error(errorMessage(error)),
  });

  const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date));
  return (
    <Table<CalendarDay>
      rowKey="date"
      size="small"
      dataSource={sorted}
      pagination={sorted.length > 40 ? { pageSize: 40 } : false}
      locale={{ emptyText: '无节假日或调休' }}
      columns={[
        { title: '日期', dataIndex: 'date', width: 130 },
        { title: '星期', dataIndex: 'date', key: 'weekday', width: 90, render: (d: string) => weekdayText(d) },
        {
          title: '类型',
          dataIndex: 'isOffDay',
          width: 110,
          filters: [
            { text: '休', value: true },
            { text: '班', value: false },
          ],
          onFilter: (value, row) => row.isOffDay === value,
          render: (off: boolean) => (off ? <Tag color="red">休 放假</Tag> : <Tag color="blue">班 调休上班</Tag>),
        },
        { title: '名称', dataIndex: 'name' },
        ...(canWrite
          ? [
              {
                title: '操作',
                key: 'actions',
                width: 140,
                render: (_: unknown, row: CalendarDay) => (
                  <Space size={0}>
                    <Button type="link" size="small" onClick={() => onEdit(row)}>
                      修改
                    </Button>
                    <Popconfirm
                      title={`删除 ${row.date}？`}
                      description="删除后该日恢复为普通工作日或周末。"
                      okText="删除"
                      cancelText="取消"
                      onConfirm={() => remove.mutate(row.date)}
                    >
                      <Button type="link" size="small" danger loading={remove.isPending && remove.variables === row.date}>
                        删除
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
