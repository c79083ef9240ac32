import type { paths } from './schema';

/**
 * Types of the StarFund API derived from the generated schema (schema.d.ts, `npm run api:generate`):
 * `ApiResponse<'/api/plans/{id}', 'get'>` is what GET /api/plans/:id answers on success,
 * `ApiBody<'/api/plans', 'post'>` what POST /api/plans takes, `ApiQuery<'/api/plans', 'get'>` its query.
 */
export type { paths };
export type ApiPath = keyof paths;
export type ApiMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

type Operation<P extends ApiPath, M extends ApiMethod> = NonNullable<paths[P][M]>;
type SuccessStatus = 200 | 201 | 202 | 204;
type Json<R> = R extends { content: { 'application/json': infer T } } ? T : undefined;
type Responses<O> = O extends { responses: infer R } ? R : never;

/** The JSON answered on success. */
export type ApiResponse<P extends ApiPath, M extends ApiMethod> = Json<
  Responses<Operation<P, M>>[Extract<keyof Responses<Operation<P, M>>, SuccessStatus>]
>;

/** The JSON body taken. */
export type ApiBody<P extends ApiPath, M extends ApiMethod> =
  Operation<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** The query parameters taken. */
export type ApiQuery<P extends ApiPath, M extends ApiMethod> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** The element type of an array type. */
export type Item<A> = A extends readonly (infer T)[] ? T : never;
