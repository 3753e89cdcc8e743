import { pageQuery, uuidArg, type Identity, type PageArgs } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import type { ExternalRecordFilter } from '../generated/graphql.ts';
import { externalRecordAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;

/** One page of the external records the caller may see, lowest confidence first (the review queue's order). */
export async function listExternalRecords(tx: Tx, identity: Identity, args: PageArgs & { filter?: ExternalRecordFilter | null }) {
  const filter = args.filter ?? {};
  const query = pageQuery(args, 'confidence', 'asc');
  const where: Prisma.ExternalRecordWhereInput = {
    AND: [
      externalRecordAccess.where(identity),
      query.where,
      filter.matchStatus ? { matchStatus: filter.matchStatus } : {},
      filter.dataSource ? { dataSource: filter.dataSource.trim() } : {},
      filter.studentId ? { studentId: uuidArg(filter.studentId, 'filter.studentId') } : {},
    ],
  };
  return { rows: await tx.externalRecord.findMany({ where, orderBy: query.orderBy, take: query.take }), query };
}
