import { withScope, type JobDefinitions, type SubgraphDeps } from '@pathway/kit';
import type { Prisma, PrismaClient } from './generated/prisma/client.ts';
import type { marketEnv } from './env.ts';
import { publishReservationChanged } from './events.ts';
import { expireHolds } from './writes/reservations.ts';
import { reconcilePending } from './writes/asset-transfers.ts';

/** Market's jobs (the kit's job queue, `pathway:jobs:market`). */
export interface MarketJobs {
  /** Lapses pending reservation requests whose hold ran out (the payload is unused). */
  'reservation.expire': { sweep: 'all' };
  /** Carries out asset transactions a crashed request left pending (writes/asset-transfers.ts). */
  'transaction.reconcile': { sweep: 'all' };
}

type Deps = SubgraphDeps<PrismaClient, typeof marketEnv, MarketJobs>;

/**
 * The expiry sweep, on a schedule: as the service (every tenant), in batches of up to 500 rows
 * locked with SKIP LOCKED, so two instances never expire one hold twice; each expiry writes its
 * activity line and its event in the same transaction. Requests and decisions also lapse a hold
 * past its time themselves, so correctness never waits for this job.
 */
export function marketJobs({ prisma, events, config, mongo }: Deps): JobDefinitions<MarketJobs> {
  const saga = { run: <R>(fn: (tx: Prisma.TransactionClient) => Promise<R>) => withScope(prisma, 'service', fn), mongo: mongo.db, events };
  return {
    'transaction.reconcile': {
      schedule: { cron: config.TRANSACTION_RECONCILE_CRON, payload: { sweep: 'all' } },
      run: async () => {
        while ((await reconcilePending(saga, config.TRANSACTION_RECONCILE_AFTER_MS)) === 100);
      },
    },
    'reservation.expire': {
      schedule: { cron: config.RESERVATION_EXPIRY_CRON, payload: { sweep: 'all' } },
      run: async () => {
        for (;;) {
          const moved = await withScope(prisma, 'service', async (tx) => {
            const expired = await expireHolds(tx);
            for (const move of expired) await publishReservationChanged(events.within(tx), move);
            return expired.length;
          });
          if (moved < 500) return;
        }
      },
    },
  };
}
