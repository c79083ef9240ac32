import { useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { isApiError } from '../../api/client';
import { calendarApi } from '../../api/endpoints';
import type { CalendarDay, CalendarPublishRequest, CalendarPublishResponse } from '../../api/endpoints';
import { ErrorAlert } from '../../components/ErrorView';
import { MovedDueDatesTable } from './MovedDueDatesTable';
import { calendarKeys } from './queries';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The server refuses a notice that makes a statutory holiday a working day (《全国年节及纪念日放假办法》). */
const STATUTORY_CONFLICT = 'CALENDAR_CONTRADICTS_STATUTORY_HOLIDAY';

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
      if (!m) return { ok: false, error: `第 ${i + 1} 行格式应为“${year}-01-01 休 元旦”` };
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

/**
 * Entering a year's State Council holiday notice. 发布 first asks the server for a preview — the
 * open due dates computed provisionally through the year that would move, or why the notice is
 * refused (a statutory holiday made a working day) — and publishes only once that is confirmed.
 */
export function PublishForm({ year, onPublished }: { year: number; onPublished?: (result: CalendarPublishResponse) => void }) {
  const [source, setSource] = useState('');
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const [confirming, setConfirming] = useState<CalendarPublishRequest | null>(null);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const parsed = useMemo(() => parseDays(text, year), [text, year]);

  const preview = useMutation({ mutationFn: (body: CalendarPublishRequest) => calendarApi.preview(year, body) });
  const publish = useMutation({
    mutationFn: (body: CalendarPublishRequest) => calendarApi.publish(year, body),
    onSuccess: (result) => {
      const moved = result.dueDates.filter((d) => d.moved).length;
      message.success(`${year} 年度节假日安排已发布，${moved} 个期限已调整`);
      setConfirming(null);
      onPublished?.(result);
      void queryClient.invalidateQueries({ queryKey: calendarKeys.all });
      for (const key of ['todo', 'messages', 'plans', 'plan', 'decisions', 'decision', 'findings', 'spot-check']) {
        void queryClient.invalidateQueries({ queryKey: [key] });
      }
    },
  });

  const submit = () => {
    setTouched(true);
    if (!source.trim() || !parsed.ok) return;
    const body = { source: source.trim(), days: parsed.days };
    publish.reset();
    preview.mutate(body);
    setConfirming(body);
  };
  const close = () => {
    setConfirming(null);
    preview.reset();
    publish.reset();
  };

  const moving = preview.data?.dueDates ?? [];
  const movedCount = moving.filter((d) => d.moved).length;

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
            title={() =>
              `共 ${parsed.days.length} 天（休 ${parsed.days.filter((d) => d.isOffDay).length}，班 ${parsed.days.filter((d) => !d.isOffDay).length}）`
            }
            columns={[
              { title: '日期', dataIndex: 'date' },
              {
                title: '类型',
                dataIndex: 'isOffDay',
                render: (off: boolean) => (off ? <Tag color="red">休</Tag> : <Tag color="blue">班</Tag>),
              },
              { title: '名称', dataIndex: 'name' },
            ]}
          />
        )}
        <Button type="primary" htmlType="submit" loading={preview.isPending} disabled={!parsed.ok}>
          发布
        </Button>
      </Form>

      <Modal
        open={confirming !== null}
        width={860}
        title={`确认发布 ${year} 年度节假日安排`}
        onCancel={close}
        okText="确认发布"
        cancelText="取消"
        onOk={() => confirming && publish.mutate(confirming)}
        okButtonProps={{ disabled: !preview.isSuccess, loading: publish.isPending }}
        destroyOnHidden
      >
        <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="publish-preview">
          {preview.isPending && <Typography.Text type="secondary">正在核对法定节假日并计算受影响的期限…</Typography.Text>}
          {preview.isError && (
            <ErrorAlert
              error={preview.error}
              title={isApiError(preview.error) && preview.error.code === STATUTORY_CONFLICT ? '与法定节假日冲突，不能发布' : '不能发布'}
            />
          )}
          {preview.isSuccess && (
            <>
              <Typography.Text>
                依据：{confirming?.source}；录入后本年度共 {preview.data.days.length} 个放假或调休日（含法定节假日）。
                {moving.length === 0
                  ? '没有按暂定日历计算的未结期限需要调整。'
                  : `按暂定日历计算的未结期限 ${moving.length} 个，其中 ${movedCount} 个将调整（调整的期限记入审计并通知相关单位）：`}
              </Typography.Text>
              {moving.length > 0 && <MovedDueDatesTable items={moving} />}
            </>
          )}
          {publish.isError && <ErrorAlert error={publish.error} title="发布失败" />}
        </Space>
      </Modal>
    </Card>
  );
}
