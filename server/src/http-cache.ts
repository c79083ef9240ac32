import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * How a shared cache (a reverse proxy, a CDN) and a browser may keep a public GET's answer (ADR 0024).
 *
 * - `version`: the data version the answer is computed from, read by the service that reads the
 *   answer's data (on the same database handle), cheaply and before the answer is built. It must
 *   change whenever the answer may change: the audit version (moves with every committed write,
 *   ADR 0008) and every date the answer reads. Route inputs need not be in it: a cache keeps an
 *   ETag per URL.
 * - `fresh`: the answer must never be served stale (a notice's objection count and window, whether a
 *   questionnaire is open): caches revalidate on every use. Otherwise a shared cache may serve it for
 *   `PUBLIC_CACHE_SECONDS` and revalidate in the background for as long again.
 *
 * `'no-store'`: the answer is never kept (it depends on the visitor, or must not be replayed).
 */
export type HttpCache = { version: (request: FastifyRequest) => Promise<string>; fresh?: boolean } | 'no-store';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every GET under /api/public declares it (app start fails otherwise); see http-cache.ts. */
    httpCache?: HttpCache;
  }
  interface FastifyRequest {
    /** The ETag of the answer being sent, when its route is publicly cacheable (set before the handler). */
    entityTag: string | null;
    /** Answered with a kept answer (nothing to keep again). */
    answeredFromKept: boolean;
    /** The data version the ETag was computed from: a handler may pass it on instead of reading it again. */
    dataVersion: string | null;
  }
}

/** Per-visitor headers a shared cache must never replay to another visitor. */
const VISITOR_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'];

/** Bytes of serialised answers kept per process (KeptAnswers). */
const KEPT_ANSWER_BYTES = 32 * 1024 * 1024;

interface KeptAnswer {
  tag: string;
  body: string | Buffer;
  bytes: number;
  headers: [name: string, value: string][];
}

/**
 * The last answer sent for each public URL with its ETag, serialised and before compression: a
 * request whose own ETag (read fresh, before the handler) equals the kept one is answered with it —
 * no page built, no serialisation. Exact for the same reason as VersionedCache: the ETag moves with
 * every committed write and every date the answer reads, and the answer kept under a tag was built
 * after that tag's version was read. Bounded in bytes, least recently used first.
 */
class KeptAnswers {
  private readonly entries = new Map<string, KeptAnswer>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(url: string, tag: string): KeptAnswer | undefined {
    const kept = this.entries.get(url);
    if (!kept || kept.tag !== tag) return undefined;
    this.entries.delete(url);
    this.entries.set(url, kept);
    return kept;
  }

  set(url: string, answer: KeptAnswer) {
    // One answer larger than an eighth of the budget (a big download) would push out hundreds of pages.
    if (answer.bytes > this.maxBytes / 8) return;
    this.delete(url);
    this.entries.set(url, answer);
    this.bytes += answer.bytes;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  private delete(url: string) {
    const kept = this.entries.get(url);
    if (!kept) return;
    this.entries.delete(url);
    this.bytes -= kept.bytes;
  }
}

/** The headers of an answer that belong to its content (kept with it), as opposed to the visitor or the connection. */
const CONTENT_HEADERS = ['content-type', 'content-disposition'];

/**
 * Registers ETags, `Cache-Control`, `304 Not Modified` and the kept answers for the routes that
 * declare `httpCache`. Register before compression (its onSend hook must see the answer before it is
 * compressed, to keep it once for every encoding) and before the hook that marks every other /api
 * answer `no-store`.
 */
export function registerHttpCache(app: FastifyInstance, options: { sharedMaxAgeSeconds: number }): void {
  const shared = `public, max-age=0, s-maxage=${options.sharedMaxAgeSeconds}, stale-while-revalidate=${options.sharedMaxAgeSeconds}`;
  const fresh = 'public, max-age=0, must-revalidate';
  /**
   * Per route URL: a digest of its declared 200 answer's schema, so that a release that changes a
   * page's shape changes its ETags even before the next write (GET and its HEAD share a URL).
   */
  const shapeOf = new Map<string, string>();
  const kept = new KeptAnswers(KEPT_ANSWER_BYTES);

  app.decorateRequest('entityTag', null);
  app.decorateRequest('dataVersion', null);
  app.decorateRequest('answeredFromKept', false);

  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (!route.url.startsWith('/api/public/') || !methods.includes('GET')) return;
    if (!route.config?.httpCache) throw new Error(`public route ${route.url} declares no httpCache (http-cache.ts)`);
    const schema = (route.schema?.response as Record<string, unknown> | undefined)?.[200] ?? null;
    shapeOf.set(route.url, digest(JSON.stringify(schema ?? 'none')).slice(0, 8));
  });

  // After authentication, access and validation: a cheap version read, then a 304 before any page is built.
  app.addHook('preHandler', async (request, reply) => {
    const policy = request.routeOptions.config.httpCache;
    if (!policy || policy === 'no-store' || (request.method !== 'GET' && request.method !== 'HEAD')) return;
    const version = await policy.version(request);
    const tag = `W/"${digest(`${shapeOf.get(request.routeOptions.url!) ?? ''}\n${version}`).slice(0, 27)}"`;
    request.dataVersion = version;
    request.entityTag = tag;
    if (matches(request.headers['if-none-match'], tag)) return reply.code(304).send();
    const answer = kept.get(request.url, tag);
    if (answer) {
      request.answeredFromKept = true;
      for (const [name, value] of answer.headers) reply.header(name, value);
      return reply.send(answer.body);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const policy = request.routeOptions.config?.httpCache;
    if (!policy) return payload;
    if (policy === 'no-store' || request.entityTag === null) {
      reply.header('cache-control', 'no-store');
      return payload;
    }
    const status = reply.statusCode;
    // Errors (404, 429 …) and anything that sets a cookie are never kept publicly.
    if ((status !== 200 && status !== 304) || reply.hasHeader('set-cookie')) {
      reply.header('cache-control', 'no-store');
      return payload;
    }
    for (const name of VISITOR_HEADERS) reply.removeHeader(name);
    if (
      status === 200 &&
      request.method === 'GET' &&
      !request.answeredFromKept &&
      (typeof payload === 'string' || Buffer.isBuffer(payload))
    ) {
      const headers = CONTENT_HEADERS.flatMap((name) => {
        const value = reply.getHeader(name);
        return value === undefined ? [] : [[name, String(value)] as [string, string]];
      });
      kept.set(request.url, { tag: request.entityTag, body: payload, bytes: Buffer.byteLength(payload), headers });
    }
    reply.header('etag', request.entityTag);
    reply.header('cache-control', policy.fresh ? fresh : shared);
    // One ETag (weak) for every encoding; the cache keeps one copy per Accept-Encoding.
    varyOnAcceptEncoding(reply);
    return payload;
  });
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** `If-None-Match`: `*`, or a list of tags compared weakly (RFC 9110 13.1.2). */
function matches(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = tag.slice(2);
  return header.split(',').some((candidate) => {
    const t = candidate.trim();
    return (t.startsWith('W/') ? t.slice(2) : t) === opaque;
  });
}

function varyOnAcceptEncoding(reply: FastifyReply) {
  const current = reply.getHeader('vary');
  const values = current === undefined ? [] : [current].flat().map(String);
  if (values.some((v) => v.toLowerCase().includes('accept-encoding'))) return;
  // Lower case, as @fastify/compress looks for it.
  reply.header('vary', [...values, 'accept-encoding'].join(', '));
}
