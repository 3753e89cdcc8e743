import { aggregateFilter, badInput, isPlaced, reachOf, type Identity } from '@pathway/kit';
import { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

export interface StatsRange {
  from?: Date | null;
  to?: Date | null;
}

/**
 * Counts of people for analysts: by status, role and home facility (ids only), and sign-ins per
 * month. No row and no personal field leaves this function. Scope as the kit's aggregateFilter:
 * a caller placed in a facility counts it, one who is not counts the tenant, system reach all.
 */
export async function identityStats(tx: Tx, identity: Identity, range: StatsRange) {
  if (range.from && range.to && range.from > range.to) throw badInput('`from` must not be after `to`.', { from: 'after `to`' });
  const people = { ...aggregateFilter(identity, 'homeFacilityId'), deletedAt: null };
  // One after another: an interactive transaction runs its statements on one connection anyway.
  const total = await tx.user.count({ where: people });
  const byStatus = await tx.user.groupBy({ by: ['status'], where: people, _count: { _all: true }, orderBy: { status: 'asc' } });
  const byFacility = await tx.user.groupBy({
    by: ['homeFacilityId'],
    where: people,
    _count: { _all: true },
    orderBy: { homeFacilityId: 'asc' },
  });
  const byRole = await tx.userRole.groupBy({ by: ['roleId'], where: { user: people }, _count: { _all: true } });
  const roles = await tx.role.findMany({ where: { id: { in: byRole.map((row) => row.roleId) } }, select: { id: true, name: true } });
  const roleName = new Map(roles.map((role) => [role.id, role.name]));
  return {
    people: total,
    peopleByStatus: byStatus.map((row) => ({ status: row.status, count: row._count._all })),
    peopleByRole: byRole
      .map((row) => ({ role: roleName.get(row.roleId) ?? 'unknown', count: row._count._all }))
      .sort((a, b) => a.role.localeCompare(b.role)),
    peopleByFacility: byFacility.map((row) => ({ facilityId: row.homeFacilityId, count: row._count._all })),
    signInsByMonth: await signInsByMonth(tx, identity, range),
  };
}

/** Sign-ins (a session's first token; its refresh rotations share the session) per UTC month, oldest first. */
async function signInsByMonth(tx: Tx, identity: Identity, { from, to }: StatsRange) {
  const conditions = [Prisma.sql`u.deleted_at IS NULL`];
  if (reachOf(identity) !== 'system') conditions.push(Prisma.sql`u.tenant_id = ${identity.tenantId}::uuid`);
  if (isPlaced(identity)) conditions.push(Prisma.sql`u.home_facility_id = ${identity.facilityId}::uuid`);
  const window = [Prisma.sql`TRUE`];
  if (from) window.push(Prisma.sql`started_at >= ${from}`);
  if (to) window.push(Prisma.sql`started_at < ${to}`);
  const rows = await tx.$queryRaw<{ period: string; count: number }[]>`
    SELECT to_char(date_trunc('month', started_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS period, count(*)::int AS count
    FROM (
      SELECT t.session_id, min(t.created_at) AS started_at
      FROM identity.refresh_tokens t JOIN identity.users u ON u.id = t.user_id
      WHERE ${Prisma.join(conditions, ' AND ')}
      GROUP BY t.session_id
    ) sessions
    WHERE ${Prisma.join(window, ' AND ')}
    GROUP BY 1 ORDER BY 1`;
  return rows.map((row) => ({ period: row.period, count: Number(row.count) }));
}
