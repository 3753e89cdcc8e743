import DataLoader from 'dataloader';
import { byIdLoader, groupLoader, membershipLoader, uuidsOnly, type Identity, type ScopedDb } from '@pathway/kit';
import type { Prisma, Student } from './generated/prisma/client.ts';
import { findVisibleFamilies } from './data/families.ts';
import { guardiansOfFamilies } from './data/guardians.ts';
import {
  assignedStudentIds,
  familiesInCaseload,
  findVisibleStudents,
  findVisibleStudentsOfFamilies,
  findVisibleStudentsOfUsers,
} from './data/students.ts';

type Tx = Prisma.TransactionClient;

/**
 * Per-request batching. Entity loaders return only rows the caller may see (null otherwise), so a
 * lookup outside their reach is indistinguishable from one that does not exist.
 */
export function createLoaders(db: ScopedDb<Tx>, identity: Identity | null) {
  const me = identity?.userId ?? '';
  return {
    student: byIdLoader((ids) => db.run((tx) => findVisibleStudents(tx, identity, uuidsOnly(ids)))),
    family: byIdLoader((ids) => db.run((tx) => findVisibleFamilies(tx, identity, uuidsOnly(ids)))),
    /** User → their student record (User.studentRecord), one query for a page of users. */
    studentOfUser: new DataLoader<string, Student | null>(async (userIds) => {
      const rows = await db.run((tx) => findVisibleStudentsOfUsers(tx, identity, uuidsOnly(userIds)));
      const byUser = new Map(rows.map((row) => [row.userId, row]));
      return userIds.map((id) => byUser.get(id) ?? null);
    }),
    visibleStudentsOfFamily: groupLoader(
      (ids) => db.run((tx) => findVisibleStudentsOfFamilies(tx, identity, uuidsOnly(ids))),
      (row) => row.familyId ?? '',
    ),
    /** Every guardian of a family: the linked-guardian rules read it, so it is not visibility-filtered. */
    guardiansOfFamily: groupLoader(
      (ids) => db.run((tx) => guardiansOfFamilies(tx, uuidsOnly(ids))),
      (row) => row.familyId,
    ),
    /** Student → assigned to the calling staff member? */
    assignedToMe: membershipLoader((ids) =>
      identity && ids.length ? db.run((tx) => assignedStudentIds(tx, me, ids)) : Promise.resolve(new Set()),
    ),
    /** Family → has a student in the caller's caseload? */
    familyInCaseload: membershipLoader((ids) =>
      identity && ids.length ? db.run((tx) => familiesInCaseload(tx, identity, ids)) : Promise.resolve(new Set()),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
