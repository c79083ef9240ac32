import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Button, Space, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { CalendarDay, CalendarPublishResponse } from '../../api/endpoints';
import { useSession } from '../../auth/session';
import { ErrorView } from '../../components/ErrorView';
import { PageLoading } from '../../components/PageLoading';
import { PageTitle } from '../../components/PageTitle';
import { ProvisionalTag } from '../../components/ProvisionalTag';
import { YearSelect } from '../../components/YearSelect';
import { DayEditModal, type DayEditTarget } from './DayEditModal';
import { DaysTable } from './DaysTable';
import { MovedDueDatesTable } from './MovedDueDatesTable';
import { PublishForm } from './PublishForm';
import { useCalendarYear, useCalendarYears } from './queries';
import { WorkdayTools } from './WorkdayTools';
import { YearGrid } from './YearGrid';

export default function CalendarPage() {
  const { can } = useSession();
  const canWrite = can('calendar:write');
  const [params, setParams] = useSearchParams();
  const offered = useCalendarYears();
  const requested = Number(params.get('year'));
  // An explicit ?year= wins; otherwise the year of the server's today.
  const year = offered ? (offered.years.includes(requested) ? requested : offered.currentYear) : undefined;
  const calendar = useCalendarYear(year);
  const [editing, setEditing] = useState<DayEditTarget | null>(null);
  const [published, setPublished] = useState<CalendarPublishResponse | null>(null);

  const openDay = (date: string, existing: CalendarDay | undefined) => setEditing({ date, existing });
  const legend = (
    <>
      <Tag color="red">休 = 放假</Tag>
      <Tag color="blue">班 = 调休上班</Tag>
    </>
  );

  return (
    <>
      <PageTitle
        title="工作日历"
        extra={
          <>
            <span>年度</span>
            <YearSelect
              value={year}
              years={offered?.years ?? []}
              loading={!offered}
              onChange={(y) => {
                setPublished(null);
                setParams({ year: String(y) }, { replace: true });
              }}
            />
          </>
        }
      >
        <Typography.Text type="secondary">
          法定节假日与调休安排，用于公示期、审核时限等工作日计算{offered && `（今天 ${offered.today}）`}
        </Typography.Text>
      </PageTitle>

      {published && published.year === year && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setPublished(null) }}
          style={{ marginBottom: 16 }}
          data-testid="publish-result"
          title={`${published.year} 年度节假日安排已发布：${published.dueDates.filter((d) => d.moved).length} 个期限已调整`}
          description={
            published.dueDates.length > 0 ? <MovedDueDatesTable items={published.dueDates} /> : '没有按暂定日历计算的未结期限需要调整。'
          }
        />
      )}

      {year === undefined || calendar.isPending ? (
        <PageLoading />
      ) : calendar.isError ? (
        <ErrorView error={calendar.error} what="该年度日历" onRetry={() => void calendar.refetch()} />
      ) : !calendar.data.published ? (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Alert
            type="warning"
            showIcon
            data-testid="calendar-provisional"
            title={
              <>
                该年度节假日安排尚未发布（国务院通知未录入）
                {calendar.data.provisional && <ProvisionalTag reason={calendar.data.provisionalReason} />}
              </>
            }
            description={
              calendar.data.provisional && (
                <>
                  {calendar.data.provisionalReason && <div>{calendar.data.provisionalReason}</div>}
                  <div>法定节假日依据：{calendar.data.statutorySource}</div>
                  <div>下表为法定节假日（暂定）；周末照常休息，不含调休安排。</div>
                </>
              )
            }
          />
          {calendar.data.days.length > 0 && (
            <Tabs
              items={[
                { key: 'grid', label: '全年月历（暂定）', children: <YearGrid year={year} days={calendar.data.days} /> },
                {
                  key: 'list',
                  label: `法定节假日（${calendar.data.days.length}）`,
                  children: <DaysTable year={year} days={calendar.data.days} canWrite={false} onEdit={() => undefined} />,
                },
              ]}
              tabBarExtraContent={<Space>{legend}</Space>}
            />
          )}
          {canWrite && <PublishForm year={year} onPublished={setPublished} />}
        </Space>
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Space wrap>
            <Typography.Text type="secondary">依据：{calendar.data.source ?? '—'}</Typography.Text>
            <Typography.Text type="secondary">法定节假日：{calendar.data.statutorySource}</Typography.Text>
            {legend}
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

      {year !== undefined && offered && (
        <div style={{ marginTop: 24 }}>
          <WorkdayTools key={year} year={year} today={offered.today} />
        </div>
      )}

      {editing && year !== undefined && <DayEditModal year={year} target={editing} onClose={() => setEditing(null)} />}
    </>
  );
}
