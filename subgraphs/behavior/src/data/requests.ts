import { pageQuery, uuidArg, uuidsOnly, type Identity, type PageQuery } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import type { QueryBehaviorRequestsArgs } from '../generated/graphql.ts';
import { interventionAccess, requestAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;
type Page = Pick<PageQuery, 'where' | 'orderBy'>;

/** The requests the caller may see among those matching `where` (ids of a batch). */
export function findVisibleRequests(tx: Tx, identity: Identity, where: Prisma.BehaviorRequestWhereInput) {
  return tx.behaviorRequest.findMany({ where: { AND: [where, requestAccess.where(identity)] } });
}

/** One page of the requests the caller may see, newest first. */
export async function listRequests(tx: Tx, identity: Identity, args: QueryBehaviorRequestsArgs) {
  const filter = args.filter ?? {};
  const query = pageQuery(args, 'createdAt', 'desc');
  const where: Prisma.BehaviorRequestWhereInput = {
    AND: [
      requestAccess.where(identity),
      query.where,
      filter.status ? { status: filter.status } : {},
      filter.studentId ? { studentId: uuidArg(filter.studentId, 'filter.studentId') } : {},
      filter.teacherId ? { teacherId: uuidArg(filter.teacherId, 'filter.teacherId') } : {},
      filter.behaviorType ? { behaviorType: filter.behaviorType.trim().toLowerCase() } : {},
    ],
  };
  const rows = await tx.behaviorRequest.findMany({ where, orderBy: query.orderBy, take: query.take });
  return { rows, query };
}

/** Requests of these students that the caller may see (one status, or all), for a page per student. */
export function requestsOfStudents(tx: Tx, identity: Identity, studentIds: string[], status: string | null, page: Page) {
  return tx.behaviorRequest.findMany({
    where: { AND: [{ studentId: { in: uuidsOnly(studentIds) } }, status ? { status } : {}, requestAccess.where(identity), page.where] },
    orderBy: page.orderBy,
  });
}

/** Interventions of these students or requests (by `field`) that the caller may see. */
export function interventionsBy(field: 'studentId' | 'requestId') {
  return (tx: Tx, identity: Identity, keys: string[]) =>
    tx.intervention.findMany({
      where: { AND: [{ [field]: { in: uuidsOnly(keys) } }, interventionAccess.where(identity)] },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
}

/** Progress notes of these interventions (the shield decided on the intervention), for a page per intervention. */
export function notesOfInterventions(tx: Tx, interventionIds: string[], page: Page) {
  return tx.progressNote.findMany({
    where: { AND: [{ interventionId: { in: uuidsOnly(interventionIds) } }, page.where] },
    orderBy: page.orderBy,
  });
}
