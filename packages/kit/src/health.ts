import { sendJson, type NodeHandler } from './http.ts';
import type { Logger } from './logger.ts';

/** One dependency readiness depends on: resolves when usable, throws (saying why) when not. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/** A check that has not answered by then counts as failed: a hung dependency must not hang the probe. */
const CHECK_TIMEOUT_MS = 2_000;

export interface Readiness {
  ready: boolean;
  checks: Record<string, 'ok' | string>;
}

/** Runs every check at once; ready only when all pass. */
export async function readiness(checks: readonly ReadinessCheck[]): Promise<Readiness> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      });
      try {
        await Promise.race([check(), timeout]);
        return [name, 'ok'] as const;
      } catch (error) {
        return [name, error instanceof Error ? error.message : String(error)] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: results.every(([, result]) => result === 'ok'), checks: Object.fromEntries(results) };
}

export interface HealthRoutes {
  /** From now on `/readyz` answers 503 (shutting down): load balancers stop sending new requests. */
  drain(): void;
}

/**
 * `/healthz`: the process is alive (restart it if not). `/readyz`: it can serve (send it traffic if
 * so): every check passes and it is not shutting down. A failing check is named, with its reason, in
 * the body and logged; the reasons say which dependency, never a connection string.
 */
export function serveHealth(routes: GetRoutes, service: string, checks: () => readonly ReadinessCheck[], log: Logger): HealthRoutes {
  let draining = false;
  routes.get('/healthz', (_req, res) => sendJson(res, 200, { status: 'ok', service }));
  routes.get('/readyz', async (_req, res) => {
    if (draining) return sendJson(res, 503, { status: 'shutting down', service, checks: {} });
    const result = await readiness(checks());
    if (!result.ready) log.warn({ checks: result.checks }, 'not ready');
    sendJson(res, result.ready ? 200 : 503, { status: result.ready ? 'ready' : 'unavailable', service, checks: result.checks });
  });
  return {
    drain: () => {
      draining = true;
    },
  };
}

/** Where GET routes are added: an Express app, or the subgraphs' plain server's route table. */
export interface GetRoutes {
  get(path: string, handler: NodeHandler): unknown;
}
