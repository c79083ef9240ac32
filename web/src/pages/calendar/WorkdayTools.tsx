import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Col, DatePicker, Form, InputNumber, Row, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { calendarApi } from '../../api/endpoints';
import type { WorkdayResult } from '../../api/endpoints';
import { ErrorAlert } from '../../components/ErrorView';
import { ProvisionalTag } from '../../components/ProvisionalTag';
import { yearOf } from '../../utils/clock';
import { weekdayText } from '../../utils/format';

interface ToolValues {
  from: Dayjs;
  days: number;
}

function Tool({
  title,
  description,
  fromLabel,
  daysLabel,
  resultLabel,
  defaultDays,
  defaultFrom,
  run,
}: {
  title: string;
  description: string;
  fromLabel: string;
  daysLabel: string;
  resultLabel: string;
  defaultDays: number;
  defaultFrom: Dayjs;
  run: (from: string, days: number) => Promise<WorkdayResult>;
}) {
  const calc = useMutation({ mutationFn: (v: ToolValues) => run(v.from.format('YYYY-MM-DD'), v.days) });
  return (
    <Card size="small" title={title} style={{ height: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {description}
      </Typography.Paragraph>
      <Form<ToolValues>
        layout="inline"
        initialValues={{ from: defaultFrom, days: defaultDays }}
        onFinish={(v) => calc.mutate(v)}
        style={{ rowGap: 8 }}
      >
        <Form.Item label={fromLabel} name="from" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker allowClear={false} />
        </Form.Item>
        <Form.Item label={daysLabel} name="days" rules={[{ required: true, type: 'integer', min: 0, message: '请输入天数' }]}>
          <InputNumber min={0} max={3650} precision={0} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={calc.isPending}>
            计算
          </Button>
        </Form.Item>
      </Form>
      <div style={{ marginTop: 12 }} aria-live="polite">
        {calc.isError && <ErrorAlert error={calc.error} />}
        {calc.isSuccess && (
          <Alert
            type={calc.data.provisional ? 'warning' : 'success'}
            showIcon
            title={
              <>
                <span data-testid="tool-result">
                  {resultLabel}：<strong>{calc.data.result}</strong>（{weekdayText(calc.data.result)}）
                </span>
                {calc.data.provisional && <ProvisionalTag reason={calc.data.provisionalReason} />}
              </>
            }
            description={
              <>
                <div>{`自 ${calc.data.from} 起 ${calc.data.days} 天`}</div>
                {calc.data.provisional && calc.data.provisionalReason && <div>{calc.data.provisionalReason}</div>}
              </>
            }
          />
        )}
      </div>
    </Card>
  );
}

/** The two calculators; they start from today (the server's clock) in the current year, else from 1 January of the year shown. */
export function WorkdayTools({ year, today }: { year: number; today: string }) {
  const defaultFrom = dayjs(yearOf(today) === year ? today : `${year}-01-01`);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <Tool
          title="工作日计算"
          description="从某日起，向后顺延 N 个工作日（跳过周末与法定节假日，计入调休上班日）。"
          fromLabel="起始日期"
          daysLabel="工作日数"
          resultLabel="到期日"
          defaultDays={10}
          defaultFrom={defaultFrom}
          run={calendarApi.addWorkdays}
        />
      </Col>
      <Col xs={24} xl={12}>
        <Tool
          title="公示期截止"
          description="从公示张贴日起，计算 N 天公示期的截止日。"
          fromLabel="张贴日期"
          daysLabel="公示天数"
          resultLabel="公示期截止"
          defaultDays={7}
          defaultFrom={defaultFrom}
          run={calendarApi.windowEnd}
        />
      </Col>
    </Row>
  );
}
