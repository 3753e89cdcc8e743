import { withScope, type EventPublisher, type JobDefinitions, type SubgraphDeps } from '@pathway/kit';
import type { campusEnv } from './env.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import { logChanges } from './data/changes.ts';
import { publishClassStatusChanged } from './events.ts';

/**
 * Campus's background jobs. `classes.activate_scheduled` is seed 003's activate_scheduled_classes:
 * Scheduled classes become Active on their start date in their facility's time zone. It runs every
 * 15 minutes (`CAMPUS_ACTIVATION_CRON`: facilities' midnights fall at different UTC hours). A job added
 * by hand may name its clock (`asOf`) and one tenant (`tenantId`): tests run it so, on their own rows.
 */
export type CampusJobs = { 'classes.activate_scheduled': { asOf?: string; tenantId?: string } };

/** The actor of changes the service makes by itself (no person): change log lines name this id. */
export const SERVICE_ACTOR = { userId: '00000000-0000-0000-0000-000000000000' };
const BATCH = 500;

export function campusJobs({
  prisma,
  events,
  config,
}: SubgraphDeps<PrismaClient, typeof campusEnv, CampusJobs>): JobDefinitions<CampusJobs> {
  return {
    'classes.activate_scheduled': {
      // One scheduled run at a time (a run repeats until nothing is left); hand-added runs are keyed by their clock and tenant.
      key: (p) => `${p.tenantId ?? 'all'}:${p.asOf ?? 'now'}`,
      attempts: 3,
      schedule: config.CAMPUS_ACTIVATION_CRON === 'off' ? undefined : { cron: config.CAMPUS_ACTIVATION_CRON, payload: {} },
      run: async (payload) => {
        await activateScheduledClasses(prisma, events, payload.asOf ? new Date(payload.asOf) : new Date(), payload.tenantId);
      },
    },
  };
}

/**
 * Activates every Scheduled class (not archived; of `tenantId` only, when given) whose start date, read in its facility's time zone,
 * is `now`'s local date or earlier. Each batch is one transaction: status, change log line and
 * `campus.class.status_changed` event together; rows another run holds are skipped, not waited for.
 * Returns the ids activated.
 */
export async function activateScheduledClasses(
  prisma: PrismaClient,
  events: EventPublisher,
  now: Date,
  tenantId?: string,
): Promise<string[]> {
  const activated: string[] = [];
  for (;;) {
    const batch = await withScope(prisma, 'service', async (tx) => {
      const due = await tx.$queryRaw<{ id: string }[]>`
        SELECT c.id FROM program_classes c JOIN facilities f ON f.id = c.facility_id
        WHERE c.status = 'Scheduled' AND c.archived_at IS NULL AND (${tenantId ?? null}::uuid IS NULL OR c.tenant_id = ${tenantId ?? null}::uuid)
          AND (c.start_dt AT TIME ZONE f.timezone)::date <= (${now}::timestamptz AT TIME ZONE f.timezone)::date
        ORDER BY c.start_dt LIMIT ${BATCH} FOR UPDATE OF c SKIP LOCKED`;
      const ids = due.map((r) => r.id);
      if (!ids.length) return [];
      const updated = await tx.programClass.updateManyAndReturn({ where: { id: { in: ids } }, data: { status: 'Active' } });
      await logChanges(
        tx,
        updated.map((c) => ({
          actor: SERVICE_ACTOR,
          programClass: c,
          action: 'class.status_changed' as const,
          reason: 'start date reached (activate_scheduled_classes)',
          before: { status: 'Scheduled' },
          after: { status: 'Active' },
        })),
      );
      for (const c of updated) await publishClassStatusChanged(events.within(tx), c, 'Scheduled');
      return ids;
    });
    activated.push(...batch);
    if (batch.length < BATCH) return activated;
  }
}
