import { aggregateFilter, badInput, catalogReachFilter, isPlaced, reachOf, tenantFilter, type Identity } from '@pathway/kit';
import { Prisma, type CourseType } from '../generated/prisma/client.ts';
import type { QueryLearningStatsArgs } from '../generated/graphql.ts';

type Tx = Prisma.TransactionClient;

/**
 * Which rows an aggregate counts. A caller placed in a facility (a facility admin) counts their
 * facility (plus tenant-wide catalog rows); a caller with no facility (an analyst, a department
 * admin) counts their whole tenant, since facility reach without a facility would count nothing;
 * system reach counts every tenant. Never another tenant's rows (RLS holds that line too).
 */
function statsScope(identity: Identity) {
  const placed = isPlaced(identity);
  return {
    catalog: placed ? catalogReachFilter(identity) : tenantFilter(identity),
    enrollments: aggregateFilter(identity),
    tenantId: reachOf(identity) === 'system' ? null : identity.tenantId,
    facilityId: placed ? identity.facilityId! : null,
  };
}

/** The range `learningStats(from, to)` asks for. */
type StatsRange = QueryLearningStatsArgs;

/** Counts of the catalog and of course enrollments (in `[from, to)` by enrollment time), no row leaves. */
export async function learningStats(tx: Tx, identity: Identity, range: StatsRange) {
  const { from, to } = range;
  if (from && to && from > to) throw badInput('`from` must not be after `to`.', { from: 'after `to`' });
  const scope = statsScope(identity);
  const enrolledAt = { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) };
  const enrollmentWhere = { ...scope.enrollments, deletedAt: null, enrolledAt };

  const coursesByType = await tx.course.groupBy({
    by: ['type'],
    where: { ...scope.catalog, deletedAt: null },
    _count: { _all: true },
    orderBy: { type: 'asc' },
  });
  const providers = await tx.providerPlatform.groupBy({
    by: ['type', 'state'],
    where: scope.catalog,
    _count: { _all: true },
    orderBy: [{ type: 'asc' }, { state: 'asc' }],
  });
  const enrollmentTotal = await tx.courseEnrollment.count({ where: enrollmentWhere });
  const byCourse = await tx.courseEnrollment.groupBy({ by: ['courseId'], where: enrollmentWhere, _count: { _all: true } });
  const courseTypes = await tx.course.findMany({
    where: { id: { in: byCourse.map((row) => row.courseId) } },
    select: { id: true, type: true },
  });
  const typeOf = new Map(courseTypes.map((c) => [c.id, c.type]));
  const perType = new Map<CourseType, number>();
  for (const row of byCourse) {
    const type = typeOf.get(row.courseId);
    if (type) perType.set(type, (perType.get(type) ?? 0) + row._count._all);
  }

  return {
    courses: coursesByType.map((row) => ({ type: row.type, count: row._count._all })),
    providerPlatforms: providers.map((row) => ({ type: row.type, state: row.state, count: row._count._all })),
    enrollments: enrollmentTotal,
    enrollmentsByMonth: await enrollmentsByMonth(tx, scope, range),
    enrollmentsByCourseType: [...perType].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => ({ type, count })),
  };
}

/** Enrollments per calendar month (UTC), oldest first: the trend in the range. */
async function enrollmentsByMonth(tx: Tx, scope: ReturnType<typeof statsScope>, { from, to }: StatsRange) {
  const conditions = [Prisma.sql`deleted_at IS NULL`];
  if (scope.tenantId) conditions.push(Prisma.sql`tenant_id = ${scope.tenantId}::uuid`);
  if (scope.facilityId) conditions.push(Prisma.sql`facility_id = ${scope.facilityId}::uuid`);
  if (from) conditions.push(Prisma.sql`enrolled_at >= ${from}`);
  if (to) conditions.push(Prisma.sql`enrolled_at < ${to}`);
  const rows = await tx.$queryRaw<{ period: string; count: number }[]>`
    SELECT to_char(date_trunc('month', enrolled_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS period, count(*)::int AS count
    FROM learning.course_enrollments
    WHERE ${Prisma.join(conditions, ' AND ')}
    GROUP BY 1 ORDER BY 1`;
  return rows.map((row) => ({ period: row.period, count: Number(row.count) }));
}
