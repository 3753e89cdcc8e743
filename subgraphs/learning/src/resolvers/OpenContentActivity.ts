import { shownCount, smallCountThreshold, type Identity } from '@pathway/kit';
import type {
  MutationResolvers,
  OpenContentSessionResolvers,
  OpenContentUsageMonthResolvers,
  OpenContentUsageResolvers,
  QueryResolvers,
} from '../generated/graphql.ts';
import { itemUsage, usageConnection } from '../data/content-activity.ts';
import { openSession, touchSession } from '../writes/content-activity.ts';

const SMALL_COUNT = smallCountThreshold();
/** A figure about few people (total time, when last opened) tells as much as the count: null when the count is suppressed. */
const unlessFew = <T>(identity: Identity, people: number, value: T): T | null =>
  typeof shownCount(identity, people, SMALL_COUNT) === 'string' ? null : value;

// Sessions live in MongoDB (no transaction); the item opened is checked in Postgres first.
export const OpenContentActivityMutation: MutationResolvers = {
  async openContentSession(_, { kind, id }, ctx) {
    const session = await openSession((fn) => ctx.db.read(fn), ctx.mongo, ctx.identity, kind, id);
    return { sessionId: session._id, session };
  },

  async recordOpenContentActivity(_, { sessionId, closed }, ctx) {
    const session = await touchSession(ctx.mongo, ctx.identity, sessionId, closed ?? false);
    return { sessionId: session._id, session };
  },
};

export const OpenContentActivityQuery: QueryResolvers = {
  async openContentUsage(_, args, ctx) {
    const { rows, take } = await itemUsage(ctx.mongo, ctx.identity, args);
    return usageConnection(rows, take);
  },
};

export const OpenContentSession: OpenContentSessionResolvers = {
  id: (doc) => doc._id,
  contentId: (doc) => doc.content_id,
  user: (doc) => ({ id: doc.user_id }),
  facility: (doc) => (doc.facility_id ? { id: doc.facility_id } : null),
  openedAt: (doc) => doc.opened_at,
  lastSeenAt: (doc) => doc.last_seen_at,
  closedAt: (doc) => doc.closed_at,
  durationSeconds: (doc) => doc.duration_seconds,
};

export const OpenContentUsage: OpenContentUsageResolvers = {
  totalSeconds: (usage, _, ctx) => unlessFew(ctx.identity, usage.people, usage.totalSeconds),
  lastOpenedAt: (usage, _, ctx) => unlessFew(ctx.identity, usage.people, usage.lastOpenedAt),
};

export const OpenContentUsageMonth: OpenContentUsageMonthResolvers = {
  totalSeconds: (month, _, ctx) => unlessFew(ctx.identity, month.people, month.totalSeconds),
};
