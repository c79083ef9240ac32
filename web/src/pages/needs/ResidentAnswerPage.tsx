import { useRef, useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../api/client';
import { Loading, PortalShell } from '../portal/portal.shared';
import { TextField } from '../portal/PortalField';
import { needsApi, percent, thresholdPercent, type SubmissionInput, type SubmitResult } from './api';

/**
 * The public, mobile-first page a resident reaches from the poster's QR code: identify the
 * household (户号 + 户主姓名 + 手机后四位, or a one-time code) and answer once. No login.
 * Plain markup and CSS like the portal (no Ant Design): it loads on a phone in under 200 KB of
 * JavaScript (issue 19); large-text mode, labels, and errors tied to their fields come from the portal.
 */
const TITLE = '居民需求征集';

type Field = 'householdNo' | 'headName' | 'phoneLast4' | 'code';
type Errors = Partial<Record<Field, string>>;

export default function ResidentAnswerPage() {
  const id = Number(useParams().campaignId);
  const campaign = useQuery({
    queryKey: ['public-needs', id],
    queryFn: ({ signal }) => needsApi.publicCampaign(id, signal),
    enabled: Number.isInteger(id) && id > 0,
  });
  const [mode, setMode] = useState<'registry' | 'code'>('registry');
  const [done, setDone] = useState<SubmitResult | null>(null);
  const [values, setValues] = useState<Record<Field, string>>({ householdNo: '', headName: '', phoneLast4: '', code: '' });
  const [choices, setChoices] = useState<string[]>([]);
  const [freeText, setFreeText] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const formRef = useRef<HTMLFormElement>(null);
  const submit = useMutation({
    mutationFn: (body: SubmissionInput) => needsApi.submit(id, body),
    onSuccess: setDone,
    meta: { skipAuthRedirect: true },
  });

  if (campaign.isLoading) return <Loading title={TITLE} />;
  if (campaign.isError || !campaign.data) {
    return (
      <PortalShell title={TITLE}>
        <h1>问卷不存在</h1>
        <p role="alert">{errorMessage(campaign.error)}</p>
      </PortalShell>
    );
  }
  const c = campaign.data;
  if (done) {
    return (
      <PortalShell title={TITLE}>
        <div className="portal-alert success" role="status" data-testid="answer-done">
          <h1>{done.replaced ? '已更新您家的意见' : '提交成功，感谢参与！'}</h1>
          <p>户号 {done.householdNo} 的意见已记录。本次征集每户计一次。</p>
        </div>
      </PortalShell>
    );
  }

  const fields: Field[] = mode === 'code' ? ['code'] : ['householdNo', 'headName', 'phoneLast4'];
  const validate = (): Errors => {
    const v = (f: Field) => values[f].trim();
    const e: Errors = {};
    if (mode === 'code') {
      if (!v('code')) e.code = '请填写验证码';
    } else {
      if (!v('householdNo')) e.householdNo = '请填写户号';
      if (!v('headName')) e.headName = '请填写户主姓名';
      if (!/^\d{4}$/.test(v('phoneLast4'))) e.phoneLast4 = '请填写 4 位数字';
    }
    return e;
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    const first = fields.find((f) => found[f]);
    if (first) {
      formRef.current?.querySelector<HTMLInputElement>(`#answer-${first}`)?.focus();
      return;
    }
    const identity =
      mode === 'code'
        ? { code: values.code.trim() }
        : { householdNo: values.householdNo.trim(), headName: values.headName.trim(), phoneLast4: values.phoneLast4.trim() };
    submit.mutate({ ...identity, choices, ...(freeText.trim() ? { freeText: freeText.trim() } : {}) });
  };
  const set = (f: Field) => (e: { target: { value: string } }) => {
    setValues((old) => ({ ...old, [f]: e.target.value }));
    if (errors[f]) setErrors((old) => ({ ...old, [f]: undefined }));
  };
  const toggle = (code: string, on: boolean) => setChoices((old) => (on ? [...old, code] : old.filter((x) => x !== code)));

  const input = (f: Field, label: string, extra: { inputMode?: 'numeric'; maxLength?: number; placeholder?: string; testId: string }) => (
    <TextField
      id={`answer-${f}`}
      name={f}
      label={label}
      required
      error={errors[f]}
      autoComplete="off"
      value={values[f]}
      onChange={set(f)}
      inputMode={extra.inputMode}
      maxLength={extra.maxLength}
      placeholder={extra.placeholder}
      style={f === 'code' ? { textTransform: 'uppercase' } : undefined}
      data-testid={extra.testId}
    />
  );

  return (
    <PortalShell title={c.title}>
      <p className="portal-muted">{[c.districtName, c.streetName, c.communityName].filter(Boolean).join(' · ')}</p>
      <h1>{c.title}</h1>
      <p className="portal-muted">
        征集时间 {c.opensOn} 至 {c.closesOn}。您的意见将用于确定本社区"以奖代补"服务项目，每户一票
        {c.allowChanges ? '，截止前可修改' : '，提交后不能重复提交'}。
      </p>
      <div className="portal-card">
        <p style={{ margin: 0 }}>
          已有 <b data-testid="public-reached">{c.coverage.reached}</b> 户参与（{percent(c.coverage.basisPoints)}，目标{' '}
          {thresholdPercent(c.coverage.threshold)}）
        </p>
        <progress
          className="portal-progress"
          max={100}
          value={Math.min(100, c.coverage.basisPoints / 100)}
          aria-label={`参与户数占比 ${percent(c.coverage.basisPoints)}`}
        />
      </div>
      {!c.acceptingOnline ? (
        <div className="portal-alert info" role="status">
          <b>本次征集当前不接受网上提交</b>
          <p style={{ margin: 0 }}>如有意见请联系社区居委会。</p>
        </div>
      ) : (
        <form ref={formRef} className="portal-form" onSubmit={onSubmit} noValidate aria-label="提交意见">
          <p className="portal-hint" style={{ margin: 0 }}>
            带 <span aria-hidden="true">*</span> 的为必填项。
          </p>
          <fieldset>
            <legend>核验身份的方式</legend>
            <div className="portal-segmented">
              {(
                [
                  ['registry', '户号登记信息'],
                  ['code', '一次性验证码'],
                ] as const
              ).map(([value, label]) => (
                <label key={value} className="portal-choice">
                  <input type="radio" name="mode" value={value} checked={mode === value} onChange={() => setMode(value)} />
                  {label}
                </label>
              ))}
            </div>
          </fieldset>
          {mode === 'registry' ? (
            <>
              {input('householdNo', '户号', { placeholder: '如 03-2-501', testId: 'answer-household-no' })}
              {input('headName', '户主姓名', { testId: 'answer-head-name' })}
              {input('phoneLast4', '登记手机号后四位', { inputMode: 'numeric', maxLength: 4, testId: 'answer-phone4' })}
            </>
          ) : (
            input('code', '验证码（社区发放）', { testId: 'answer-code' })
          )}
          <fieldset>
            <legend>{c.questionnaire.prompt ?? '您希望社区开展哪些服务？（可多选）'}</legend>
            {c.questionnaire.items.map((item) => (
              <label key={item.code} className="portal-choice" data-testid={`answer-choice-${item.code}`}>
                <input
                  type="checkbox"
                  name="choices"
                  value={item.code}
                  checked={choices.includes(item.code)}
                  onChange={(e) => toggle(item.code, e.target.checked)}
                />
                <span>
                  <b>{item.name}</b>
                  {item.examples.length > 0 && (
                    <span className="portal-hint" style={{ display: 'block' }}>
                      如：{item.examples.slice(0, 3).join('、')}
                    </span>
                  )}
                </span>
              </label>
            ))}
          </fieldset>
          {c.questionnaire.freeText && (
            <div className="portal-field">
              <label htmlFor="answer-freeText">其他意见和建议</label>
              <textarea
                id="answer-freeText"
                name="freeText"
                rows={3}
                maxLength={500}
                value={freeText}
                onChange={(e) => setFreeText(e.target.value)}
                aria-describedby="answer-freeText-count"
              />
              <span className="portal-hint" id="answer-freeText-count">
                {freeText.length} / 500 字
              </span>
            </div>
          )}
          {submit.isError && (
            <div className="portal-alert error" role="alert" data-testid="answer-error">
              {errorMessage(submit.error)}
            </div>
          )}
          <button
            type="submit"
            className="portal-submit"
            disabled={submit.isPending}
            aria-busy={submit.isPending}
            data-testid="answer-submit"
          >
            {submit.isPending ? '提交中…' : '提交'}
          </button>
        </form>
      )}
    </PortalShell>
  );
}
