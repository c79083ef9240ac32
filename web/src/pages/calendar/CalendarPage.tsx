import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Button, Space, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { CalendarDay } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorView } from '../../components/ErrorView';
import { PageLoading } from '../../components/PageLoading';
import { PageTitle } from '../../components/PageTitle';
import { YearSelect } from '../../components/YearSelect';
import { DayEditModal, type DayEditTarget } from './DayEditModal';
import { DaysTable } from './DaysTable';
import { PublishForm } from './PublishForm';
import { CALENDAR_YEARS, useCalendarYear } from './queries';
import { WorkdayTools } from './WorkdayTools';
import { YearGrid } from './YearGrid';

function defaultYear(): number {
  const now = new Date().getFullYear();
  return CALENDAR_YEARS.includes(now) ? now : CALENDAR_YEARS[CALENDAR_YEARS.length - 1]!;
}

export default function CalendarPage() {
  const { can } = useSession();
  const canWrite = can('calendar:write');
  const [params, setParams] = useSearchParams();
  const requested = Number(params.get('year'));
  const year = CALENDAR_YEARS.includes(requested) ? requested : defaultYear();
  const calendar = useCalendarYear(year);
  const [editing, setEditing] = useState<DayEditTarget | null>(null);

  const openDay = (date: string, existing: CalendarDay | undefined) => setEditing({ date, existing });

  return (
    <>
      <PageTitle
        title="工作日历"
        extra={
          <>
            <span>年度</span>
            <YearSelect value={year} years={CALENDAR_YEARS} onChange={(y) => setParams({ year: String(y) }, { replace: true })} />
          </>
        }
      >
        <Typography.Text type="secondary">法定节假日与调休安排，用于公示期、审核时限等工作日计算</Typography.Text>
      </PageTitle>

      {calendar.isPending ? (
        <PageLoading />
      ) : calendar.isError ? (
        <ErrorView error={calendar.error} what="该年度日历" onRetry={() => void calendar.refetch()} />
      ) : !calendar.data.published ? (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Alert type="warning" showIcon title="该年度节假日安排尚未发布（国务院通知未录入）" />
          {canWrite && <PublishForm year={year} />}
        </Space>
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Space wrap>
            <Typography.Text type="secondary">依据：{calendar.data.source ?? '—'}</Typography.Text>
            <Tag color="red">休 = 放假</Tag>
            <Tag color="blue">班 = 调休上班</Tag>
            {canWrite && <Typography.Text type="secondary">点击日期可设置或修改</Typography.Text>}
          </Space>
          <Tabs
            items={[
              {
                key: 'grid',
                label: '全年月历',
                children: <YearGrid year={year} days={calendar.data.days} onDayClick={canWrite ? openDay : undefined} />,
              },
              {
                key: 'list',
                label: `节假日与调休明细（${calendar.data.days.length}）`,
                children: <DaysTable year={year} days={calendar.data.days} canWrite={canWrite} onEdit={(d) => openDay(d.date, d)} />,
              },
            ]}
            tabBarExtraContent={
              canWrite && (
                <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing({ date: null, existing: undefined })}>
                  添加
                </Button>
              )
            }
          />
        </Space>
      )}

      <div style={{ marginTop: 24 }}>
        <WorkdayTools defaultYear={year} />
      </div>

      {editing && <DayEditModal year={year} target={editing} onClose={() => setEditing(null)} />}
    </>
  );
}
