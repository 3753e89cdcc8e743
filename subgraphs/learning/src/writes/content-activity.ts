import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { conflict, notFound, uuidArg, type Identity } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import type { ContentActivityDocument } from '../access.ts';
import { contentActivity } from '../data/content-activity.ts';
import type { ContentKind } from '../data/open-content.ts';
import { visibleItem } from './content-visibility.ts';

/**
 * Time is counted from the server's clock, never a client's figure: each heartbeat adds the time
 * since the one before, but at most this much, so a tab left open overnight counts minutes, not hours.
 */
export const MAX_HEARTBEAT_GAP_SECONDS = 300;

/** Opens a session on an item the caller may see (NOT_FOUND otherwise); the item is checked in Postgres. */
export async function openSession(
  read: <T>(fn: (tx: Prisma.TransactionClient) => Promise<T>) => Promise<T>,
  db: Db,
  identity: Identity,
  kind: ContentKind,
  id: string,
): Promise<ContentActivityDocument> {
  const item = await read((tx) => visibleItem(tx, identity, kind, id));
  const now = new Date();
  const doc: ContentActivityDocument = {
    _id: randomUUID(),
    tenant_id: identity.tenantId,
    facility_id: identity.facilityId ?? null,
    user_id: identity.userId,
    kind,
    content_id: item.id,
    opened_at: now,
    last_seen_at: now,
    closed_at: null,
    duration_seconds: 0,
  };
  await contentActivity(db).insertOne(doc);
  return doc;
}

/**
 * A heartbeat on one of the caller's own open sessions, or its end (`closed`). Someone else's
 * session is NOT_FOUND; a closed one is CONFLICT (INVALID_TRANSITION). The update is conditional
 * on the last heartbeat read, so two heartbeats at once never count the same gap twice.
 */
export async function touchSession(db: Db, identity: Identity, sessionId: string, closed: boolean): Promise<ContentActivityDocument> {
  const id = uuidArg(sessionId, 'sessionId')!;
  const own = { _id: id, user_id: identity.userId, tenant_id: identity.tenantId };
  for (let attempt = 0; attempt < 5; attempt++) {
    const session = await contentActivity(db).findOne(own);
    if (!session) throw notFound('The session');
    if (session.closed_at)
      throw conflict('The session is closed; open a new one.', {
        reason: 'INVALID_TRANSITION',
        from: 'closed',
        to: closed ? 'closed' : 'open',
        allowed: [],
      });
    const now = new Date();
    const gap = Math.max(0, Math.min(MAX_HEARTBEAT_GAP_SECONDS, Math.floor((now.getTime() - session.last_seen_at.getTime()) / 1000)));
    const next = { last_seen_at: now, duration_seconds: session.duration_seconds + gap, closed_at: closed ? now : null };
    const { modifiedCount } = await contentActivity(db).updateOne(
      { ...own, last_seen_at: session.last_seen_at, closed_at: null },
      { $set: next },
    );
    if (modifiedCount === 1) return { ...session, ...next };
  }
  // Other heartbeats kept winning: they counted this moment already.
  const current = await contentActivity(db).findOne(own);
  if (!current) throw notFound('The session');
  return current;
}
