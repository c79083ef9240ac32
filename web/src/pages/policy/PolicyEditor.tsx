import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Input, InputNumber, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { policyApi } from '../../api/endpoints';
import type { PolicyDocument, PolicyResponse, PolicyTier } from '../../api/endpoints';
import { ErrorAlert } from '../../components/ErrorView';
import { fenToYuanString, formatFen, parseYuanToFen } from '../../utils/money';
import { policyKeys } from './queries';

interface TierRow {
  stars: number;
  quota: number;
  amountYuan: string;
  enhancementMin: number;
}

interface EditorValues {
  tiers: TierRow[];
  rest: string;
}

function splitDocument(doc: PolicyDocument): EditorValues {
  const { tiers, ...rest } = doc;
  return {
    tiers: tiers.map((t) => ({
      stars: t.stars,
      quota: t.quota,
      amountYuan: fenToYuanString(t.amountFen),
      enhancementMin: t.enhancementMin,
    })),
    rest: JSON.stringify(rest, null, 2),
  };
}

type Assembled = { ok: true; document: PolicyDocument } | { ok: false; error: string };

function assemble(values: EditorValues): Assembled {
  let rest: unknown;
  try {
    rest = JSON.parse(values.rest);
  } catch (e) {
    return { ok: false, error: `其他字段不是有效的 JSON：${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof rest !== 'object' || rest === null || Array.isArray(rest)) {
    return { ok: false, error: '其他字段须为 JSON 对象' };
  }
  const tiers: PolicyTier[] = [];
  for (const row of values.tiers) {
    const amountFen = parseYuanToFen(row.amountYuan);
    if (amountFen === null) return { ok: false, error: `${row.stars}星奖补金额无效` };
    tiers.push({ stars: row.stars, quota: row.quota, amountFen, enhancementMin: row.enhancementMin });
  }
  return { ok: true, document: { ...(rest as Omit<PolicyDocument, 'tiers'>), tiers } };
}

const intRule = (label: string, min = 0) => ({ required: true, type: 'integer' as const, min, message: `${label}须为不小于${min}的整数` });

export function PolicyEditor({ policy }: { policy: PolicyResponse }) {
  const [form] = Form.useForm<EditorValues>();
  const [localError, setLocalError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const initial = splitDocument(policy.document);

  const save = useMutation({
    mutationFn: (document: PolicyDocument) => policyApi.put(policy.year, document),
    onSuccess: (saved) => {
      queryClient.setQueryData(policyKeys.year(saved.year), saved);
      void queryClient.invalidateQueries({ queryKey: policyKeys.years() });
      message.success(`${saved.year} 年度政策已保存`);
    },
  });

  const onFinish = (values: EditorValues) => {
    setLocalError(null);
    save.reset();
    const result = assemble(values);
    if (!result.ok) {
      setLocalError(result.error);
      return;
    }
    save.mutate(result.document);
  };

  return (
    <Form<EditorValues> form={form} layout="vertical" initialValues={initial} onFinish={onFinish}>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="保存后立即对该年度生效，服务器会逐项校验；金额按元填写，最多两位小数。"
      />
      <Card title="星级名额与奖补金额" size="small" style={{ marginBottom: 16 }}>
        <Form.List name="tiers">
          {(fields, { add, remove }) => (
            <>
              {fields.map(({ key, name }) => (
                <Flex key={key} gap={12} wrap align="flex-start">
                  <Form.Item label="星级" name={[name, 'stars']} rules={[intRule('星级', 1)]}>
                    <InputNumber min={1} max={5} precision={0} style={{ width: 90 }} suffix="星" />
                  </Form.Item>
                  <Form.Item label="名额" name={[name, 'quota']} rules={[intRule('名额')]}>
                    <InputNumber min={0} precision={0} style={{ width: 110 }} suffix="个" />
                  </Form.Item>
                  <Form.Item
                    label="奖补金额（元）"
                    name={[name, 'amountYuan']}
                    rules={[
                      {
                        validator: (_, v: string | undefined) =>
                          v !== undefined && parseYuanToFen(v) !== null
                            ? Promise.resolve()
                            : Promise.reject(new Error('请输入金额，最多两位小数')),
                      },
                    ]}
                    extra={<AmountPreview name={name} />}
                  >
                    <Input style={{ width: 180 }} prefix="¥" inputMode="decimal" />
                  </Form.Item>
                  <Form.Item label="提升类最低数" name={[name, 'enhancementMin']} rules={[intRule('提升类最低数')]}>
                    <InputNumber min={0} precision={0} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item label=" ">
                    <Button type="text" danger icon={<MinusCircleOutlined />} onClick={() => remove(name)} aria-label="删除此星级" />
                  </Form.Item>
                </Flex>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ stars: 1, quota: 0, amountYuan: '0.00', enhancementMin: 0 })}
              >
                添加星级
              </Button>
            </>
          )}
        </Form.List>
      </Card>

      <Card title="其他字段（JSON）" size="small" style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          除星级名额与金额外的全部政策字段。金额字段（如 smallPurchaseThresholdFen）以“分”为单位的整数填写。
        </Typography.Paragraph>
        <Form.Item name="rest" rules={[{ required: true, message: '请填写政策内容' }]} style={{ marginBottom: 0 }}>
          <Input.TextArea
            aria-label="政策 JSON"
            autoSize={{ minRows: 12, maxRows: 32 }}
            spellCheck={false}
            style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 }}
          />
        </Form.Item>
      </Card>

      <Space orientation="vertical" style={{ width: '100%' }}>
        {localError && <Alert type="error" showIcon title={localError} />}
        {save.isError && <ErrorAlert error={save.error} title="保存失败" />}
        <Space>
          <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending}>
            保存
          </Button>
          <Button
            onClick={() => {
              form.setFieldsValue(initial);
              setLocalError(null);
              save.reset();
            }}
          >
            还原
          </Button>
        </Space>
      </Space>
    </Form>
  );
}

function AmountPreview({ name }: { name: number }) {
  const value = Form.useWatch(['tiers', name, 'amountYuan']) as string | undefined;
  const fen = value === undefined ? null : parseYuanToFen(value);
  return <span>{fen === null ? '—' : formatFen(fen)}</span>;
}
