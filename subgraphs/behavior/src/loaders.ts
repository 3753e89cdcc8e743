import DataLoader from 'dataloader';
import type { Db } from 'mongodb';
import {
  byIdLoader,
  callerReads,
  groupLoader,
  pagedGroupLoader,
  primeVisible,
  uuidsOnly,
  type EntityAccess,
  type Identity,
  type ScopedDb,
} from '@pathway/kit';
import type {
  BehaviorChange,
  BehaviorRequest,
  Intervention,
  Prisma,
  ProgressNote,
  Reflection,
  Student,
} from './generated/prisma/client.ts';
import {
  communicationLogAccess,
  communicationLogManageAccess,
  externalRecordAccess,
  familyAccess,
  insightAccess,
  guardianAccess,
  guardianContactAccess,
  interventionAccess,
  reflectionAccess,
  reflectionContentAccess,
  requestAccess,
  requestDetailAccess,
  studentAccess,
  studentDetailAccess,
  type UserInsightsDocument,
} from './access.ts';
import { findVisibleRequests, interventionsBy, notesOfInterventions, requestsOfStudents } from './data/requests.ts';
import { assignmentsOfStudents, caseloadStudents, childrenOf } from './data/caseloads.ts';
import { changesOfEntities, changesOfFamilies, changesOfStudents } from './data/changes.ts';
import { findVisibleLogs } from './data/communications.ts';
import { findVisibleFamilies } from './data/families.ts';
import { insightsOfStudents } from './data/insights.ts';
import { findVisibleGuardians, findVisibleGuardiansOfFamilies } from './data/guardians.ts';
import { findVisibleStudents } from './data/students.ts';
import { findUserInsights } from './data/user-insights.ts';

type Tx = Prisma.TransactionClient;
type IdsWhere<W> = { AND: [{ id: { in: string[] } }, W] };

/**
 * Per-request batching. Entity loaders return only rows the caller may see (null otherwise), so a
 * lookup outside their reach is indistinguishable from one that does not exist; what they read is
 * primed into the entity's confirm loader, so the shield row rules ask the database nothing more.
 */
