import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ReadReplica } from './db/client.js';
import type { ReadServices } from './services.js';

/**
 * Where a signed-in browser's last write reached in the primary's write-ahead log (ADR 0025). Not a
 * secret: a forged value only sends its own holder's reads to the primary (or to a replica that is behind).
 */
export const WAL_COOKIE = 'sf_wal';

declare module 'fastify' {
  interface FastifyRequest {
    /** The services this request's public or reporting reads use: the replica's, or the primary's (read-routing.ts). */
    reads: ReadServices;
  }
  interface FastifyContextConfig {
    /** A GET whose reads may be served by the streaming replica (`DATABASE_READ_URL`, ADR 0025). */
    readsFromReplica?: boolean;
  }
}

const READS = new Set(['GET', 'HEAD']);

/**
 * Read routing with read-your-writes (ADR 0025). Routes marked `readsFromReplica` read through
 * `request.reads`: the replica's services, unless this browser wrote something the replica has not
 * replayed yet. After a signed-in write succeeds, the primary's WAL insert position (taken after the
 * audit chaining of that request, which writes too) goes into the `sf_wal` cookie; a later marked
 * read uses the replica only once `pg_last_wal_replay_lsn()` there has passed it, and then drops the
 * cookie. Writes always go to the primary (`app.services`). Without a replica every request reads the
 * primary's services and nothing is added.
 */
export function registerReadRouting(
  app: FastifyInstance,
  replica: ReadReplica | null,
  primary: ReadServices,
  replicaServices: ReadServices | null,
  secureCookies: boolean,
): void {
  app.decorateRequest('reads', null as unknown as ReadServices);
  app.addHook('onRequest', async (request) => {
    request.reads = primary;
  });
  if (!replica || !replicaServices) return;

  // After validation and access: a refused request costs the replica nothing.
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.routeOptions.config.readsFromReplica || !READS.has(request.method)) return;
    const lastWrite = request.cookies[WAL_COOKIE];
    if (lastWrite) {
      try {
        if (!(await replica.hasReplayed(lastWrite))) return;
      } catch (err) {
        request.log.warn({ err }, 'read replica unavailable: reading the primary');
        return;
      }
      reply.clearCookie(WAL_COOKIE, { path: '/' });
    }
    request.reads = replicaServices;
  });

  // Registered after the audit chaining's onSend (app.ts), so the position includes the chained events.
  app.addHook('onSend', async (request, reply) => {
    if (READS.has(request.method) || request.method === 'OPTIONS' || !request.actor || reply.statusCode >= 400) return;
    try {
      const position = await replica.primaryWalPosition();
      reply.setCookie(WAL_COOKIE, position, { path: '/', httpOnly: true, sameSite: 'strict', secure: secureCookies });
    } catch (err) {
      request.log.error({ err }, 'could not read the WAL position: this session may read its write late');
    }
  });
}
