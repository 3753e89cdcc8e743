import type { Db, Filter } from 'mongodb';
import { badInput, decodeCursor, encodeCursor, pageTake, toConnection, type Identity, type PageArgs } from '@pathway/kit';
import { contentActivityAccess, contentUsageAccess, type ContentActivityDocument } from '../access.ts';
import type { ContentKind } from './open-content.ts';

/**
 * Open-content activity (MongoDB; in tests and dev the mongo-wire stand-in): one document per
 * session, i.e. a person opening a library, video or helpful link, kept alive by heartbeats. High
 * volume, append-mostly; the summaries below are aggregation pipelines over it.
 */
export const CONTENT_ACTIVITY_COLLECTION = 'open_content_activity';
export const contentActivity = (db: Db) => db.collection<ContentActivityDocument>(CONTENT_ACTIVITY_COLLECTION);

export async function ensureContentActivityIndexes(db: Db): Promise<void> {
  await contentActivity(db).createIndexes([
    // 1. A person's sessions and summary, newest first (User.openContentSessions / openContentActivity).
    { key: { tenant_id: 1, user_id: 1, opened_at: -1 }, name: 'tenant_user_opened' },
    // 2. One item's usage by month (Library.usage, openContentUsage narrowed to an item).
    { key: { tenant_id: 1, kind: 1, content_id: 1, opened_at: -1 }, name: 'tenant_item_opened' },
    // 3. Usage within a facility's reach over a range (openContentUsage of a facility administrator).
    { key: { tenant_id: 1, facility_id: 1, opened_at: -1 }, name: 'tenant_facility_opened' },
  ]);
}

export interface Range {
  from?: Date | null;
  to?: Date | null;
}

function openedIn({ from, to }: Range): Filter<ContentActivityDocument> {
  if (from && to && from >= to) throw badInput('`from` must be before `to`.', { from: 'not before to' });
  return from || to ? { opened_at: { ...(from ? { $gte: from } : {}), ...(to ? { $lt: to } : {}) } } : {};
}

/** A session by id, as the caller may see it (their own, or within reach with learning.enrollment.read). */
export const findSession = (db: Db, identity: Identity, id: string) =>
  contentActivity(db).findOne({ $and: [{ _id: id }, contentActivityAccess.where(identity)] });

/** One page of a person's sessions that the caller may see, newest first (keyset on opened_at, _id). */
export async function listSessions(db: Db, identity: Identity, userId: string, args: PageArgs & Range & { kind?: ContentKind | null }) {
  const take = pageTake(args);
  const after = args.after ? decodeCursor(args.after) : null;
  if (after && !(after.value instanceof Date)) throw badInput('The `after` cursor is not one this API returned. Start again without it.');
  const resume: Filter<ContentActivityDocument> = after
    ? { $or: [{ opened_at: { $lt: after.value as Date } }, { opened_at: after.value as Date, _id: { $lt: after.id } }] }
    : {};
  const filter: Filter<ContentActivityDocument> = {
    $and: [contentActivityAccess.where(identity), { user_id: userId }, openedIn(args), args.kind ? { kind: args.kind } : {}, resume],
  };
  const docs = await contentActivity(db).find(filter).sort({ opened_at: -1, _id: -1 }).limit(take).toArray();
  return toConnection(
    docs.map((d) => ({ ...d, id: d._id, openedAt: d.opened_at })),
    { take },
    'openedAt',
  );
}

interface KindTotals {
  _id: ContentKind;
  sessions: number;
  seconds: number;
  last: Date | null;
}

/** A person's totals (time, sessions, last opened), overall and per kind: one $group pipeline. */
export async function personSummary(db: Db, identity: Identity, userId: string, range: Range) {
  const rows = await contentActivity(db)
    .aggregate<KindTotals>([
      { $match: { $and: [contentActivityAccess.where(identity), { user_id: userId }, openedIn(range)] } },
      { $group: { _id: '$kind', sessions: { $sum: 1 }, seconds: { $sum: '$duration_seconds' }, last: { $max: '$opened_at' } } },
      { $sort: { _id: 1 } },
    ])
    .toArray();
  const byKind = rows.map((r) => ({ kind: r._id, sessions: r.sessions, totalSeconds: r.seconds, lastOpenedAt: r.last }));
  const last = byKind.reduce<Date | null>((m, r) => (r.lastOpenedAt && (!m || r.lastOpenedAt > m) ? r.lastOpenedAt : m), null);
  return {
    sessions: byKind.reduce((n, r) => n + r.sessions, 0),
    totalSeconds: byKind.reduce((n, r) => n + r.totalSeconds, 0),
    lastOpenedAt: last,
    byKind,
  };
}

