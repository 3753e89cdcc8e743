import { byIdLoader, groupLoader, type ScopedDb } from '@pathway/kit';
import type { Prisma } from './generated/prisma/client.ts';
import { findTenantsByIds, findUsersByIds, roleNamesOfUsers } from './data/users.ts';

type Tx = Prisma.TransactionClient;

/** Per-request batching: every lookup by id in one GraphQL request becomes one query per kind. */
export function createLoaders(db: ScopedDb<Tx>) {
  return {
    user: byIdLoader((ids) => db.run((tx) => findUsersByIds(tx, ids))),
    tenant: byIdLoader((ids) => db.run((tx) => findTenantsByIds(tx, ids))),
    rolesOfUser: groupLoader((ids) => db.run((tx) => roleNamesOfUsers(tx, ids)), (row) => row.userId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
