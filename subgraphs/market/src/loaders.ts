import { byIdLoader, groupLoader, perPage, type Identity, type ScopedDb } from '@pathway/kit';
import type { Prisma } from './generated/prisma/client.ts';
import { assetsOfOwners, findAssetsByIds, type MongoDb } from './data/assets.ts';
import { findPropertiesByIds, propertiesOfOwners } from './data/properties.ts';

type Tx = Prisma.TransactionClient;

/**
 * Per-request batching: every lookup by id, and every per-person list of a User field, becomes one
 * query per kind. Nobody signed in sees nothing (the data functions need an identity to scope by).
 */
export function createLoaders(db: ScopedDb<Tx>, mongo: MongoDb, identity: Identity | null) {
  const as = <T>(fetch: (who: Identity) => Promise<T[]>) => (identity ? fetch(identity) : Promise.resolve([]));
  return {
    property: byIdLoader((ids) => as((who) => db.run((tx) => findPropertiesByIds(tx, who, ids)))),
    asset: byIdLoader((ids) => as((who) => findAssetsByIds(mongo, who, ids))),
    listingsOf: perPage((page) =>
      groupLoader(
        (owners) => as((who) => db.run((tx) => propertiesOfOwners(tx, who, owners, page))),
        (row) => row.ownerId,
      ),
    ),
    assetsOf: perPage((page) =>
      groupLoader(
        (owners) => as((who) => assetsOfOwners(mongo, who, owners, page)),
        (row) => row.ownerId,
      ),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
