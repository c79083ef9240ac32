import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Modal, Space, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { labelOf, ROLE_LABELS } from '../../api/labels';
import { ErrorAlert } from '../../components/ErrorView';
import { encodingText } from '../../utils/file-upload';
import {
  accountKeys,
  accountsApi,
  csvCell,
  downloadText,
  importRowsOf,
  readUploadBytes,
  templateUrl,
  type ImportBody,
  type ImportReport,
  type ImportRow,
} from './api';

type Upload = Pick<ImportBody, 'format' | 'content' | 'contentEncoding'> & { name: string };

/**
 * 批量导入: download the template, choose a file (sent as its bytes: CSV in UTF-8 or GBK, or .xlsx),
 * preview every row with its problems and the detected encoding, then 确认导入 — all or nothing — and
 * hand out the created accounts' one-time passwords (shown once; downloadable as CSV).
 */
export function ImportAccountsModal({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [upload, setUpload] = useState<Upload | null>(null);
  const preview = useMutation({
    mutationFn: (u: Upload) =>
      accountsApi.importFile({ format: u.format, content: u.content, contentEncoding: u.contentEncoding, dryRun: true }),
  });
  const commit = useMutation({
    mutationFn: (u: Upload) => accountsApi.importFile({ format: u.format, content: u.content, contentEncoding: u.contentEncoding }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: accountKeys.all }),
  });
  const done = commit.data;
  const refused = importRowsOf(commit.error);
  const report: ImportReport | undefined = preview.data;
  const rows = refused ?? report?.rows ?? [];
  const bad = rows.filter((r) => !r.ok);

  const choose = async (file: File) => {
    const bytes = await readUploadBytes(file);
    const u = { ...bytes, name: file.name };
    setUpload(u);
    commit.reset();
    preview.mutate(u);
  };

  return (
    <Modal
      open
      width={960}
      title="批量导入账号"
      onCancel={onClose}
      maskClosable={false}
      footer={done ? <Button onClick={onClose}>关闭</Button> : <Button onClick={onClose}>取消</Button>}
    >
      {done ? (
        <CreatedAccounts rows={done.rows} />
      ) : (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <ChooseFile name={upload?.name} encoding={report?.encoding} loading={preview.isPending} onChoose={(file) => void choose(file)} />
          <Typography.Text type="secondary">
            列：用户名、姓名/名称、角色（中文名称或代码）、区划代码、手机。CSV 可为 UTF-8 或 GBK（Excel 另存的
            CSV）。任何一行有问题，整份文件都不会导入。
          </Typography.Text>
          {preview.isError && <ErrorAlert error={preview.error} title="无法读取文件" />}
          {commit.isError && !refused && <ErrorAlert error={commit.error} title="导入失败" />}
          {report &&
            (bad.length === 0 ? (
              <Alert
                type="success"
                showIcon
                title={`共 ${rows.length} 行，全部通过校验`}
                action={
                  <Button type="primary" loading={commit.isPending} disabled={!upload} onClick={() => upload && commit.mutate(upload)}>
                    确认导入
                  </Button>
                }
              />
            ) : (
              <Alert
                type="warning"
                showIcon
                title={`共 ${rows.length} 行，其中 ${bad.length} 行有问题，请修改文件后重新上传；未创建任何账号`}
              />
            ))}
          {rows.length > 0 && <RowsTable rows={bad.length ? bad : rows} />}
        </Space>
      )}
    </Modal>
  );
}

/** The templates, the file chooser, and once read the file's name and detected encoding. */
function ChooseFile({
  name,
  encoding,
  loading,
  onChoose,
}: {
  name: string | undefined;
  encoding: string | undefined;
  loading: boolean;
  onChoose: (file: File) => void;
}) {
  return (
    <Space wrap>
      <Button icon={<DownloadOutlined />} href={templateUrl('xlsx')}>
        下载模板（Excel）
      </Button>
      <Button icon={<DownloadOutlined />} href={templateUrl('csv')}>
        下载模板（CSV）
      </Button>
      <Upload
        accept=".xlsx,.csv"
        showUploadList={false}
        beforeUpload={(file) => {
          onChoose(file);
          return false;
        }}
      >
        <Button type="primary" icon={<UploadOutlined />} loading={loading}>
          选择文件（.xlsx / .csv）
        </Button>
      </Upload>
      {name && <Typography.Text>{name}</Typography.Text>}
      {encoding && <Tag color="blue">{encodingText(encoding)}</Tag>}
    </Space>
  );
}

function RowsTable({ rows }: { rows: ImportRow[] }) {
  return (
    <Table<ImportRow>
      rowKey="row"
      size="small"
      dataSource={rows}
      pagination={{ pageSize: 10, showSizeChanger: false }}
      columns={[
        { title: '行号', dataIndex: 'row', width: 70 },
        { title: '用户名', dataIndex: 'username', width: 180 },
        { title: '姓名 / 名称', dataIndex: 'displayName' },
        { title: '角色', dataIndex: 'role', width: 150, render: (r: string | null) => (r ? labelOf(ROLE_LABELS, r) : '—') },
        { title: '区划代码', dataIndex: 'regionCode', width: 140 },
        {
          title: '校验',
          key: 'errors',
          render: (_, r) =>
            r.ok ? (
              <Tag color="success">通过</Tag>
            ) : (
              <Space orientation="vertical" size={2}>
                {r.errors.map((e, i) => (
                  <Typography.Text key={i} type="danger">
                    {e.zh}
                  </Typography.Text>
                ))}
              </Space>
            ),
        },
      ]}
    />
  );
}

/** The accounts an import created, each with its one-time password, and a CSV of them to hand out. */
function CreatedAccounts({ rows }: { rows: ImportRow[] }) {
  const created = rows.filter((r) => r.oneTimePassword);
  const download = () =>
    downloadText(
      '账号与一次性密码.csv',
      [['用户名', '姓名/名称', '角色', '区划代码', '一次性密码'].join(',')]
        .concat(
          created.map((r) =>
            [r.username, r.displayName, r.role ? labelOf(ROLE_LABELS, r.role) : '', r.regionCode, r.oneTimePassword].map(csvCell).join(','),
          ),
        )
        .join('\r\n'),
    );
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Alert
        type="success"
        showIcon
        title={`已创建 ${created.length} 个账号`}
        description="一次性密码只显示这一次，请下载后通过安全渠道分发；各账号首次登录时必须修改密码。"
        action={
          <Button type="primary" icon={<DownloadOutlined />} onClick={download}>
            下载账号与一次性密码（CSV）
          </Button>
        }
      />
      <Table<ImportRow>
        rowKey="row"
        size="small"
        dataSource={created}
        pagination={{ pageSize: 10, showSizeChanger: false }}
        columns={[
          { title: '用户名', dataIndex: 'username', width: 200 },
          { title: '姓名 / 名称', dataIndex: 'displayName' },
          { title: '角色', dataIndex: 'role', width: 150, render: (r: string | null) => (r ? labelOf(ROLE_LABELS, r) : '—') },
          { title: '区划代码', dataIndex: 'regionCode', width: 140 },
          {
            title: '一次性密码',
            dataIndex: 'oneTimePassword',
            render: (p: string) => (
              <Typography.Text code copyable>
                {p}
              </Typography.Text>
            ),
          },
        ]}
      />
    </Space>
  );
}
