import type { ApiErrorBody } from './types';

/** An error answered by the server (or the network), carrying the server's bilingual body. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly messageEn: string;
  readonly field?: string;
  readonly clause?: string;
  readonly details?: unknown;

  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.statusCode = body.statusCode;
    this.code = body.code;
    this.messageEn = body.messageEn;
    this.field = body.field;
    this.clause = body.clause;
    this.details = body.details;
  }

  get status(): number {
    return this.statusCode;
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

/** The Chinese message to show for any error thrown by a request. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return '操作失败，请稍后重试';
}

export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Record<string, QueryValue>;

export function buildUrl(path: string, query?: QueryParams): string {
  const url = path.startsWith('/api') ? path : `/api${path.startsWith('/') ? '' : '/'}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { statusCode?: unknown }).statusCode === 'number'
  );
}

function fallbackBody(status: number, statusText: string): ApiErrorBody {
  const message =
    status === 401
      ? '登录已失效，请重新登录'
      : status === 403
        ? '当前角色无权执行此操作'
        : status === 404
          ? '资源不存在或无权查看'
          : status >= 500
            ? '服务器暂时不可用，请稍后重试'
            : `请求失败（${status}）`;
  return { statusCode: status, code: `HTTP_${status}`, message, messageEn: statusText || `HTTP ${status}` };
}

interface RequestOptions {
  query?: QueryParams;
  body?: unknown;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, credentials: 'same-origin', headers, signal: options.signal };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ statusCode: 0, code: 'NETWORK', message: '无法连接服务器，请检查网络', messageEn: 'Network error' });
  }

  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text) as unknown;
    } catch {
      data = undefined;
    }
  }

  if (!response.ok) {
    throw new ApiError(isErrorBody(data) ? data : fallbackBody(response.status, response.statusText));
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: QueryParams, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body: body ?? {} }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
