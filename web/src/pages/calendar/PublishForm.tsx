import { useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { calendarApi } from '../../api/endpoints';
import type { CalendarDay } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorView';
import { calendarKeys } from './queries';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

type Parsed = { ok: true; days: CalendarDay[] } | { ok: false; error: string };

function toDay(raw: unknown, where: string): CalendarDay | string {
  if (typeof raw !== 'object' || raw === null) return `${where}：不是对象`;
  const r = raw as Record<string, unknown>;
  if (typeof r.date !== 'string' || !DATE.test(r.date)) return `${where}：date 须为 YYYY-MM-DD`;
  if (typeof r.isOffDay !== 'boolean') return `${where}：isOffDay 须为 true/false`;
  if (typeof r.name !== 'string' || !r.name.trim()) return `${where}：缺少 name`;
  return { date: r.date, isOffDay: r.isOffDay, name: r.name.trim() };
}

/**
 * Accepts either JSON (an array of {date,isOffDay,name}, or {days:[…]} as in the holiday-cn files)
 * or one day per line: `2027-01-01 休 元旦` / `2027-02-07 班 春节`.
 */
export function parseDays(text: string, year: number): Parsed {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, error: '请填写节假日安排' };
  const days: CalendarDay[] = [];
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (e) {
      return { ok: false, error: `JSON 格式错误：${e instanceof Error ? e.message : String(e)}` };
    }
    const list = Array.isArray(data) ? data : (data as { days?: unknown }).days;
    if (!Array.isArray(list)) return { ok: false, error: 'JSON 须为数组，或包含 days 数组的对象' };
    for (const [i, raw] of list.entries()) {
      const day = toDay(raw, `第 ${i + 1} 项`);
      if (typeof day === 'string') return { ok: false, error: day };
      days.push(day);
    }
  } else {
    for (const [i, line] of trimmed.split(/\r?\n/).entries()) {
      if (!line.trim()) continue;
      const m = /^\s*(\d{4}-\d{2}-\d{2})[\s,，]+(休|班|off|work)[\s,，]+(.+?)\s*$/i.exec(line);
      if (!m) return { ok: false, error: `第 ${i + 1} 行格式应为“2027-01-01 休 元旦”` };
      const kind = m[2]!.toLowerCase();
      days.push({ date: m[1]!, isOffDay: kind === '休' || kind === 'off', name: m[3]! });
    }
  }
  const seen = new Set<string>();
  for (const d of days) {
    if (!d.date.startsWith(`${year}-`)) return { ok: false, error: `${d.date} 不属于 ${year} 年` };
    if (seen.has(d.date)) return { ok: false, error: `${d.date} 重复` };
    seen.add(d.date);
  }
  days.sort((a, b) => a.date.localeCompare(b.date));
  return { ok: true, days };
}

export function PublishForm({ year }: { year: number }) {
  const [source, setSource] = useState('');
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const parsed = useMemo(() => parseDays(text, year), [text, year]);

  const publish = useMutation({
    mutationFn: (days: CalendarDay[]) => calendarApi.publish(year, { source: source.trim(), days }),
    onSuccess: () => {
      message.success(`${year} 年度节假日安排已发布`);
      void queryClient.invalidateQueries({ queryKey: calendarKeys.all });
    },
  });

  const submit = () => {
    setTouched(true);
    if (!source.trim() || !parsed.ok) return;
    publish.mutate(parsed.days);
  };

  return (
    <Card size="small" title={`发布 ${year} 年度节假日安排`}>
      <Form layout="vertical" onFinish={submit}>
        <Form.Item
          label="依据（国务院办公厅通知）"
          required
          validateStatus={touched && !source.trim() ? 'error' : undefined}
          help={touched && !source.trim() ? '请填写通知文号或名称' : undefined}
        >
          <Input
            value={source}
            onChange={(e) => setSource(e.target.value)}
            placeholder={`如：国务院办公厅关于${year}年部分节假日安排的通知`}
            maxLength={200}
          />
        </Form.Item>
        <Form.Item
          label="放假与调休日期"
          required
          extra={
            <Typography.Text type="secondary">
              每行一天：<code>{year}-01-01 休 元旦</code>、<code>{year}-02-07 班 春节</code>；也可粘贴 JSON 数组（date / isOffDay / name）。
            </Typography.Text>
          }
        >
          <Input.TextArea
            aria-label="放假与调休日期"
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoSize={{ minRows: 8, maxRows: 20 }}
            spellCheck={false}
            style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }}
          />
        </Form.Item>
        {text.trim() && !parsed.ok && <Alert type="error" showIcon title={parsed.error} style={{ marginBottom: 16 }} />}
        {parsed.ok && (
          <Table<CalendarDay>
            rowKey="date"
            size="small"
            style={{ marginBottom: 16 }}
            pagination={false}
            scroll={{ y: 240 }}
            dataSource={parsed.days}
            title={() => `共 ${parsed.days.length} 天（休 ${parsed.days.filter((d) => d.isOffDay).length}，班 ${parsed.days.filter((d) => !d.isOffDay).length}）`}
            columns={[
              { title: '日期', dataIndex: 'date' },
              { title: '类型', dataIndex: 'isOffDay', render: (off: boolean) => (off ? <Tag color="red">休</Tag> : <Tag color="blue">班</Tag>) },
              { title: '名称', dataIndex: 'name' },
            ]}
          />
        )}
        <Space orientation="vertical" style={{ width: '100%' }}>
          {publish.isError && <ErrorAlert error={publish.error} title="发布失败" />}
          <Button type="primary" htmlType="submit" loading={publish.isPending} disabled={!parsed.ok}>
            发布
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
