import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload as AntUpload,
  message,
} from 'antd';
import { DownloadOutlined, EditOutlined, FileExcelOutlined, UploadOutlined } from '@ant-design/icons';
import { useSession } from '../../auth/session';
import { ErrorAlert, ErrorView } from '../../components/ErrorView';
import { PageTitle } from '../../components/PageTitle';
import { YearSelect } from '../../components/YearSelect';
import { starsText } from '../../utils/format';
import { fundsApi, ratingsExportUrl, templateUrl, type PreviewRow, type RatingItem, type RatingPreview, type Upload } from '../funds/api';
import { encodingText, readFileForUpload } from '../../utils/file-upload';

/** 星级评定: a year's ratings, import with a preview naming every row's problem, and corrections by hand. */
export default function RatingsPage() {
  const { can } = useSession();
  const years = useQuery({ queryKey: ['policy', 'years'], queryFn: ({ signal }) => fundsApi.policyYears(signal) });
  // Rating year Y funds year Y + 1 ([N 1]).
  const ratingYears = (years.data?.items.map((i) => i.year - 1) ?? []).sort((a, b) => b - a);
  const [year, setYear] = useState<number>();
  // An explicit ?year= (e.g. from the year-opening checklist) wins.
  const requested = Number(useSearchParams()[0].get('year'));
  useEffect(() => {
    if (year === undefined && ratingYears.length)
      setYear(ratingYears.includes(requested) ? requested : ratingYears[ratingYears.length - 1]);
  }, [ratingYears, year, requested]);

  return (
    <>
      <PageTitle
        title="星级评定"
        extra={
          <>
            <YearSelect value={year} years={ratingYears} onChange={setYear} loading={years.isPending} />
            <Button icon={<DownloadOutlined />} href={templateUrl('xlsx')}>
              下载模板（Excel）
            </Button>
            <Button href={templateUrl('csv')}>CSV 模板</Button>
            {year !== undefined && (
              <Button icon={<FileExcelOutlined />} href={ratingsExportUrl(year)}>
                导出 Excel
              </Button>
            )}
          </>
        }
      >
        <Typography.Text type="secondary">上一年度星级决定本年度奖补资金（沈民发〔2023〕11号 [N 1]）</Typography.Text>
      </PageTitle>
      {year !== undefined && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {can('ratings:write') && <ImportCard key={`import-${year}`} year={year} />}
          <RatingList year={year} canWrite={can('ratings:write')} />
        </Space>
      )}
    </>
  );
}

