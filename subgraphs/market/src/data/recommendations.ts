import type { FacilityProgramsRef, Identity, References } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import { cityResourceAccess, propertyAccess } from '../access.ts';
import {
  recommendationId,
  scoreAll,
  type Candidate,
  type Feedback,
  type PersonSignals,
  type Ranked,
  type RecommendationType,
} from '../recommendation-score.ts';
import type { MongoDb } from './assets.ts';
import { allModels } from './business-models.ts';
import { tagsOfItems } from './tags.ts';

type Tx = Prisma.TransactionClient;

// What recommendations are ranked from (recommendation-score.ts ranks): the person's own profile
// (identity) and facility programs (campus), asked through the reference lookups as the caller;
// the tenant's business models, listings on the exchange and city resources, read through their
// access filters; and the person's feedback, the only thing stored (MongoDB `recommendations`, seed
// 004's shape): a recommendation is computed afresh on every read, under an id stable per person and item.

/** How many of each kind of item are considered (the newest): bounded, whatever the tenant holds. */
const PER_KIND = 200;

/** A recommendation the person gave feedback on (seed 004 ai_recommendations), camelCase. */
export interface RecommendationDocument {
  _id: string;
  tenantId: string;
  userId: string;
  recommendationType: RecommendationType;
  content: { title: string; description: string | null; reasoning: string; confidenceScore: number };
  relatedEntities: { entityType: string; entityId: string }[];
  /** The item's group (a model's category, …): feedback on it moves items alike. */
  group: string;
  userFeedback: { rating: number; comments: string | null; implemented: boolean; givenAt: Date };
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const RECOMMENDATIONS_COLLECTION = 'recommendations';
const recommendations = (db: MongoDb) => db.collection<RecommendationDocument>(RECOMMENDATIONS_COLLECTION);

export async function ensureRecommendationIndexes(db: MongoDb): Promise<void> {
  await recommendations(db).createIndexes([{ key: { tenantId: 1, userId: 1 }, name: 'tenant_user' }]);
}

/** The caller's own feedback documents (nobody reads another's). */
export async function feedbackOf(db: MongoDb, identity: Identity): Promise<RecommendationDocument[]> {
  return recommendations(db).find({ tenantId: identity.tenantId, userId: identity.userId }).toArray();
}

export const asFeedback = (doc: RecommendationDocument): Feedback => ({
  entityType: doc.relatedEntities[0]!.entityType,
  entityId: doc.relatedEntities[0]!.entityId,
  group: doc.group,
  rating: doc.userFeedback.rating,
  implemented: doc.userFeedback.implemented,
});

/** Stores (or replaces) the caller's feedback on one recommendation, with a snapshot of what was recommended. */
export async function saveFeedback(db: MongoDb, doc: Omit<RecommendationDocument, 'createdAt'>): Promise<RecommendationDocument> {
  const { _id, ...fields } = doc;
  const saved = await recommendations(db).findOneAndUpdate(
    { _id, tenantId: doc.tenantId, userId: doc.userId },
    { $set: fields, $setOnInsert: { createdAt: doc.updatedAt } },
    { upsert: true, returnDocument: 'after' },
  );
  return saved!;
}

type Program = FacilityProgramsRef['programs'][number];

/** The programs the caller's facility offers (none for people placed at no facility). */
async function facilityPrograms(references: References, identity: Identity): Promise<Program[]> {
  if (!identity.facilityId) return [];
  return (await references.facilityPrograms([identity.facilityId])).get(identity.facilityId)?.programs ?? [];
}

/** The person's signals: their profile's skills, interests, goals, and the programs their facility offers. */
async function personSignals(references: References, identity: Identity, programs: Program[]): Promise<PersonSignals> {
  const profile = (await references.profiles([identity.userId])).get(identity.userId);
  return {
    skills: profile?.skills ?? [],
    interests: profile?.interests ?? [],
    goals: profile?.goals ?? [],
    programs: programs.map((p) => ({
      name: p.name,
      words: `${p.description ?? ''} ${p.programTypes.join(' ')}`,
    })),
  };
}

/** Every item that may be recommended to the caller, as the scorer reads it (tags count as words). */
async function candidatesFor(tx: Tx, mongo: MongoDb, identity: Identity, programs: Program[]): Promise<Candidate[]> {
  const [models, properties, resources] = await Promise.all([
    allModels(mongo, identity, PER_KIND),
    tx.property.findMany({
      where: { AND: [propertyAccess.where(identity), { status: 'available' }] },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: PER_KIND,
    }),
    tx.cityResource.findMany({
      where: cityResourceAccess.where(identity),
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: PER_KIND,
    }),
  ]);
  const [modelTags, propertyTags] = await Promise.all([
    tagsOfItems(
      tx,
      'business_model',
      models.map((m) => m.id),
    ),
    tagsOfItems(
      tx,
      'property',
      properties.map((p) => p.id),
    ),
  ]);
  const tagWords = (tags: { entityId: string; name: string; slug: string }[], id: string) =>
    tags
      .filter((t) => t.entityId === id)
      .map((t) => `${t.name} ${t.slug}`)
      .join(' ');
  return [
    ...models.map((m): Candidate => ({
      type: 'business_idea',
      entityType: 'business_model',
      entityId: m.id,
      title: m.name,
      description: m.description,
      words: [
        m.category,
        m.description,
        m.humanitarianFocus,
        ...m.keyActivities,
        ...m.keyResources,
        ...m.targetAudience,
        tagWords(modelTags, m.id),
      ].join(' '),
      group: m.category,
    })),
    ...properties.map((p): Candidate => ({
      type: 'property',
      entityType: 'property',
      entityId: p.id,
      title: `${p.propertyType.replace(/_/g, ' ')} in ${String((p.address as { city?: unknown } | null)?.city ?? 'your area')}`,
      description: p.description,
      words: [
        p.propertyType.replace(/_/g, ' '),
        p.description,
        p.zoning,
        Object.keys((p.features as object | null) ?? {}).join(' '),
        tagWords(propertyTags, p.id),
      ].join(' '),
      group: p.propertyType,
      ...(p.isVerified ? { bonus: { points: 0.5, reason: 'Staff verified this listing' } } : {}),
    })),
    ...resources.map((r): Candidate => ({
      type: 'resource',
      entityType: 'city_resource',
      entityId: r.id,
      title: r.name,
      description: r.description,
      words: `${r.resourceType.replace(/_/g, ' ')} ${r.description ?? ''} ${r.city}`,
      group: r.resourceType,
    })),
    ...programs.map((p): Candidate => ({
      type: 'program',
      entityType: 'program',
      entityId: p.id,
      title: p.name,
      description: p.description,
      words: `${p.description ?? ''} ${p.programTypes.join(' ')}`,
      group: 'program',
    })),
  ];
}

/** A ranked recommendation with its stable id and the person's feedback, if any. */
export type RecommendationRow = Ranked & { id: string; feedback: RecommendationDocument['userFeedback'] | null };

export interface Ranking {
  /** Worth showing (a score above 0), best first. */
  ranked: RecommendationRow[];
  /** Every candidate scored, by recommendation id (feedback may name one that no longer scores above 0). */
  all: Map<string, RecommendationRow>;
}

/** The caller's recommendations, ranked now from their signals, the items and their feedback. */
export async function recommendationsFor(
  read: <R>(fn: (tx: Tx) => Promise<R>) => Promise<R>,
  mongo: MongoDb,
  references: References,
  identity: Identity,
): Promise<Ranking> {
  // The lookups (identity, campus) before the read: no transaction waits on another service.
  const programs = await facilityPrograms(references, identity);
  const [person, candidates, docs] = await Promise.all([
    personSignals(references, identity, programs),
    read((tx) => candidatesFor(tx, mongo, identity, programs)),
    feedbackOf(mongo, identity),
  ]);
  const byId = new Map(docs.map((d) => [d._id, d]));
  const scored = scoreAll(person, candidates, docs.map(asFeedback)).map((r) => {
    const id = recommendationId(identity.tenantId, identity.userId, r.entityType, r.entityId);
    return { ...r, id, feedback: byId.get(id)?.userFeedback ?? null };
  });
  return { ranked: scored.filter((r) => r.score > 0), all: new Map(scored.map((r) => [r.id, r])) };
}
