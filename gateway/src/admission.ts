import { sendJson, type NodeMiddleware } from '@pathway/kit';

export interface AdmissionOptions {
  /** Operations executing at once on this gateway; the rest wait their turn, first come first served. */
  maxInFlight: number;
  /** The longest an operation waits for its turn before it is answered SERVICE_UNAVAILABLE. */
  maxWaitMs: number;
}

/**
 * Admission control for `/graphql`: at most `maxInFlight` operations run at once, later ones queue
 * in arrival order and are refused (503, `SERVICE_UNAVAILABLE`, `Retry-After`, nothing done) only
 * after waiting `maxWaitMs`. Without it every client request went straight to the subgraphs, whose
 * pools (DATABASE_POOL_SIZE connections) then queued the excess out of order, and at 128 clients
 * waits passed DATABASE_TX_MAX_WAIT_MS: errors, and a p99 far above the p50. Queued here, a request
 * holds no subgraph connection while it waits, and the subgraphs see a load their pools can serve.
 */
export function admission(opts: AdmissionOptions): NodeMiddleware & { readonly inFlight: number; readonly waiting: number } {
  let inFlight = 0;
  const queue: { admit(): void; timer: NodeJS.Timeout }[] = [];
  const release = () => {
    const next = queue.shift();
    if (!next) {
      inFlight--;
      return;
    }
    clearTimeout(next.timer);
    next.admit();
  };
  const handler: NodeMiddleware = (_req, res, next) => {
    const run = () => {
      let released = false;
      const done = () => {
        if (released) return;
        released = true;
        release();
      };
      res.once('finish', done);
      res.once('close', done);
      next();
    };
    if (inFlight < opts.maxInFlight) {
      inFlight++;
      return run();
    }
    const entry = {
      admit: run,
      timer: setTimeout(() => {
        const at = queue.indexOf(entry);
        if (at >= 0) queue.splice(at, 1);
        res.setHeader('retry-after', '1');
        sendJson(res, 503, {
          errors: [
            {
              message: 'The service is busy; nothing was done. Try again in a moment.',
              extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 },
            },
          ],
        });
      }, opts.maxWaitMs),
    };
    // A client that gave up while waiting leaves the queue (the response closes before anything was sent).
    res.once('close', () => {
      if (res.headersSent) return;
      const at = queue.indexOf(entry);
      if (at >= 0) {
        queue.splice(at, 1);
        clearTimeout(entry.timer);
      }
    });
    queue.push(entry);
  };
  return Object.defineProperties(handler, {
    inFlight: { get: () => inFlight },
    waiting: { get: () => queue.length },
  }) as NodeMiddleware & { readonly inFlight: number; readonly waiting: number };
}
