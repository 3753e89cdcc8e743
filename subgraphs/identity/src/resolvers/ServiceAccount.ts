import type { ServiceAccountChangeResolvers, ServiceAccountKeyResolvers, ServiceAccountResolvers } from '../generated/graphql.ts';
import { keysOfAccount, lastUsedOf } from '../data/service-accounts.ts';
import { serviceAccountChangeLog } from '../writes/service-accounts.ts';

/** A key's hash has no field in the schema: the key itself is shown only when issued. */
export const ServiceAccount: ServiceAccountResolvers = {
  keys: (row, _, ctx) => ctx.db.run((tx) => keysOfAccount(tx, row.id)),
  // A creator outside the reader's reach (a system administrator) is null, as any person out of reach.
  createdBy: (row, _, ctx) => (row.createdBy ? ctx.loaders.user.load(row.createdBy) : null),
  changeLog: (row, page, ctx) => serviceAccountChangeLog(ctx, row.id, page),
};

export const ServiceAccountKey: ServiceAccountKeyResolvers = {
  lastUsedAt: async (row, _, ctx) => (await lastUsedOf(ctx.redis, [row.id]))[0] ?? null,
};

export const ServiceAccountChange: ServiceAccountChangeResolvers = {
  actor: (row, _, ctx) => (row.actorId ? ctx.loaders.user.load(row.actorId) : null),
};
