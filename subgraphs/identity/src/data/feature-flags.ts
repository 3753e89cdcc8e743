import { FACILITY_FLAGS_KEY, FLAGS_PUBLISHED_FIELD, type Redis } from '@pathway/kit';
import type { FeatureFlag, Prisma, PrismaClient } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

export const FEATURE_FLAGS: FeatureFlag[] = ['open_content', 'provider_platforms', 'program_management'];

/** The facility's switches, when `visible` (the caller's access filter) lets its row through. */
export function featuresOfFacility(tx: Tx, facilityId: string, visible: Prisma.FacilityFeaturesWhereInput) {
  return tx.facilityFeatures.findFirst({ where: { AND: [{ facilityId }, visible] } });
}

/**
 * Switches one flag under a row lock (concurrent switches of one facility do not lose each other).
 * Returns null when the facility is registered to another tenant: the insert then finds the key
 * taken, and Row-Level Security hides the row.
 */
export async function switchFlag(
  tx: Tx,
  data: { facilityId: string; tenantId: string; flag: FeatureFlag; enabled: boolean; updatedBy: string },
) {
  await tx.facilityFeatures.createMany({
    data: [{ facilityId: data.facilityId, tenantId: data.tenantId, updatedBy: data.updatedBy }],
    skipDuplicates: true,
  });
  const [row] = await tx.$queryRaw<{ tenant_id: string; enabled: FeatureFlag[] }[]>`
    SELECT tenant_id, enabled::text[] AS enabled FROM facility_features WHERE facility_id = ${data.facilityId}::uuid FOR UPDATE`;
  if (!row || row.tenant_id !== data.tenantId) return null;
  const enabled = FEATURE_FLAGS.filter((f) => (f === data.flag ? data.enabled : row.enabled.includes(f)));
  return tx.facilityFeatures.update({ where: { facilityId: data.facilityId }, data: { enabled, updatedBy: data.updatedBy } });
}

export async function publishFlagsOfFacility(redis: Redis, row: { facilityId: string; enabled: FeatureFlag[] }) {
  await redis.hset(FACILITY_FLAGS_KEY, row.facilityId, JSON.stringify([...row.enabled].sort()));
}

/** Rewrites the whole directory from the table (at start; needs service scope to see every tenant). */
export async function publishFacilityFlags(db: Tx | PrismaClient, redis: Redis) {
  const rows = await db.facilityFeatures.findMany();
  const fields = rows.flatMap((r) => [r.facilityId, JSON.stringify([...r.enabled].sort())]);
  await redis
    .multi()
    .del(FACILITY_FLAGS_KEY)
    .hset(FACILITY_FLAGS_KEY, FLAGS_PUBLISHED_FIELD, new Date().toISOString(), ...fields)
    .exec();
}
