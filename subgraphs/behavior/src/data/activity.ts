import { randomUUID } from 'node:crypto';
import type { Db, Filter } from 'mongodb';
import { badInput, decodeCursor, pageTake, toConnection, type Identity, type Logger, type PageArgs } from '@pathway/kit';
import { userActivityAccess, type ActivityDocument } from '../access.ts';

/**
 * Seed 000's user_activity collection (MongoDB; in tests and dev the project's mongo-wire stand-in):
 * one document per behavior action a person takes, with the seed's three indexes. Documents name
 * the action and the record it touched, never its content.
 */
export const ACTIVITY_COLLECTION = 'user_activity';
const activity = (db: Db) => db.collection<ActivityDocument>(ACTIVITY_COLLECTION);

export async function ensureActivityIndexes(db: Db): Promise<void> {
  await activity(db).createIndexes([
    // 1. A person's history; 2. a person's history over a time range, newest first; 3. usage trends by event type.
    { key: { user_id: 1 }, name: 'user_id' },
    { key: { user_id: 1, timestamp: -1 }, name: 'user_id_timestamp' },
    { key: { event_type: 1 }, name: 'event_type' },
  ]);
}

/** Records one action after its write committed; a failure is logged, never the caller's error (the write stands). */
export async function recordActivity(
  db: Db,
  log: Logger,
  identity: Identity,
  eventType: string,
  entity: { type: string; id: string } | null = null,
): Promise<void> {
  try {
    await activity(db).insertOne({
      _id: randomUUID(),
      user_id: identity.userId,
      tenant_id: identity.tenantId,
      facility_id: identity.facilityId ?? null,
      event_type: eventType,
      entity_type: entity?.type ?? null,
      entity_id: entity?.id ?? null,
      timestamp: new Date(),
    });
  } catch (error) {
    log.warn({ err: error, eventType }, 'user activity not recorded');
  }
}

function range(from: Date | null | undefined, to: Date | null | undefined) {
  if (from && to && from >= to) throw badInput('`from` must be before `to`.', { from: 'not before to' });
  return from || to ? { timestamp: { ...(from ? { $gte: from } : {}), ...(to ? { $lt: to } : {}) } } : {};
}

/** One page of a person's activity that the caller may see, newest first (keyset on timestamp, _id). */
export async function listActivity(
  db: Db,
  identity: Identity,
  args: PageArgs & { userId: string; from?: Date | null; to?: Date | null; eventType?: string | null },
) {
  const take = pageTake(args);
  const after = args.after ? decodeCursor(args.after) : null;
  const resume: Filter<ActivityDocument> = after
    ? { $or: [{ timestamp: { $lt: after.value as Date } }, { timestamp: after.value as Date, _id: { $lt: after.id } }] }
    : {};
  const filter: Filter<ActivityDocument> = {
    $and: [
      userActivityAccess.where(identity),
      { user_id: args.userId },
      range(args.from, args.to),
      args.eventType ? { event_type: args.eventType } : {},
      resume,
    ],
  };
  const docs = await activity(db).find(filter).sort({ timestamp: -1, _id: -1 }).limit(take).toArray();
  return toConnection(
    docs.map((d) => ({ ...d, id: d._id })),
    { take },
    'timestamp',
  );
}

/** Usage per event type and UTC day over a range (admins' aggregation): actions and distinct people. */
export async function activityTrends(db: Db, identity: Identity, args: { from: Date; to: Date; eventType?: string | null }) {
  if (args.to.getTime() - args.from.getTime() > 366 * 86_400_000)
    throw badInput('The range may be at most 366 days.', { to: 'too far from from' });
  const match = {
    $and: [userActivityAccess.where(identity), range(args.from, args.to), args.eventType ? { event_type: args.eventType } : {}],
  };
  const rows = await activity(db)
    .aggregate<{ _id: { eventType: string; day: string }; count: number; users: string[] }>([
      { $match: match },
      {
        $group: {
          _id: { eventType: '$event_type', day: { $dateToString: { format: '%Y-%m-%d', date: '$timestamp' } } },
          count: { $sum: 1 },
          users: { $addToSet: '$user_id' },
        },
      },
      { $sort: { '_id.day': 1, '_id.eventType': 1 } },
    ])
    .toArray();
  return rows.map((r) => ({ eventType: r._id.eventType, day: r._id.day, count: r.count, people: r.users.length }));
}
