import type { FastifyInstance } from 'fastify';

/** The safety net's period: chains what no request flushed (scripts, a failed flush, another process's leftovers). */
export const CHAIN_INTERVAL_MS = 1000;

/**
 * Brings recorded audit events onto the hash chain (ADR 0007):
 * - before the response of a request that recorded one, so that when a write's answer reaches
 *   the client its event is chained and `audit_head` has moved (the read caches rely on this);
 * - when the app is ready, for events a stopped process left in the inbox;
 * - every second, as a safety net.
 */
export function registerAuditChaining(app: FastifyInstance): void {
  const audit = app.services.audit;
  // After body parsing: a request body is read in the socket's async context, which would end a
  // scope opened earlier.
  app.addHook('preValidation', (_request, _reply, done) => audit.runScoped(done));
  app.addHook('onSend', async (request, reply) => {
    const recorded = audit.recordedInScope();
    try {
      if (recorded) await audit.flush();
      // Outside a scope: refused before validation (no write, and no query for a flood of 429s),
      // or, should a context ever be lost, a successful write checks the inbox.
      else if (recorded === undefined && reply.statusCode < 400 && request.method !== 'GET' && request.method !== 'HEAD')
        await audit.flushIfPending();
    } catch (err) {
      // The write and its event are committed (the event in the inbox): answer it, and let the timer retry.
      request.log.error({ err }, 'audit chaining failed');
    }
  });

  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    audit.flushIfPending().catch((err: unknown) => app.log.error({ err }, 'audit chaining failed'));
  };
  app.addHook('onReady', async () => {
    await audit.flushIfPending().catch((err: unknown) => app.log.error({ err }, 'audit chaining at start failed'));
    timer = setInterval(tick, CHAIN_INTERVAL_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await audit.idle();
  });
}
