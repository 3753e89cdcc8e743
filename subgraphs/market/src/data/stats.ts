import { tenantFilter, type Identity } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import type { MongoDb } from './assets.ts';
import { ASSETS_COLLECTION } from './assets.ts';

type Tx = Prisma.TransactionClient;

/**
 * Aggregates of the caller's tenant (all tenants for system reach) for analysts: counts only, no
 * row and no personal field leaves this function.
 */
export async function marketStats(tx: Tx, mongo: MongoDb, identity: Identity) {
  const scope = tenantFilter(identity);
  const byStatus = await tx.property.groupBy({ by: ['status'], where: scope, _count: { _all: true }, orderBy: { status: 'asc' } });
  const listedAssets = await mongo.collection(ASSETS_COLLECTION).countDocuments({ ...scope, isListed: true });
  return { properties: byStatus.map((row) => ({ status: row.status, count: row._count._all })), listedAssets };
}
