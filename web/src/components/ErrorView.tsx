import { Alert, Button, Result } from 'antd';
import { ApiError, errorMessage } from '../api/client';

/** A request failure in place of content: 404 as "不存在或无权查看", 403 as no access, else an alert. */
export function ErrorView({ error, what = '该记录', onRetry }: { error: unknown; what?: string; onRetry?: () => void }) {
  if (error instanceof ApiError && error.statusCode === 404) {
    return <Result status="404" title="404" subTitle={`${what}不存在或无权查看`} />;
  }
  if (error instanceof ApiError && error.statusCode === 403) {
    return <Result status="403" title="无权访问" subTitle={error.message} />;
  }
  return (
    <Alert
      type="error"
      showIcon
      title="加载失败"
      description={<ErrorDetail error={error} />}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            重试
          </Button>
        ) : undefined
      }
    />
  );
}

/** The server's Chinese message, plus the field and notice clause it names. */
export function ErrorDetail({ error }: { error: unknown }) {
  const extra: string[] = [];
  if (error instanceof ApiError) {
    if (error.field) extra.push(`字段：${error.field}`);
    if (error.clause) extra.push(`依据：${error.clause}`);
  }
  return (
    <span>
      {errorMessage(error)}
      {extra.length > 0 && <span style={{ marginLeft: 8, color: 'rgba(0,0,0,0.45)' }}>（{extra.join('；')}）</span>}
    </span>
  );
}

export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      title={title ?? <ErrorDetail error={error} />}
      description={title ? <ErrorDetail error={error} /> : undefined}
    />
  );
}
