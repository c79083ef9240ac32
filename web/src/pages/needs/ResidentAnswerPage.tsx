import { useState } from 'react';
import { useParams } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Input, Progress, Result, Segmented, Space, Spin, Typography } from 'antd';
import { errorMessage } from '../../api/client';
import { PUBLIC_TEXT_SECONDARY, PublicTheme } from '../../components/PublicTheme';
import { needsApi, percent, thresholdPercent, type SubmissionInput, type SubmitResult } from './api';

/**
 * The public, mobile-first page a resident reaches from the poster's QR code: identify the
 * household (户号 + 户主姓名 + 手机后四位, or a one-time code) and answer once. No login.
 */
export default function ResidentAnswerPage() {
  return (
    <PublicTheme>
      <ResidentAnswer />
    </PublicTheme>
  );
}

function ResidentAnswer() {
  const id = Number(useParams().campaignId);
  const campaign = useQuery({
    queryKey: ['public-needs', id],
    queryFn: ({ signal }) => needsApi.publicCampaign(id, signal),
    enabled: Number.isInteger(id) && id > 0,
  });
  const [mode, setMode] = useState<'registry' | 'code'>('registry');
  const [done, setDone] = useState<SubmitResult | null>(null);
  const [form] = Form.useForm();
  const submit = useMutation({
    mutationFn: (body: SubmissionInput) => needsApi.submit(id, body),
    onSuccess: setDone,
    meta: { skipAuthRedirect: true },
  });

  if (campaign.isLoading) return <Spin style={{ display: 'block', margin: '30vh auto' }} />;
  if (campaign.isError || !campaign.data) return <Result status="404" title="问卷不存在" subTitle={errorMessage(campaign.error)} />;
  const c = campaign.data;
  if (done) {
    return (
      <div className="resident-page" style={{ maxWidth: 560, margin: '0 auto', padding: 16 }}>
        <Result
          status="success"
          title={done.replaced ? '已更新您家的意见' : '提交成功，感谢参与！'}
          subTitle={`户号 ${done.householdNo} 的意见已记录。本次征集每户计一次。`}
          data-testid="answer-done"
        />
      </div>
    );
  }

  const onFinish = (values: {
    householdNo?: string;
    headName?: string;
    phoneLast4?: string;
    code?: string;
    choices?: string[];
    freeText?: string;
  }) => {
    const identity =
      mode === 'code'
        ? { code: values.code }
        : { householdNo: values.householdNo?.trim(), headName: values.headName?.trim(), phoneLast4: values.phoneLast4?.trim() };
    submit.mutate({ ...identity, choices: values.choices ?? [], ...(values.freeText?.trim() ? { freeText: values.freeText.trim() } : {}) });
  };

  return (
    <div className="resident-page" style={{ maxWidth: 560, margin: '0 auto', padding: 16 }}>
      <Typography.Text type="secondary">{[c.districtName, c.streetName, c.communityName].filter(Boolean).join(' · ')}</Typography.Text>
      <Typography.Title level={3} style={{ marginTop: 4 }}>
        {c.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        征集时间 {c.opensOn} 至 {c.closesOn}。您的意见将用于确定本社区"以奖代补"服务项目，每户一票
        {c.allowChanges ? '，截止前可修改' : '，提交后不能重复提交'}。
      </Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Typography.Text>
          已有 <b data-testid="public-reached">{c.coverage.reached}</b> 户参与（{percent(c.coverage.basisPoints)}，目标{' '}
          {thresholdPercent(c.coverage.threshold)}）
        </Typography.Text>
        <Progress
          percent={Math.min(100, c.coverage.basisPoints / 100)}
          showInfo={false}
          aria-label={`参与户数占比 ${percent(c.coverage.basisPoints)}`}
        />
      </Card>
      {!c.acceptingOnline ? (
        <Alert type="info" showIcon message="本次征集当前不接受网上提交" description="如有意见请联系社区居委会。" />
      ) : (
        <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false} size="large">
          <Segmented
            block
            value={mode}
            onChange={(v) => setMode(v as 'registry' | 'code')}
            options={[
              { label: '户号登记信息', value: 'registry' },
              { label: '一次性验证码', value: 'code' },
            ]}
            style={{ marginBottom: 16 }}
          />
          {mode === 'registry' ? (
            <>
              <Form.Item name="householdNo" label="户号" rules={[{ required: true, message: '请填写户号' }]}>
                <Input placeholder="如 03-2-501" autoComplete="off" data-testid="answer-household-no" />
              </Form.Item>
              <Form.Item name="headName" label="户主姓名" rules={[{ required: true, message: '请填写户主姓名' }]}>
                <Input autoComplete="off" data-testid="answer-head-name" />
              </Form.Item>
              <Form.Item
                name="phoneLast4"
                label="登记手机号后四位"
                rules={[{ required: true, pattern: /^\d{4}$/, message: '请填写 4 位数字' }]}
              >
                <Input inputMode="numeric" maxLength={4} autoComplete="off" data-testid="answer-phone4" />
              </Form.Item>
            </>
          ) : (
            <Form.Item name="code" label="验证码（社区发放）" rules={[{ required: true, message: '请填写验证码' }]}>
              <Input autoComplete="off" style={{ textTransform: 'uppercase' }} data-testid="answer-code" />
            </Form.Item>
          )}
          <Form.Item name="choices" label={c.questionnaire.prompt ?? '您希望社区开展哪些服务？（可多选）'}>
            <Checkbox.Group style={{ width: '100%' }}>
              <Space direction="vertical" style={{ width: '100%' }}>
                {c.questionnaire.items.map((item) => (
                  <Checkbox key={item.code} value={item.code} data-testid={`answer-choice-${item.code}`}>
                    <b>{item.name}</b>
                    {item.examples.length > 0 && (
                      <div style={{ color: PUBLIC_TEXT_SECONDARY, fontSize: 13 }}>如：{item.examples.slice(0, 3).join('、')}</div>
                    )}
                  </Checkbox>
                ))}
              </Space>
            </Checkbox.Group>
          </Form.Item>
          {c.questionnaire.freeText && (
            <Form.Item name="freeText" label="其他意见和建议">
              <Input.TextArea rows={3} maxLength={500} showCount />
            </Form.Item>
          )}
          {submit.isError && (
            <Alert type="error" showIcon message={errorMessage(submit.error)} style={{ marginBottom: 16 }} data-testid="answer-error" />
          )}
          <Button type="primary" htmlType="submit" block loading={submit.isPending} data-testid="answer-submit">
            提交
          </Button>
        </Form>
      )}
    </div>
  );
}
