import { uuidsOnly, type Identity, type PageQuery } from '@pathway/kit';
import type { Milestone, Outcome, Prisma } from '../generated/prisma/client.ts';
import { courseEnrollmentAccess, milestoneAccess, outcomeAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;
type Page = Pick<PageQuery, 'where' | 'orderBy'>;

/** An enrollment's key for its milestones and outcomes: they are a person's rows in a course. */
export const pairKey = (row: { userId: string; courseId: string }) => `${row.userId}|${row.courseId}`;
const pairsOf = (keys: readonly string[]) => {
  const userIds = new Set<string>();
  const courseIds = new Set<string>();
  for (const key of keys) {
    const [userId, courseId] = key.split('|');
    userIds.add(userId!);
    courseIds.add(courseId!);
  }
  return { userId: { in: uuidsOnly([...userIds]) }, courseId: { in: uuidsOnly([...courseIds]) } };
};

export const findMilestonesByIds = (tx: Tx, identity: Identity, ids: readonly string[]) =>
  tx.milestone.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, milestoneAccess.where(identity)] } });
export const findOutcomesByIds = (tx: Tx, identity: Identity, ids: readonly string[]) =>
  tx.outcome.findMany({ where: { AND: [{ id: { in: uuidsOnly(ids) } }, outcomeAccess.where(identity)] } });

/** Completed milestones per (person, course) key, of the keys asked; one query. */
export async function completedMilestones(tx: Tx, identity: Identity, keys: readonly string[]): Promise<Map<string, number>> {
  const groups = await tx.milestone.groupBy({
    by: ['userId', 'courseId'],
    where: { AND: [pairsOf(keys), { isCompleted: true }, milestoneAccess.where(identity)] },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [pairKey(g), g._count._all]));
}

/** Outcomes of several (person, course) keys (the caller cuts them to each key). */
export const outcomesOfPairs = (tx: Tx, identity: Identity, keys: readonly string[]): Promise<Outcome[]> =>
  tx.outcome.findMany({ where: { AND: [pairsOf(keys), outcomeAccess.where(identity)] }, orderBy: { createdAt: 'asc' } });

/** Milestones of several (person, course) keys, for the paged loader. */
export const milestonesOfPairs = (tx: Tx, identity: Identity, keys: readonly string[], page: Page): Promise<Milestone[]> =>
  tx.milestone.findMany({ where: { AND: [pairsOf(keys), milestoneAccess.where(identity), page.where] }, orderBy: page.orderBy });

/** Outcomes of several people, for the paged loader. */
export const outcomesOfUsers = (tx: Tx, identity: Identity, userIds: readonly string[], page: Page): Promise<Outcome[]> =>
  tx.outcome.findMany({
    where: { AND: [{ userId: { in: uuidsOnly(userIds) } }, outcomeAccess.where(identity), page.where] },
    orderBy: page.orderBy,
  });

export interface LearningTotals {
  coursesEnrolled: number;
  coursesCompleted: number;
  milestonesCompleted: number;
  timeSpentSeconds: number;
  lastActivityAt: Date | null;
  outcomes: number;
}

/** Totals per person over what the caller may see of them: four grouped queries for any number of people. */
export async function learningTotals(tx: Tx, identity: Identity, userIds: readonly string[]): Promise<Map<string, LearningTotals>> {
  const users = { userId: { in: uuidsOnly(userIds) } };
  const [enrollments, milestones, outcomes, completed] = await Promise.all([
    tx.courseEnrollment.groupBy({
      by: ['userId'],
      where: { AND: [users, { deletedAt: null }, courseEnrollmentAccess.where(identity)] },
      _count: { _all: true },
      _sum: { totalActivitySeconds: true },
      _max: { lastActivityAt: true },
    }),
    tx.milestone.groupBy({
      by: ['userId'],
      where: { AND: [users, { isCompleted: true }, milestoneAccess.where(identity)] },
      _count: { _all: true },
    }),
    tx.outcome.groupBy({ by: ['userId'], where: { AND: [users, outcomeAccess.where(identity)] }, _count: { _all: true } }),
    tx.outcome.groupBy({
      by: ['userId'],
      where: { AND: [users, { type: 'progress_completion' }, outcomeAccess.where(identity)] },
      _count: { _all: true },
    }),
  ]);
  const totals = new Map<string, LearningTotals>();
  for (const id of userIds)
    totals.set(id, {
      coursesEnrolled: 0,
      coursesCompleted: 0,
      milestonesCompleted: 0,
      timeSpentSeconds: 0,
      lastActivityAt: null,
      outcomes: 0,
    });
  for (const e of enrollments)
    Object.assign(totals.get(e.userId)!, {
      coursesEnrolled: e._count._all,
      timeSpentSeconds: e._sum.totalActivitySeconds ?? 0,
      lastActivityAt: e._max.lastActivityAt,
    });
  for (const m of milestones) totals.get(m.userId)!.milestonesCompleted = m._count._all;
  for (const o of outcomes) totals.get(o.userId)!.outcomes = o._count._all;
  for (const c of completed) totals.get(c.userId)!.coursesCompleted = c._count._all;
  return totals;
}
