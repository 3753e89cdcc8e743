import { mongoPageQuery, type Identity, type PageArgs } from '@pathway/kit';
import { businessModelAccess } from '../access.ts';
import type { MongoDb } from './assets.ts';

// Business models live in MongoDB (no Row-Level Security): every read ANDs `businessModelAccess` in.

/** A business model document (seed 004 business_models), camelCase; money as exact decimal strings. */
export interface BusinessModelDocument {
  _id: string;
  tenantId: string;
  name: string;
  description: string | null;
  creatorId: string;
  category: string;
  humanitarianFocus: string | null;
  initialInvestment: string | null;
  currency: string;
  revenueStreams: { name: string; description: string | null; estimatedRevenue: string | null; timeframe: string | null }[];
  costStructure: { name: string; description: string | null; estimatedCost: string | null; frequency: string | null }[];
  keyResources: string[];
  keyActivities: string[];
  targetAudience: string[];
  successMetrics: string[];
  isTemplate: boolean;
  templateCategory: string | null;
  /** Retired (archiveBusinessModel): left out of lists and recommendations; absent on older documents. */
  archivedAt?: Date | null;
  archiveReason?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type BusinessModelRow = Omit<BusinessModelDocument, '_id'> & { id: string };

export const BUSINESS_MODELS_COLLECTION = 'business_models';
const models = (db: MongoDb) => db.collection<BusinessModelDocument>(BUSINESS_MODELS_COLLECTION);
export type BusinessModelFilter = Parameters<ReturnType<typeof models>['find']>[0];
const toRow = ({ _id, ...rest }: BusinessModelDocument): BusinessModelRow => ({ id: _id, ...rest });

/** Models still offered (documents from before archiving have no `archivedAt` at all). */
const notArchived: BusinessModelFilter = { archivedAt: null };

export async function ensureBusinessModelIndexes(db: MongoDb): Promise<void> {
  await models(db).createIndexes([
    { key: { tenantId: 1, _id: 1 }, name: 'tenant' },
    { key: { tenantId: 1, category: 1, _id: 1 }, name: 'tenant_category' },
  ]);
}

export async function findModelsByIds(db: MongoDb, identity: Identity, ids: readonly string[]): Promise<BusinessModelRow[]> {
  const docs = await models(db)
    .find({ $and: [businessModelAccess.where(identity), { _id: { $in: [...ids] } }] })
    .toArray();
  return docs.map(toRow);
}

export interface ModelListFilter {
  category?: string | null;
  isTemplate?: boolean | null;
  /** Only these ids (the tag filter's answer), when set. */
  ids?: string[] | null;
}

/** One page (by `_id`) of the tenant's models; one extra row when there is a next page. */
export async function listModels(db: MongoDb, identity: Identity, filter: ModelListFilter, page: PageArgs) {
  const query = mongoPageQuery(page);
  const conditions: BusinessModelFilter[] = [businessModelAccess.where(identity), query.filter, notArchived];
  if (filter.category) conditions.push({ category: filter.category });
  if (typeof filter.isTemplate === 'boolean') conditions.push({ isTemplate: filter.isTemplate });
  if (filter.ids) conditions.push({ _id: { $in: filter.ids } });
  const docs = await models(db).find({ $and: conditions }).sort(query.sort).limit(query.limit).toArray();
  return { rows: docs.map(toRow), take: query.limit };
}

/** Every model of the tenant, for ranking recommendations (bounded: a tenant's catalog is small). */
export async function allModels(db: MongoDb, identity: Identity, limit = 500): Promise<BusinessModelRow[]> {
  const docs = await models(db)
    .find({ $and: [businessModelAccess.where(identity), notArchived] })
    .sort({ _id: 1 })
    .limit(limit)
    .toArray();
  return docs.map(toRow);
}

export async function insertModel(db: MongoDb, model: BusinessModelDocument): Promise<BusinessModelRow> {
  await models(db).insertOne(model);
  return toRow(model);
}

/**
 * Replaces a model's changed fields only if it is still as it was read (`updatedAt` unchanged): the
 * changed model, or null when another write came first.
 */
export async function replaceModelFields(
  db: MongoDb,
  current: BusinessModelRow,
  fields: Partial<Omit<BusinessModelDocument, '_id' | 'tenantId' | 'creatorId' | 'createdAt'>>,
): Promise<BusinessModelRow | null> {
  const doc = await models(db).findOneAndUpdate(
    { _id: current.id, tenantId: current.tenantId, updatedAt: current.updatedAt },
    { $set: fields },
    { returnDocument: 'after' },
  );
  return doc ? toRow(doc) : null;
}
