import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** Body of every error response (the server's ErrorResponse). `message` is Chinese and is what the console shows. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  messageEn: string;
  field?: string;
  clause?: string;
  details?: unknown;
}

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

/** The query string of a request: empty values (undefined, null, '') are left out. */
export function serializeQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  return params.toString();
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

const NETWORK_ERROR: ApiErrorBody = { statusCode: 0, code: 'NETWORK', message: '无法连接服务器，请检查网络', messageEn: 'Network error' };
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The console's request behaviour on top of openapi-fetch: a POST/PUT/PATCH always sends a JSON
 * body (`{}` when the call has none); an answer that is not 2xx throws an ApiError carrying the
 * server's bilingual body (a 401 is then handled by the query cache: main.tsx signs out); a
 * network failure throws the NETWORK ApiError; an abort stays an AbortError.
 */
export const consoleMiddleware: Middleware = {
  onRequest({ request }) {
    if (!WITH_BODY.has(request.method) || request.body !== null) return undefined;
    const headers = new Headers(request.headers);
    headers.set('Content-Type', 'application/json');
    return new Request(request, { body: '{}', headers });
  },
  async onResponse({ response }) {
    if (response.ok) return undefined;
    const text = await response.text();
    let data: unknown = undefined;
    if (text) {
      try {
        data = JSON.parse(text) as unknown;
      } catch {
        data = undefined;
      }
    }
    throw new ApiError(isErrorBody(data) ? data : fallbackBody(response.status, response.statusText));
  },
  onError({ error }) {
    if (error instanceof DOMException && error.name === 'AbortError') return undefined;
    return new ApiError(NETWORK_ERROR);
  },
};

/** The typed client of the StarFund API: paths, parameters, bodies and answers from web/src/api/schema.d.ts. */
export const client = createClient<paths>({
  baseUrl: '',
  credentials: 'same-origin',
  headers: { Accept: 'application/json' },
  querySerializer: (query) => serializeQuery(query as Record<string, unknown>),
  // Looked up at call time, so that a test or the browser may replace window.fetch.
  fetch: (request) => globalThis.fetch(request),
});
client.use(consoleMiddleware);

/**
 * The answer of a call through `client`: errors have already been thrown by the middleware, so a
 * settled call carries its data.
 */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data } = await call;
  return data as T;
}
