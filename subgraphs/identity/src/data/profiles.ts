import type { Identity, ProfileRef } from '@pathway/kit';
import type { Db, Filter } from 'mongodb';

/** A person's profile document (seed 004 user profiles), keyed by user id, in identity's Mongo database. */
export interface ProfileDoc {
  _id: string;
  /** Kept on the document so every read can be filtered by tenant: Mongo has no Row-Level Security. */
  tenantId: string;
  avatarUrl: string | null;
  bio: string | null;
  socialLinks: Record<string, string>;
  skills: string[];
  interests: string[];
  goals: string[];
  updatedAt: Date;
}

const profiles = (db: Db) => db.collection<ProfileDoc>('profiles');

/** Profiles of `userIds` that `visible` (the caller's access filter, access.ts) lets through. */
export async function profilesOf(db: Db, userIds: readonly string[], visible: Filter<ProfileDoc>) {
  const docs = await profiles(db)
    .find({ $and: [{ _id: { $in: [...userIds] } }, visible] })
    .toArray();
  return docs.map((doc) => ({ ...doc, id: doc._id }));
}

export async function saveProfile(
  db: Db,
  userId: string,
  tenantId: string,
  fields: Partial<Omit<ProfileDoc, '_id' | 'tenantId' | 'updatedAt'>>,
) {
  const blank = { avatarUrl: null, bio: null, socialLinks: {}, skills: [], interests: [], goals: [] };
  const existing = await profiles(db).findOne({ _id: userId, tenantId });
  const next: ProfileDoc = { ...blank, ...(existing ?? {}), ...fields, _id: userId, tenantId, updatedAt: new Date() };
  await profiles(db).replaceOne({ _id: userId }, next, { upsert: true });
  return { before: existing, after: next };
}

/** The caller's own stated skills, interests and goals, for another subgraph's lookup (kit references.ts): nobody else's. */
export async function ownProfileRefs(db: Db, identity: Identity, ids: readonly string[]): Promise<ProfileRef[]> {
  if (!ids.includes(identity.userId)) return [];
  const [doc] = await profilesOf(db, [identity.userId], { tenantId: identity.tenantId });
  return doc ? [{ id: doc.id, skills: doc.skills ?? [], interests: doc.interests ?? [], goals: doc.goals ?? [] }] : [];
}