export function createLoaders(db: ScopedDb<Tx>, identity: Identity | null, mongo: Db) {
  const { as, confirm } = callerReads(db, identity);
  /** "Which of these ids may the caller see under `access`?", one query per batch (for `visibleRow`). */
  const confirmUnder = <W>(access: EntityAccess<W>, find: (tx: Tx, where: IdsWhere<W>) => Promise<{ id: string }[]>) =>
    confirm((tx, who, ids) => find(tx, { AND: [{ id: { in: uuidsOnly(ids) } }, access.where(who)] }));

  const visible = {
    student: confirmUnder(studentAccess, (tx, where) => tx.student.findMany({ where, select: { id: true } })),
    family: confirmUnder(familyAccess, (tx, where) => tx.family.findMany({ where, select: { id: true } })),
    guardian: confirmUnder(guardianAccess, (tx, where) => tx.guardian.findMany({ where, select: { id: true } })),
    guardianContact: confirmUnder(guardianContactAccess, (tx, where) => tx.guardian.findMany({ where, select: { id: true } })),
    studentDetail: confirmUnder(studentDetailAccess, (tx, where) => tx.student.findMany({ where, select: { id: true } })),
    request: confirmUnder(requestAccess, (tx, where) => tx.behaviorRequest.findMany({ where, select: { id: true } })),
    requestDetail: confirmUnder(requestDetailAccess, (tx, where) => tx.behaviorRequest.findMany({ where, select: { id: true } })),
    intervention: confirmUnder(interventionAccess, (tx, where) => tx.intervention.findMany({ where, select: { id: true } })),
    reflection: confirmUnder(reflectionAccess, (tx, where) => tx.reflection.findMany({ where, select: { id: true } })),
    reflectionContent: confirmUnder(reflectionContentAccess, (tx, where) => tx.reflection.findMany({ where, select: { id: true } })),
    communicationLog: confirmUnder(communicationLogAccess, (tx, where) => tx.communicationLog.findMany({ where, select: { id: true } })),
    insight: confirmUnder(insightAccess, (tx, where) => tx.behaviorInsight.findMany({ where, select: { id: true } })),
    externalRecord: confirmUnder(externalRecordAccess, (tx, where) => tx.externalRecord.findMany({ where, select: { id: true } })),
    communicationLogDetail: confirmUnder(communicationLogManageAccess, (tx, where) =>
      tx.communicationLog.findMany({ where, select: { id: true } }),
    ),
  };

  /** Change log pages of students or families, newest first (the shield has decided on the student or family). */
  const changePages = (fetch: typeof changesOfStudents, keyOf: (row: BehaviorChange) => string) =>
    pagedGroupLoader<BehaviorChange, null>({
      sortField: 'at',
      direction: 'desc',
      fetch: (keys, _f, page) => as([], (tx) => fetch(tx, keys, page)),
      keyOf,
    });

  /** Students per person (a caseload, a guardian's children) that the caller may see, recorded as visible. */
  const studentsPer = (read: (tx: Tx, who: Identity, keys: string[]) => Promise<{ key: string; student: Student }[]>) =>
    groupLoader(
      async (keys) => {
        const rows = await as([], (tx, who) => read(tx, who, uuidsOnly(keys)));
        primeVisible(
          visible.student,
          rows.map((r) => r.student),
        );
        return rows;
      },
      (row) => row.key,
    );

  /** Reads rows through their access filter and records them as visible. */
  const readVisible = async <T extends { id: string }>(
    confirmLoader: DataLoader<string, boolean>,
    read: (tx: Tx, who: Identity) => Promise<T[]>,
  ) => primeVisible(confirmLoader, await as([], read));

  return {
    visible,
    student: byIdLoader((ids) => readVisible(visible.student, (tx, who) => findVisibleStudents(tx, who, { id: { in: uuidsOnly(ids) } }))),
    family: byIdLoader((ids) => readVisible(visible.family, (tx, who) => findVisibleFamilies(tx, who, { id: { in: uuidsOnly(ids) } }))),
    guardian: byIdLoader((ids) =>
      readVisible(visible.guardian, (tx, who) => findVisibleGuardians(tx, who, { id: { in: uuidsOnly(ids) } })),
    ),
    /** User → their student record (User.studentRecord), one query for a page of users. */
    studentOfUser: new DataLoader<string, Student | null>(async (userIds) => {
      const where = { userId: { in: uuidsOnly(userIds) } };
      const rows = await readVisible(visible.student, (tx, who) => findVisibleStudents(tx, who, where));
      const byUser = new Map(rows.map((row) => [row.userId, row]));
      return userIds.map((id) => byUser.get(id) ?? null);
    }),
    visibleStudentsOfFamily: groupLoader(
      (ids) => readVisible(visible.student, (tx, who) => findVisibleStudents(tx, who, { familyId: { in: uuidsOnly(ids) } })),
      (row) => row.familyId ?? '',
    ),
    visibleGuardiansOfFamily: groupLoader(
      (ids) => readVisible(visible.guardian, (tx, who) => findVisibleGuardiansOfFamilies(tx, who, uuidsOnly(ids))),
      (row) => row.familyId,
    ),
    changesOfStudent: changePages(changesOfStudents, (row) => row.studentId ?? ''),
    changesOfFamily: changePages(changesOfFamilies, (row) => row.familyId ?? ''),
    changesOfEntity: changePages(changesOfEntities, (row) => row.entityId),
    communicationLog: byIdLoader((ids) =>
      readVisible(visible.communicationLog, (tx, who) => findVisibleLogs(tx, who, { id: { in: uuidsOnly(ids) } })),
    ),
    /** Rules by id, for a log's `rule` (the shield has decided on the log's details). */
    communicationRule: byIdLoader((ids) => as([], (tx) => tx.communicationRule.findMany({ where: { id: { in: uuidsOnly(ids) } } }))),
    communicationTemplate: byIdLoader((ids) =>
      as([], (tx) => tx.communicationTemplate.findMany({ where: { id: { in: uuidsOnly(ids) } } })),
    ),
    insight: byIdLoader((ids) =>
      readVisible(visible.insight, (tx, who) =>
        tx.behaviorInsight.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, insightAccess.where(who)] } }),
      ),
    ),
    /** Student → stored insights (the shield has decided on the student's patterns). */
    insightsOfStudent: groupLoader(
      (ids) => as([], (tx) => insightsOfStudents(tx, uuidsOnly(ids))),
      (row) => row.studentId,
    ),
    request: byIdLoader((ids) => readVisible(visible.request, (tx, who) => findVisibleRequests(tx, who, { id: { in: uuidsOnly(ids) } }))),
    requestsOfStudent: pagedGroupLoader<BehaviorRequest, string | null>({
      sortField: 'createdAt',
      direction: 'desc',
      fetch: (keys, status, page) => readVisible(visible.request, (tx, who) => requestsOfStudents(tx, who, keys, status, page)),
      keyOf: (row) => row.studentId,
    }),
    interventionsOfStudent: groupLoader<Intervention>(
      (ids) => readVisible(visible.intervention, (tx, who) => interventionsBy('studentId')(tx, who, [...ids])),
      (row) => row.studentId,
    ),
    interventionsOfRequest: groupLoader<Intervention>(
      (ids) => readVisible(visible.intervention, (tx, who) => interventionsBy('requestId')(tx, who, [...ids])),
      (row) => row.requestId ?? '',
    ),
    /** Request → its reflection, when the caller may know it exists (its content has rules of its own). */
    reflectionOfRequest: new DataLoader<string, Reflection | null>(async (requestIds) => {
      const rows = await readVisible(visible.reflection, (tx, who) =>
        tx.reflection.findMany({ where: { AND: [{ requestId: { in: uuidsOnly(requestIds) } }, reflectionAccess.where(who)] } }),
      );
      const byRequest = new Map(rows.map((row) => [row.requestId, row]));
      return requestIds.map((id) => byRequest.get(id) ?? null);
    }),
    notesOfIntervention: pagedGroupLoader<ProgressNote, null>({
      sortField: 'createdAt',
      direction: 'desc',
      fetch: (keys, _f, page) => as([], (tx) => notesOfInterventions(tx, keys, page)),
      keyOf: (row) => row.interventionId,
    }),
    assignmentsOfStudent: groupLoader(
      (ids) => as([], (tx) => assignmentsOfStudents(tx, uuidsOnly(ids))),
      (row) => row.studentId,
    ),
    caseloadOf: studentsPer(async (tx, who, ids) =>
      (await caseloadStudents(tx, who, ids)).map((r) => ({ key: r.staffId, student: r.student })),
    ),
    childrenOf: studentsPer(async (tx, who, ids) => (await childrenOf(tx, who, ids)).map((r) => ({ key: r.userId, student: r.student }))),
    /** Person → their seed 001 user insights (MongoDB, outside the scoped transaction), as the caller may see them. */
    userInsights: new DataLoader<string, UserInsightsDocument | null>(async (userIds) => {
      const docs = identity ? await findUserInsights(mongo, identity, uuidsOnly(userIds)) : [];
      const byUser = new Map(docs.map((d) => [d.user_id, d]));
      return userIds.map((id) => byUser.get(id) ?? null);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
