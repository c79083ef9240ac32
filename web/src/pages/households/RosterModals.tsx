import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Segmented, Space, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { ROSTER_BODY_LABELS, labelOf, labelOptions } from '../../api/labels';
import { encodingText } from '../../utils/file-upload';
import {
  householdsApi,
  importErrorsOf,
  readImportFile,
  rosterTemplateUrl,
  type RosterImport,
  type RosterTerm,
  type Upload as UploadBody,
} from './api';

/** The roster page's modals: add a member, end a term, replace a member, import a roster file (each states its consequence). */

type Body = RosterTerm['body'];
const fmt = (d: dayjs.Dayjs) => d.format('YYYY-MM-DD');

function useRosterMutation<T>(fn: (v: T) => Promise<unknown>, done: string, onClose: () => void) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['households'] });
      void message.success(done);
      onClose();
    },
  });
}

export function AddModal({ code, onClose }: { code: string; onClose: () => void }) {
  const [form] = Form.useForm<{ body: Body; personName: string; householdNo?: string; fromDate: dayjs.Dayjs }>();
  const m = useRosterMutation(
    async (v: { body: Body; personName: string; householdNo?: string; fromDate: dayjs.Dayjs }) => {
      let householdId: number | undefined;
      if (v.householdNo?.trim()) {
        const found = (await householdsApi.list(code, { q: v.householdNo.trim(), offset: 0 })).items.find(
          (h) => h.householdNo === v.householdNo!.trim(),
        );
        if (!found) throw new Error(`本社区没有户号 ${v.householdNo}`);
        householdId = found.id;
      }
      return householdsApi.addTerm(code, { body: v.body, personName: v.personName, fromDate: fmt(v.fromDate), householdId });
    },
    '已增加，任期自起始日起计入名册',
    onClose,
  );
  return (
    <Modal
      open
      title="增加居民代表或议事会成员"
      okText="增加"
      onOk={() => void form.validateFields().then((v) => m.mutate(v))}
      confirmLoading={m.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ body: 'representative' }}>
        <Form.Item name="body" label="类别" rules={[{ required: true }]}>
          <Segmented options={labelOptions(ROSTER_BODY_LABELS)} />
        </Form.Item>
        <Form.Item name="personName" label="姓名" rules={[{ required: true, max: 30 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="householdNo" label="户号（可选，关联住户后可在线提出异议）">
          <Input placeholder="如 01-1-101" />
        </Form.Item>
        <Form.Item name="fromDate" label="任期起始日" rules={[{ required: true, message: '请选择起始日' }]}>
          <DatePicker />
        </Form.Item>
        {m.isError && <Alert type="error" showIcon message={errorMessage(m.error)} />}
      </Form>
    </Modal>
  );
}

export function EndModal({ term, onClose }: { term: RosterTerm; onClose: () => void }) {
  const [form] = Form.useForm<{ toDate: dayjs.Dayjs; reason: string }>();
  const toDate = Form.useWatch('toDate', form);
  const m = useRosterMutation(
    (v: { toDate: dayjs.Dayjs; reason: string }) => householdsApi.endTerm(term.id, { toDate: fmt(v.toDate), reason: v.reason }),
    '任期已结束',
    onClose,
  );
  return (
    <Modal
      open
      title={`结束任期：${term.personName}（${labelOf(ROSTER_BODY_LABELS, term.body)}）`}
      okText="确认结束"
      okButtonProps={{ danger: true }}
      onOk={() => void form.validateFields().then((v) => m.mutate(v))}
      confirmLoading={m.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="toDate" label="任期最后一日（含）" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker disabledDate={(d) => d.isBefore(dayjs(term.fromDate), 'day')} />
        </Form.Item>
        <Form.Item name="reason" label="离任原因" rules={[{ required: true, max: 200 }]}>
          <Input placeholder="如：迁出本社区、辞任" />
        </Form.Item>
        <Alert
          type="warning"
          showIcon
          message={`确认后，${term.personName} 自 ${toDate ? fmt(toDate.add(1, 'day')) : '所选日期次日'} 起不再计入名册：此后召开的会议不计其应到，此后公示的异议门槛不计其人数，公示期与其任期不相交的异议不予受理。任期结束后不能撤销，只能另行增加新任期。`}
        />
        {m.isError && <Alert type="error" showIcon style={{ marginTop: 12 }} message={errorMessage(m.error)} />}
      </Form>
    </Modal>
  );
}

export function ReplaceModal({ term, onClose }: { term: RosterTerm; onClose: () => void }) {
  const [form] = Form.useForm<{ endsOn: dayjs.Dayjs; reason: string; personName: string }>();
  const endsOn = Form.useWatch('endsOn', form);
  const successor = Form.useWatch('personName', form);
  const m = useRosterMutation(
    (v: { endsOn: dayjs.Dayjs; reason: string; personName: string }) =>
      householdsApi.replaceTerm(term.id, { endsOn: fmt(v.endsOn), reason: v.reason, personName: v.personName }),
    '已更替',
    onClose,
  );
  return (
    <Modal
      open
      title={`更替：${term.personName}（${labelOf(ROSTER_BODY_LABELS, term.body)}）`}
      okText="确认更替"
      okButtonProps={{ danger: true }}
      onOk={() => void form.validateFields().then((v) => m.mutate(v))}
      confirmLoading={m.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="endsOn" label="原任者任期最后一日（含）" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker disabledDate={(d) => d.isBefore(dayjs(term.fromDate), 'day')} />
        </Form.Item>
        <Form.Item name="reason" label="更替原因" rules={[{ required: true, max: 200 }]}>
          <Input placeholder="如：迁出本社区，经居民会议补选" />
        </Form.Item>
        <Form.Item name="personName" label="继任者姓名" rules={[{ required: true, max: 30 }]}>
          <Input />
        </Form.Item>
        <Alert
          type="warning"
          showIcon
          message={`确认后，${term.personName} 的任期于 ${endsOn ? fmt(endsOn) : '所选日期'} 结束，${successor || '继任者'} 自 ${endsOn ? fmt(endsOn.add(1, 'day')) : '次日'} 起任职（同时生效，不能撤销）。`}
        />
        {m.isError && <Alert type="error" showIcon style={{ marginTop: 12 }} message={errorMessage(m.error)} />}
      </Form>
    </Modal>
  );
}

export function ImportModal({ code, onClose }: { code: string; onClose: () => void }) {
  const [upload, setUpload] = useState<UploadBody | null>(null);
  const [preview, setPreview] = useState<RosterImport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pick = async (file: File) => {
    setError(null);
    setPreview(null);
    try {
      const body = await readImportFile(file);
      setUpload(body);
      setPreview(await householdsApi.importRoster(code, { ...body, dryRun: true }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const m = useRosterMutation(
    () => householdsApi.importRoster(code, { ...upload!, dryRun: false }),
    `已导入 ${preview?.created ?? 0} 条任期`,
    onClose,
  );
  const problems = preview?.errors ?? importErrorsOf(m.error) ?? [];
  return (
    <Modal
      open
      width={760}
      title="导入名册任期"
      okText={preview ? `确认导入 ${preview.created} 条` : '导入'}
      okButtonProps={{ disabled: !preview || problems.length > 0 }}
      onOk={() => m.mutate(undefined)}
      confirmLoading={m.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          列：类别（居民代表 / 议事会成员）、姓名、户号（可空）、起始日期、截止日期（在任者留空）。CSV 可为 UTF-8 或 GBK
          编码，自动识别；任何一行有问题则整份文件不导入。
        </Typography.Text>
        <Space>
          <Button icon={<DownloadOutlined />} href={rosterTemplateUrl('xlsx')}>
            下载模板
          </Button>
          <Button href={rosterTemplateUrl('csv')}>CSV 模板</Button>
          <Upload accept=".csv,.xlsx" showUploadList={false} beforeUpload={(f) => (void pick(f), false)}>
            <Button type="primary" icon={<UploadOutlined />}>
              选择文件并预览
            </Button>
          </Upload>
        </Space>
        {error && <Alert type="error" showIcon message={error} />}
        {preview && <ImportPreview preview={preview} problems={problems} />}
        {m.isError && !importErrorsOf(m.error) && <Alert type="error" showIcon message={errorMessage(m.error)} />}
      </Space>
    </Modal>
  );
}

function ImportPreview({ preview, problems }: { preview: RosterImport; problems: RosterImport['errors'] }) {
  return (
    <>
      <Alert
        type={problems.length ? 'error' : 'success'}
        showIcon
        message={`${encodingText(preview.encoding)} · 共 ${preview.rows.length} 行可导入${problems.length ? `，${problems.length} 处问题，整份文件不会导入` : ''}`}
        data-testid="roster-import-encoding"
      />
      {problems.length > 0 && (
        <Table
          size="small"
          rowKey={(_, i) => String(i)}
          dataSource={problems}
          pagination={false}
          columns={[
            {
              title: '行号',
              dataIndex: 'row',
              width: 80,
              render: (r: number) => (r === 0 ? '整个文件' : r === 1 ? '表头' : `第 ${r} 行`),
            },
            { title: '列', dataIndex: 'column', width: 100 },
            { title: '问题', dataIndex: 'message' },
          ]}
        />
      )}
      <Table
        size="small"
        rowKey="row"
        dataSource={preview.rows}
        pagination={preview.rows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        columns={[
          { title: '行号', dataIndex: 'row', width: 70 },
          { title: '类别', dataIndex: 'body', width: 100, render: (b: Body) => labelOf(ROSTER_BODY_LABELS, b) },
          { title: '姓名', dataIndex: 'personName' },
          { title: '户号', dataIndex: 'householdNo', render: (v: string | null) => v ?? '—' },
          { title: '起', dataIndex: 'fromDate', width: 110 },
          { title: '止', dataIndex: 'toDate', width: 110, render: (v: string | null) => v ?? '在任' },
        ]}
      />
    </>
  );
}
