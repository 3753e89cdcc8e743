import { uuidsOnly, type Identity, type PageQuery } from '@pathway/kit';
import type { Prisma, Transaction } from '../generated/prisma/client.ts';
import { transactionAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;
type Page = Pick<PageQuery, 'where' | 'orderBy'>;

const visible = (identity: Identity, where: Prisma.TransactionWhereInput): Prisma.TransactionWhereInput => ({
  AND: [transactionAccess.where(identity), where],
});

export function findTransactionsByIds(tx: Tx, identity: Identity, ids: readonly string[]): Promise<Transaction[]> {
  return tx.transaction.findMany({ where: visible(identity, { id: { in: uuidsOnly(ids) } }) });
}

export function visibleTransactionIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.transaction.findMany({ where: visible(identity, { id: { in: uuidsOnly(ids) } }), select: { id: true } });
}

/** History per person (as seller or buyer), per listing or per asset, newest first, as far as the caller may see it. */
export function transactionsBy(field: 'party' | 'propertyId' | 'assetId') {
  return (tx: Tx, identity: Identity, keys: readonly string[], page: Page): Promise<Transaction[]> => {
    const ids = uuidsOnly(keys);
    const of: Prisma.TransactionWhereInput =
      field === 'party' ? { OR: [{ sellerId: { in: ids } }, { buyerId: { in: ids } }] } : { [field]: { in: ids } };
    return tx.transaction.findMany({ where: visible(identity, { AND: [of, page.where] }), orderBy: page.orderBy });
  };
}
