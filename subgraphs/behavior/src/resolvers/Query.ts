import { primeVisible, tenantFilter, toConnection, uuidArg } from '@pathway/kit';
import type { ResolverContext } from '../context.ts';
import type { QueryResolvers } from '../generated/graphql.ts';
import { listInbox, listLogs, listRules } from '../data/communications.ts';
import { activityTrends, listActivity } from '../data/activity.ts';
import { listExternalRecords } from '../data/external.ts';
import { listFamilies } from '../data/families.ts';
import { findImport, listImports } from '../data/imports.ts';
import { behaviorStats } from '../data/stats.ts';
import { listRequests } from '../data/requests.ts';
import { listStudents } from '../data/students.ts';

/** A page of messages, primed as read and visible (the caller's list filtered them). */
function logConnection(ctx: ResolverContext, { rows, query }: Awaited<ReturnType<typeof listInbox>>) {
  for (const row of rows) ctx.loaders.communicationLog.prime(row.id, row);
  primeVisible(ctx.loaders.visible.communicationLog, rows);
  return toConnection(rows, query, 'queuedAt');
}

export const Query: QueryResolvers = {
  behaviorStats: (_, __, ctx) => ctx.db.read((tx) => behaviorStats(tx, ctx.identity)),

  // The loaders return only what the caller may see: out of reach reads as not found (null).
  student(_, { id }, ctx) {
    uuidArg(id, 'id');
    return ctx.loaders.student.load(id);
  },

  family(_, { id }, ctx) {
    uuidArg(id, 'id');
    return ctx.loaders.family.load(id);
  },

  async students(_, args, ctx) {
    uuidArg(args.filter?.familyId, 'filter.familyId');
    uuidArg(args.filter?.facilityId, 'filter.facilityId');
    const { rows, query, sortField } = await ctx.db.read((tx) => listStudents(tx, ctx.identity, args));
    for (const row of rows) ctx.loaders.student.prime(row.id, row);
    primeVisible(ctx.loaders.visible.student, rows);
    return toConnection(rows, query, sortField);
  },

  communicationTemplates: (_, __, ctx) =>
    ctx.db.read((tx) =>
      tx.communicationTemplate.findMany({ where: tenantFilter(ctx.identity), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    ),

  communicationRules: (_, __, ctx) => ctx.db.read((tx) => listRules(tx, ctx.identity)),

  async communicationLogs(_, args, ctx) {
    const page = await ctx.db.read((tx) => listLogs(tx, ctx.identity, args));
    primeVisible(ctx.loaders.visible.communicationLogDetail, page.rows);
    return logConnection(ctx, page);
  },

  communicationLog: (_, { id }, ctx) => ctx.loaders.communicationLog.load(id),

  communicationInbox: async (_, args, ctx) => logConnection(ctx, await ctx.db.read((tx) => listInbox(tx, ctx.identity, args))),

  async externalRecords(_, args, ctx) {
    const { rows, query } = await ctx.db.read((tx) => listExternalRecords(tx, ctx.identity, args));
    primeVisible(ctx.loaders.visible.externalRecord, rows);
    return toConnection(rows, query, 'confidence');
  },

  userActivity: (_, args, ctx) => listActivity(ctx.mongo, ctx.identity, { ...args, userId: uuidArg(args.userId, 'userId')! }),
  userActivityTrends: (_, args, ctx) => activityTrends(ctx.mongo, ctx.identity, args),
  userInsights: (_, { userId }, ctx) => ctx.loaders.userInsights.load(uuidArg(userId, 'userId')!),

  behaviorInsight: (_, { id }, ctx) => ctx.loaders.insight.load(id),

  behaviorRequest: (_, { id }, ctx) => ctx.loaders.request.load(id),

  async behaviorRequests(_, args, ctx) {
    const { rows, query } = await ctx.db.read((tx) => listRequests(tx, ctx.identity, args));
    for (const row of rows) ctx.loaders.request.prime(row.id, row);
    primeVisible(ctx.loaders.visible.request, rows);
    return toConnection(rows, query, 'createdAt');
  },

  async families(_, args, ctx) {
    const { rows, query, sortField } = await ctx.db.read((tx) => listFamilies(tx, ctx.identity, args));
    for (const row of rows) ctx.loaders.family.prime(row.id, row);
    primeVisible(ctx.loaders.visible.family, rows);
    return toConnection(rows, query, sortField);
  },

  studentImport: (_, { id }, ctx) => ctx.db.read((tx) => findImport(tx, ctx.identity, uuidArg(id, 'id')!)),

  async studentImports(_, args, ctx) {
    const { rows, query } = await ctx.db.read((tx) => listImports(tx, ctx.identity, args));
    return toConnection(rows, query, 'at');
  },
};
