import { pageQuery, uuidArg, type Identity, type PageArgs } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import type { CommunicationLogFilter } from '../generated/graphql.ts';
import { communicationInboxAccess, communicationLogAccess, communicationLogManageAccess, communicationRuleAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;

export const listRules = (tx: Tx, identity: Identity) =>
  tx.communicationRule.findMany({ where: communicationRuleAccess.where(identity), orderBy: [{ name: 'asc' }, { id: 'asc' }] });

export const findVisibleLogs = (tx: Tx, identity: Identity, where: Prisma.CommunicationLogWhereInput) =>
  tx.communicationLog.findMany({ where: { AND: [where, communicationLogAccess.where(identity)] } });

/** One page of the messages of the administrator's reach, newest first. */
export async function listLogs(tx: Tx, identity: Identity, args: PageArgs & { filter?: CommunicationLogFilter | null }) {
  const filter = args.filter ?? {};
  const query = pageQuery(args, 'queuedAt', 'desc');
  const where: Prisma.CommunicationLogWhereInput = {
    AND: [
      communicationLogManageAccess.where(identity),
      query.where,
      filter.status ? { status: filter.status } : {},
      filter.studentId ? { studentId: uuidArg(filter.studentId, 'filter.studentId') } : {},
      filter.guardianId ? { guardianId: uuidArg(filter.guardianId, 'filter.guardianId') } : {},
      filter.requestId ? { requestId: uuidArg(filter.requestId, 'filter.requestId') } : {},
    ],
  };
  return { rows: await tx.communicationLog.findMany({ where, orderBy: query.orderBy, take: query.take }), query };
}

/** One page of the caller's own sent messages (as a guardian), newest first. */
export async function listInbox(tx: Tx, identity: Identity, args: PageArgs) {
  const query = pageQuery(args, 'queuedAt', 'desc');
  const where = { AND: [communicationInboxAccess.where(identity), { status: 'sent' }, query.where] };
  return { rows: await tx.communicationLog.findMany({ where, orderBy: query.orderBy, take: query.take }), query };
}
