import { aggregateFilter, isPlaced, tenantFilter, type Identity } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

/**
 * Which rows an aggregate counts. A caller placed in a facility (a facility admin) counts that
 * facility's students and the families/guardians of those students; a caller with no facility
 * (an analyst, a department admin) counts their whole tenant, since facility reach without a
 * facility would count nothing; system reach counts every tenant. Never another tenant's rows.
 */
function statsScope(identity: Identity) {
  if (isPlaced(identity)) {
    const students = aggregateFilter(identity);
    const families: Prisma.FamilyWhereInput = { tenantId: identity.tenantId, students: { some: students } };
    return { students, families, guardians: { tenantId: identity.tenantId, family: families } satisfies Prisma.GuardianWhereInput };
  }
  const tenant = tenantFilter(identity);
  return { students: tenant, families: tenant, guardians: tenant };
}

/** Counts of students, families and guardians: no row and no personal field leaves this function. */
export async function behaviorStats(tx: Tx, identity: Identity) {
  const scope = statsScope(identity);
  const byGrade = await tx.student.groupBy({
    by: ['gradeLevel'],
    where: scope.students,
    _count: { _all: true },
    orderBy: { gradeLevel: 'asc' },
  });
  const byFacility = await tx.student.groupBy({
    by: ['facilityId'],
    where: scope.students,
    _count: { _all: true },
    orderBy: { facilityId: 'asc' },
  });
  const families = await tx.family.count({ where: scope.families });
  const guardians = await tx.guardian.count({ where: scope.guardians });
  const guardiansWithAccount = await tx.guardian.count({ where: { ...scope.guardians, userId: { not: null } } });
  return {
    studentsByGradeLevel: byGrade.map((row) => ({ gradeLevel: row.gradeLevel, count: row._count._all })),
    studentsByFacility: byFacility.map((row) => ({ facilityId: row.facilityId, count: row._count._all })),
    families,
    guardiansWithAccount,
    guardiansWithoutAccount: guardians - guardiansWithAccount,
  };
}
