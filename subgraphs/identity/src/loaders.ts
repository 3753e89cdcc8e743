import type { Db } from 'mongodb';
import { byIdLoader, callerReads, groupLoader, pagedGroupLoader, primeVisible, type Identity, type ScopedDb } from '@pathway/kit';
import type { AccountHistory, Prisma } from './generated/prisma/client.ts';
import {
  accountHistoryAccess,
  extensionAccess,
  practicalityFactorAccess,
  preferenceAccess,
  profileAccess,
  sessionAccess,
  subscriptionAccess,
  tenantAccess,
  userAccess,
  userRoleAccess,
  integrationAccess,
  webhookEndpointAccess,
} from './access.ts';
import { extensionsOfUsers, factorsOfExtensions } from './data/extensions.ts';
import { historyOfUsers } from './data/history.ts';
import { preferencesOfUsers } from './data/preferences.ts';
import { profilesOf } from './data/profiles.ts';
import { activeSessionsOfUsers } from './data/sessions.ts';
import { findTenantsByIds, findUsersByIds, roleNamesOfUsers } from './data/users.ts';

type Tx = Prisma.TransactionClient;

/**
 * Per-request batching: every lookup by id in one GraphQL request becomes one query per kind. Every
 * loader reads through the caller's access filter (access.ts): what it does not return does not exist
 * for the caller.
 */
export function createLoaders(db: ScopedDb<Tx>, mongo: Db, identity: Identity | null) {
  const { as, confirm } = callerReads(db, identity);
  const read = <T>(fetch: (tx: Tx, who: Identity) => Promise<T[]>): Promise<T[]> => as([], fetch);

  // The confirm loaders of the row rules (`visibleRow`): which of these ids the caller may see.
  const visibleUser = confirm((tx, who, ids) =>
    tx.user.findMany({ where: { AND: [{ id: { in: ids } }, userAccess.where(who)] }, select: { id: true } }),
  );

  return {
    visibleUser,
    visibleTenant: confirm((tx, who, ids) =>
      tx.tenant.findMany({ where: { AND: [{ id: { in: ids } }, tenantAccess.where(who)] }, select: { id: true } }),
    ),
    visibleIntegration: confirm((tx, who, ids) =>
      tx.integration.findMany({ where: { AND: [{ id: { in: ids } }, integrationAccess.where(who)] }, select: { id: true } }),
    ),
    visibleWebhookEndpoint: confirm((tx, who, ids) =>
      tx.webhookEndpoint.findMany({ where: { AND: [{ id: { in: ids } }, webhookEndpointAccess.where(who)] }, select: { id: true } }),
    ),
    user: byIdLoader(async (ids) => primeVisible(visibleUser, await read((tx, who) => findUsersByIds(tx, ids, userAccess.where(who))))),
    tenant: byIdLoader((ids) => read((tx, who) => findTenantsByIds(tx, ids, tenantAccess.where(who)))),
    integration: byIdLoader((ids) =>
      read((tx, who) => tx.integration.findMany({ where: { AND: [{ id: { in: [...ids] } }, integrationAccess.where(who)] } })),
    ),
    rolesOfUser: groupLoader(
      (ids) => read((tx, who) => roleNamesOfUsers(tx, ids, userRoleAccess.where(who))),
      (row) => row.userId,
    ),
    sessionsOfUser: groupLoader(
      (ids) => read((tx, who) => activeSessionsOfUsers(tx, ids, sessionAccess.where(who))),
      (row) => row.userId,
    ),
    // Mongo cannot filter by the person's facility: the tenant boundary is filtered there, the person confirmed here.
    profile: byIdLoader(async (ids) => {
      if (!identity) return [];
      const seen = await visibleUser.loadMany(ids);
      return profilesOf(
        mongo,
        ids.filter((_, i) => seen[i] === true),
        profileAccess.where(identity),
      );
    }),
    preferencesOfUser: groupLoader(
      (ids) => read((tx, who) => preferencesOfUsers(tx, ids, preferenceAccess.where(who))),
      (row) => row.userId,
    ),
    extensionsOfUser: groupLoader(
      (ids) => read((tx, who) => extensionsOfUsers(tx, ids, extensionAccess.where(who))),
      (row) => row.userId,
    ),
    factorsOfExtension: groupLoader(
      (ids) => read((tx, who) => factorsOfExtensions(tx, ids, practicalityFactorAccess.where(who))),
      (row) => row.extensionId,
    ),
    subscriptionsOfUser: groupLoader(
      (ids) =>
        read((tx, who) =>
          tx.userSubscription.findMany({
            where: { AND: [{ userId: { in: [...ids] } }, subscriptionAccess.where(who)] },
            orderBy: { startsAt: 'desc' },
          }),
        ),
      (row) => row.userId,
    ),
    historyOfUser: pagedGroupLoader<AccountHistory, null>({
      sortField: 'createdAt',
      direction: 'desc',
      fetch: (keys, _filter, page) => read((tx, who) => historyOfUsers(tx, keys, accountHistoryAccess.where(who), page)),
      keyOf: (row) => row.userId,
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
