import { aggregateFilter, tenantFilter, type Identity } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import type { MongoDb } from './assets.ts';
import { ASSETS_COLLECTION } from './assets.ts';
import { PROJECTS_COLLECTION } from './projects.ts';

type Tx = Prisma.TransactionClient;

/**
 * Aggregates of the caller's tenant (all tenants for system reach) for analysts: counts only, no
 * row and no personal field leaves this function.
 */
export async function marketStats(tx: Tx, mongo: MongoDb, identity: Identity) {
  const scope = tenantFilter(identity);
  const byStatus = await tx.property.groupBy({ by: ['status'], where: scope, _count: { _all: true }, orderBy: { status: 'asc' } });
  const listedAssets = await mongo.collection(ASSETS_COLLECTION).countDocuments({ ...scope, isListed: true });
  // People's records: counted in the caller's aggregate reach; the kit's Count middleware suppresses small ones.
  const reach = aggregateFilter(identity);
  const reservations = await tx.reservation.groupBy({ by: ['status'], where: reach, _count: { _all: true }, orderBy: { status: 'asc' } });
  const projects = await mongo
    .collection(PROJECTS_COLLECTION)
    .aggregate<{ _id: string; count: number }>([
      { $match: reach },
      { $group: { _id: '$status', count: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ])
    .toArray();
  return {
    properties: byStatus.map((row) => ({ status: row.status, count: row._count._all })),
    listedAssets,
    reservationsByStatus: reservations.map((row) => ({ status: row.status, count: row._count._all })),
    projectsByStatus: projects.map((row) => ({ status: row._id, count: row.count })),
  };
}