export interface ItemUsage {
  id: string;
  kind: ContentKind;
  contentId: string;
  people: number;
  sessions: number;
  totalSeconds: number;
  lastOpenedAt: Date | null;
  byMonth: { month: string; people: number; sessions: number; totalSeconds: number }[];
}

interface UsageRow {
  _id: { kind: ContentKind; content_id: string };
  key: string;
  people: number;
  sessions: number;
  seconds: number;
  last: Date;
  months: { month: string; people: number; sessions: number; seconds: number }[];
}

/**
 * Usage per item within the caller's reach (distinct people, sessions, time, last opened, by UTC
 * month), paged by item key (kind:contentId) so that no cursor carries a count. Two $group stages:
 * per item and month, then per item; distinct people per item come from the union of the months' sets.
 */
export async function itemUsage(
  db: Db,
  identity: Identity,
  args: PageArgs & Range & { kind?: ContentKind | null; contentId?: string | null },
): Promise<{ rows: ItemUsage[]; take: number }> {
  const take = pageTake(args);
  const after = args.after ? decodeCursor(args.after) : null;
  const match: Filter<ContentActivityDocument> = {
    $and: [
      contentUsageAccess.where(identity),
      openedIn(args),
      args.kind ? { kind: args.kind } : {},
      args.contentId ? { content_id: args.contentId } : {},
    ],
  };
  const rows = await contentActivity(db)
    .aggregate<UsageRow>([
      { $match: match },
      {
        $group: {
          _id: { kind: '$kind', content_id: '$content_id', month: { $dateToString: { format: '%Y-%m', date: '$opened_at' } } },
          users: { $addToSet: '$user_id' },
          sessions: { $sum: 1 },
          seconds: { $sum: '$duration_seconds' },
          last: { $max: '$opened_at' },
        },
      },
      { $sort: { '_id.month': 1 } },
      {
        $group: {
          _id: { kind: '$_id.kind', content_id: '$_id.content_id' },
          userSets: { $push: '$users' },
          sessions: { $sum: '$sessions' },
          seconds: { $sum: '$seconds' },
          last: { $max: '$last' },
          months: { $push: { month: '$_id.month', people: { $size: '$users' }, sessions: '$sessions', seconds: '$seconds' } },
        },
      },
      {
        $project: {
          key: { $concat: ['$_id.kind', ':', '$_id.content_id'] },
          people: { $size: { $reduce: { input: '$userSets', initialValue: [], in: { $setUnion: ['$$value', '$$this'] } } } },
          sessions: 1,
          seconds: 1,
          last: 1,
          months: 1,
        },
      },
      ...(after ? [{ $match: { key: { $gt: after.id } } }] : []),
      { $sort: { key: 1 } },
      { $limit: take },
    ])
    .toArray();
  return {
    take,
    rows: rows.map((r) => ({
      id: r.key,
      kind: r._id.kind,
      contentId: r._id.content_id,
      people: r.people,
      sessions: r.sessions,
      totalSeconds: r.seconds,
      lastOpenedAt: r.last,
      byMonth: r.months.map((m) => ({ month: m.month, people: m.people, sessions: m.sessions, totalSeconds: m.seconds })),
    })),
  };
}

/** The connection over `itemUsage` rows: cursors name the item only. */
export function usageConnection(rows: ItemUsage[], take: number) {
  const nodes = rows.slice(0, take - 1);
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor(null, node.id) }));
  return { edges, nodes, pageInfo: { hasNextPage: rows.length > nodes.length, endCursor: edges.at(-1)?.cursor ?? null } };
}
