import DataLoader from 'dataloader';
import { byIdLoader, groupLoader, type Identity, type ScopedDb } from '@pathway/kit';
import type { Prisma, Student } from './generated/prisma/client.ts';
import { findVisibleFamilies } from './data/families.ts';
import { guardiansOfFamilies } from './data/guardians.ts';
import { assignedStudentIds, familiesInCaseload, findVisibleStudents, findVisibleStudentsOfFamilies, findVisibleStudentsOfUsers } from './data/students.ts';
import { isUuid } from './ids.ts';

type Tx = Prisma.TransactionClient;

/** Drops keys that are not UUIDs (they match no row, and Postgres would reject them). */
const uuids = (keys: readonly string[]) => keys.filter(isUuid);

/** A per-request loader of a yes/no fact about each key, from one query returning the keys that are "yes". */
function setLoader(fetch: (keys: readonly string[]) => Promise<Set<string>>): DataLoader<string, boolean> {
  return new DataLoader(async (keys) => {
    const yes = await fetch(uuids(keys));
    return keys.map((k) => yes.has(k));
  });
}

/**
 * Per-request batching. Entity loaders return only rows the caller may see (null otherwise), so a
 * lookup outside their reach is indistinguishable from one that does not exist.
 */
export function createLoaders(db: ScopedDb<Tx>, identity: Identity | null) {
  const me = identity?.userId ?? '';
  return {
    student: byIdLoader((ids) => db.run((tx) => findVisibleStudents(tx, identity, uuids(ids)))),
    family: byIdLoader((ids) => db.run((tx) => findVisibleFamilies(tx, identity, uuids(ids)))),
    /** User → their student record (User.studentRecord), one query for a page of users. */
    studentOfUser: new DataLoader<string, Student | null>(async (userIds) => {
      const rows = await db.run((tx) => findVisibleStudentsOfUsers(tx, identity, uuids(userIds)));
      const byUser = new Map(rows.map((row) => [row.userId, row]));
      return userIds.map((id) => byUser.get(id) ?? null);
    }),
    visibleStudentsOfFamily: groupLoader((ids) => db.run((tx) => findVisibleStudentsOfFamilies(tx, identity, uuids(ids))), (row) => row.familyId ?? ''),
    /** Every guardian of a family: the linked-guardian rules read it, so it is not visibility-filtered. */
    guardiansOfFamily: groupLoader((ids) => db.run((tx) => guardiansOfFamilies(tx, uuids(ids))), (row) => row.familyId),
    /** Student → assigned to the calling staff member? */
    assignedToMe: setLoader((ids) => (identity && ids.length ? db.run((tx) => assignedStudentIds(tx, me, ids)) : Promise.resolve(new Set()))),
    /** Family → has a student in the caller's caseload? */
    familyInCaseload: setLoader((ids) => (identity && ids.length ? db.run((tx) => familiesInCaseload(tx, identity, ids)) : Promise.resolve(new Set()))),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
