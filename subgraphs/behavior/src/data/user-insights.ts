import type { Db } from 'mongodb';
import type { Identity } from '@pathway/kit';
import { userInsightsAccess, type InsightTopicDocument, type UserInsightsDocument } from '../access.ts';
import { ACTIVITY_COLLECTION } from './activity.ts';

/**
 * Seed 001's user_insights collection (MongoDB; in tests and dev the project's mongo-wire stand-in):
 * one document per person with their interest topics and subtopics, and metadata the service
 * computes on every save. Not to be confused with behavior *pattern* insights (Postgres, insights.ts).
 */
export const USER_INSIGHTS_COLLECTION = 'user_insights';
const insights = (db: Db) => db.collection<UserInsightsDocument>(USER_INSIGHTS_COLLECTION);

export async function ensureUserInsightsIndexes(db: Db): Promise<void> {
  await insights(db).createIndexes([
    // The seed's three: one document per person; people by topic name; recently changed documents.
    { key: { user_id: 1 }, name: 'user_id', unique: true },
    { key: { 'topics.name': 1 }, name: 'topics_name' },
    { key: { updated_at: 1 }, name: 'updated_at' },
  ]);
}

/** The documents of `userIds` the caller may see (access.ts userInsightsAccess). */
export async function findUserInsights(db: Db, identity: Identity, userIds: readonly string[]): Promise<UserInsightsDocument[]> {
  if (userIds.length === 0) return [];
  return insights(db)
    .find({ $and: [userInsightsAccess.where(identity), { user_id: { $in: [...userIds] } }] })
    .toArray();
}

/** The person's document whoever asks: for a write, once it has decided the caller may change it. */
export const userInsightsOf = (db: Db, userId: string) => insights(db).findOne({ user_id: userId });

/** A first document; false when one was made meanwhile (the unique user_id index refused it). */
export async function insertUserInsights(db: Db, doc: UserInsightsDocument): Promise<boolean> {
  try {
    await insights(db).insertOne(doc);
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return false;
    throw error;
  }
}

/** Replaces the document if it is still as it was read (compare-and-set on updated_at, which every save moves forward). */
export async function replaceUserInsights(db: Db, current: UserInsightsDocument, next: UserInsightsDocument): Promise<boolean> {
  const result = await insights(db).replaceOne({ _id: current._id, updated_at: current.updated_at }, next);
  return result.matchedCount === 1;
}

const WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * metadata.interest_score: the share of the 30 UTC days ending today on which the person took at
 * least one behavior action (a user_activity document of theirs), 0–1. The service's own reckoning,
 * over the person's whole activity whoever saves.
 */
export async function interestScore(db: Db, person: { id: string; tenantId: string }, now: Date): Promise<number> {
  const start = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - (WINDOW_DAYS - 1) * DAY_MS);
  const days = await db
    .collection(ACTIVITY_COLLECTION)
    .aggregate<{ _id: string }>([
      { $match: { user_id: person.id, tenant_id: person.tenantId, timestamp: { $gte: start, $lte: now } } },
      { $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$timestamp' } } } },
    ])
    .toArray();
  return days.length / WINDOW_DAYS;
}

/**
 * metadata.profile_completeness: the share (0–1, in fifths) of these that hold: at least one topic;
 * every topic has a description; every topic has a subtopic; every subtopic has key points (and
 * there is one); at least one resource. With nothing to judge, a test does not hold.
 */
export function profileCompleteness(topics: InsightTopicDocument[]): number {
  const subtopics = topics.flatMap((t) => t.subtopics);
  const checks = [
    topics.length > 0,
    topics.length > 0 && topics.every((t) => !!t.description),
    topics.length > 0 && topics.every((t) => t.subtopics.length > 0),
    subtopics.length > 0 && subtopics.every((s) => s.content.key_points.length > 0),
    subtopics.some((s) => s.content.resources.length > 0),
  ];
  return checks.filter(Boolean).length / checks.length;
}
