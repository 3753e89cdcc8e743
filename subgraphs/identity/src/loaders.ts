import type { Db } from 'mongodb';
import { byIdLoader, groupLoader, pagedGroupLoader, reachOf, type Identity, type ScopedDb } from '@pathway/kit';
import type { AccountHistory, Prisma } from './generated/prisma/client.ts';
import { extensionsOfUsers, factorsOfExtensions } from './data/extensions.ts';
import { historyOfUsers } from './data/history.ts';
import { preferencesOfUsers } from './data/preferences.ts';
import { profilesOf } from './data/profiles.ts';
import { activeSessionsOfUsers } from './data/sessions.ts';
import { findTenantsByIds, findUsersByIds, roleNamesOfUsers } from './data/users.ts';

type Tx = Prisma.TransactionClient;

/** Per-request batching: every lookup by id in one GraphQL request becomes one query per kind. */
export function createLoaders(db: ScopedDb<Tx>, mongo: Db, identity: Identity | null) {
  // Mongo has no Row-Level Security: the tenant filter is applied here instead.
  const mongoTenant = identity && reachOf(identity) === 'system' ? null : (identity?.tenantId ?? '-');
  return {
    user: byIdLoader((ids) => db.run((tx) => findUsersByIds(tx, ids))),
    tenant: byIdLoader((ids) => db.run((tx) => findTenantsByIds(tx, ids))),
    integration: byIdLoader((ids) => db.run((tx) => tx.integration.findMany({ where: { id: { in: [...ids] } } }))),
    rolesOfUser: groupLoader(
      (ids) => db.run((tx) => roleNamesOfUsers(tx, ids)),
      (row) => row.userId,
    ),
    sessionsOfUser: groupLoader(
      (ids) => db.run((tx) => activeSessionsOfUsers(tx, ids)),
      (row) => row.userId,
    ),
    profile: byIdLoader((ids) => profilesOf(mongo, ids, mongoTenant)),
    preferencesOfUser: groupLoader(
      (ids) => db.run((tx) => preferencesOfUsers(tx, ids)),
      (row) => row.userId,
    ),
    extensionsOfUser: groupLoader(
      (ids) => db.run((tx) => extensionsOfUsers(tx, ids)),
      (row) => row.userId,
    ),
    factorsOfExtension: groupLoader(
      (ids) => db.run((tx) => factorsOfExtensions(tx, ids)),
      (row) => row.extensionId,
    ),
    subscriptionsOfUser: groupLoader(
      (ids) => db.run((tx) => tx.userSubscription.findMany({ where: { userId: { in: [...ids] } }, orderBy: { startsAt: 'desc' } })),
      (row) => row.userId,
    ),
    historyOfUser: pagedGroupLoader<AccountHistory, null>({
      sortField: 'createdAt',
      direction: 'desc',
      fetch: (keys, _filter, page) => db.run((tx) => historyOfUsers(tx, keys, page)),
      keyOf: (row) => row.userId,
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
