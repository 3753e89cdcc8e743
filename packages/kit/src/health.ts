import type { Express } from 'express';
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
export function serveHealth(app: Express, service: string, checks: () => readonly ReadinessCheck[], log: Logger): HealthRoutes {
  let draining = false;
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok', service }));
  app.get('/readyz', async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: 'shutting down', service, checks: {} });
      return;
    }
    const result = await readiness(checks());
    if (!result.ready) log.warn({ checks: result.checks }, 'not ready');
    res.status(result.ready ? 200 : 503).json({ status: result.ready ? 'ready' : 'unavailable', service, checks: result.checks });
  });
  return {
    drain: () => {
      draining = true;
    },
  };
}
