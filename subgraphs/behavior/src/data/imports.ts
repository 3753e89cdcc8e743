import { decodeCursor, encodeCursor, pageQuery, pageTake, type Identity, type PageArgs } from '@pathway/kit';
import { studentImportAccess } from '../access.ts';
import type { ImportRowStatus, StudentImportFilter } from '../generated/graphql.ts';
import type { Prisma, StudentImport } from '../generated/prisma/client.ts';
import type { RejectReason } from '../writes/import/parse.ts';
import type { ReportRow } from '../writes/import/plan.ts';

type Tx = Prisma.TransactionClient;

/** An import as read: never the kept file or the starter's identity. */
export type StudentImportRecord = Omit<StudentImport, 'fileGzip' | 'actor'>;
const OMIT = { fileGzip: true, actor: true } as const;

export const findImport = (tx: Tx, identity: Identity, id: string): Promise<StudentImportRecord | null> =>
  tx.studentImport.findFirst({ where: { AND: [{ id }, studentImportAccess.where(identity)] }, omit: OMIT });

/** One page of the imports the caller may see, newest first. */
export async function listImports(tx: Tx, identity: Identity, args: PageArgs & { filter?: StudentImportFilter | null }) {
  const query = pageQuery(args, 'at', 'desc');
  const where: Prisma.StudentImportWhereInput = {
    AND: [studentImportAccess.where(identity), query.where, args.filter?.status ? { status: args.filter.status } : {}],
  };
  return { rows: await tx.studentImport.findMany({ where, orderBy: query.orderBy, take: query.take, omit: OMIT }), query };
}

/** One page of a job's report rows in file order (keyset on the line). The import itself was already checked visible. */
export async function listImportRows(tx: Tx, importId: string, args: PageArgs & { status?: ImportRowStatus | null }) {
  const take = pageTake(args);
  const afterLine = args.after ? Number(decodeCursor(args.after).value) : 0;
  const rows = await tx.studentImportRow.findMany({
    where: { importId, line: { gt: afterLine }, ...(args.status ? { status: args.status } : {}) },
    orderBy: { line: 'asc' },
    take,
  });
  const nodes: ReportRow[] = rows.slice(0, take - 1).map((r) => ({
    line: r.line,
    studentNumber: r.studentNumber,
    status: r.status as ReportRow['status'],
    studentId: r.studentId,
    familyId: r.familyId,
    rejection: r.reason
      ? { line: r.line, studentNumber: r.studentNumber, reason: r.reason as RejectReason, column: r.column ?? '', message: r.message ?? '' }
      : undefined,
  }));
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor(node.line, `${importId}:${node.line}`) }));
  return { edges, nodes, pageInfo: { hasNextPage: rows.length > nodes.length, endCursor: edges.at(-1)?.cursor ?? null } };
}