function ImportCard({ year }: { year: number }) {
  const queryClient = useQueryClient();
  const [upload, setUpload] = useState<(Upload & { name: string }) | null>(null);
  const preview = useMutation({ mutationFn: (u: Upload) => fundsApi.preview(year, u) });
  const commit = useMutation({
    mutationFn: (p: RatingPreview) =>
      fundsApi.importRatings(year, {
        format: upload!.format,
        content: upload!.content,
        contentEncoding: upload!.contentEncoding,
        previewToken: p.token,
      }),
    onSuccess: (r) => {
      void message.success(`已导入 ${r.imported} 个社区的星级（变更 ${r.changed}，移除 ${r.removed}）`);
      void queryClient.invalidateQueries({ queryKey: ['ratings', year] });
      preview.reset();
      setUpload(null);
    },
  });
  const p = preview.data;
  const bad = p?.rows.filter((r) => r.problems.length > 0) ?? [];

  return (
    <Card title={`导入 ${year} 年度星级评定`} size="small">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <AntUpload
            accept=".xlsx,.csv"
            showUploadList={false}
            beforeUpload={async (file) => {
              const u = await readFileForUpload(file);
              setUpload({ ...u, name: file.name });
              commit.reset();
              preview.mutate(u);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={preview.isPending}>
              选择文件（.xlsx / .csv）
            </Button>
          </AntUpload>
          {upload && <Typography.Text>{upload.name}</Typography.Text>}
          {p && <Tag data-testid="detected-encoding">{encodingText(p.encoding)}</Tag>}
        </Space>
        <Typography.Text type="secondary">导入将替换该年度全部星级；任何一行有问题，整份文件都不会导入。</Typography.Text>
        {preview.isError && <ErrorAlert error={preview.error} title="无法读取文件" />}
        {commit.isError && <ErrorAlert error={commit.error} title="导入失败" />}
        {p && (
          <>
            <Descriptions size="small" column={3} bordered>
              {p.levels.map((l) => (
                <Descriptions.Item key={l.stars} label={`${l.stars}星（名额 ${l.quota}）`}>
                  <Typography.Text type={l.count > l.quota ? 'danger' : undefined}>{l.count} 个</Typography.Text>
                </Descriptions.Item>
              ))}
            </Descriptions>
            {p.fileProblems.map((f, i) => (
              <Alert key={i} type="error" showIcon title={f.message} description={f.clause ? `依据：${f.clause}` : undefined} />
            ))}
            {p.ok ? (
              <Alert
                type="success"
                showIcon
                title={`共 ${p.rows.length} 行，全部通过校验`}
                action={
                  <Button type="primary" loading={commit.isPending} onClick={() => commit.mutate(p)}>
                    确认导入
                  </Button>
                }
              />
            ) : (
              <Alert type="warning" showIcon title={`共 ${p.rows.length} 行，其中 ${bad.length} 行有问题，请修改文件后重新上传`} />
            )}
            <PreviewTable rows={p.ok ? p.rows : bad} />
          </>
        )}
      </Space>
    </Card>
  );
}

function PreviewTable({ rows }: { rows: PreviewRow[] }) {
  return (
    <Table<PreviewRow>
      rowKey="line"
      size="small"
      dataSource={rows}
      pagination={{ pageSize: 20, showSizeChanger: false }}
      columns={[
        { title: '行号', dataIndex: 'line', width: 70 },
        { title: '社区代码', key: 'code', width: 140, render: (_, r) => r.communityCode ?? r.input.code ?? '—' },
        { title: '社区', key: 'name', render: (_, r) => r.communityName ?? r.input.name },
        { title: '街道', dataIndex: 'streetName', render: (v: string | null) => v ?? '—' },
        { title: '区县', key: 'district', render: (_, r) => r.districtName ?? r.input.district },
        { title: '星级', key: 'stars', width: 100, render: (_, r) => (r.stars ? starsText(r.stars) : r.input.level || '—') },
        {
          title: '问题',
          key: 'problems',
          render: (_, r) =>
            r.problems.length === 0 ? (
              <Tag color="success">通过</Tag>
            ) : (
              <Space orientation="vertical" size={2}>
                {r.problems.map((x, i) => (
                  <Typography.Text key={i} type="danger">
                    {x.message}
                  </Typography.Text>
                ))}
              </Space>
            ),
        },
      ]}
    />
  );
}

function RatingList({ year, canWrite }: { year: number; canWrite: boolean }) {
  const [stars, setStars] = useState<number>();
  const [editing, setEditing] = useState<RatingItem | null>(null);
  const list = useQuery({ queryKey: ['ratings', year], queryFn: ({ signal }) => fundsApi.ratings(year, signal) });
  if (list.isError) return <ErrorView error={list.error} onRetry={() => void list.refetch()} />;
  const items = (list.data?.items ?? []).filter((i) => stars === undefined || i.stars === stars);
  return (
    <Card
      size="small"
      title={`${year} 年度星级（${list.data?.items.length ?? 0} 个社区）`}
      extra={
        <Select<number>
          allowClear
          placeholder="全部星级"
          style={{ width: 120 }}
          value={stars}
          onChange={setStars}
          options={(list.data?.levels ?? []).map((l) => ({ value: l.stars, label: `${l.stars}星` }))}
        />
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        {(list.data?.levels ?? []).map((l) => (
          <Tag key={l.stars} color={l.count > l.quota ? 'red' : 'blue'}>
            {l.stars}星 {l.count} / 名额 {l.quota}
          </Tag>
        ))}
      </Space>
      <Table<RatingItem>
        rowKey="communityCode"
        size="small"
        loading={list.isPending}
        dataSource={items}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        locale={{ emptyText: '该年度尚无星级评定' }}
        columns={[
          { title: '社区代码', dataIndex: 'communityCode', width: 140 },
          { title: '社区', dataIndex: 'communityName' },
          { title: '街道（乡镇）', dataIndex: 'streetName' },
          { title: '区县', dataIndex: 'districtName', width: 120 },
          { title: '星级', dataIndex: 'stars', width: 110, render: (s: number) => starsText(s) },
          ...(canWrite
            ? [
                {
                  title: '操作',
                  key: 'op',
                  width: 90,
                  render: (_: unknown, r: RatingItem) => (
                    <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)}>
                      更正
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <EditRatingModal year={year} item={editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}

function EditRatingModal({ year, item, onClose }: { year: number; item: RatingItem; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ stars: number | null; reason: string }>();
  const save = useMutation({
    mutationFn: (v: { stars: number | null; reason: string }) => fundsApi.setRating(year, item.communityCode, v.stars, v.reason),
    onSuccess: () => {
      void message.success('已更正');
      void queryClient.invalidateQueries({ queryKey: ['ratings', year] });
      onClose();
    },
  });
  return (
    <Modal
      open
      title={`更正星级：${item.communityName}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okText="保存"
    >
      {save.isError && <ErrorAlert error={save.error} title="未能保存" />}
      <Form form={form} layout="vertical" initialValues={{ stars: item.stars, reason: '' }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="stars" label="星级">
          <Select
            options={[5, 4, 3]
              .map((s) => ({ value: s, label: `${s}星` }))
              .concat([{ value: null as unknown as number, label: '撤销评定' }])}
          />
        </Form.Item>
        <Form.Item name="reason" label="更正原因（记入审计日志）" rules={[{ required: true, min: 2, message: '请填写更正原因' }]}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
