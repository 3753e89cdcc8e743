import { mongoPageQuery, type Identity, type PageArgs, type PendingEvent } from '@pathway/kit';
import { businessProjectAccess } from '../access.ts';
import type { MongoDb } from './assets.ts';

// Business projects live in MongoDB (no Row-Level Security): every read ANDs `businessProjectAccess`
// in. Their events wait on the project itself (the kit's document outbox), pushed by the same
// atomic update as the change.

export type ProjectStatus = 'planning' | 'active' | 'completed' | 'archived';
export type MilestoneStatus = 'pending' | 'in_progress' | 'completed';

export interface MilestoneDoc {
  id: string;
  name: string;
  description: string | null;
  dueDate: Date | null;
  status: MilestoneStatus;
  completedAt: Date | null;
}

/** Money as exact decimal strings (2 places); the totals are computed on read (writes/project-money.ts). */
export interface FinancialsDoc {
  currency: string;
  initialInvestment: string;
  revenue: { name: string; amount: string }[];
  costs: { name: string; amount: string }[];
}

/** A business project document (seed 004 business_projects), camelCase; `_id` is a UUID string. */
export interface ProjectDocument {
  _id: string;
  tenantId: string;
  /** The owner's facility when the project was started (administrators' reach reads it). */
  facilityId: string | null;
  ownerId: string;
  name: string;
  description: string | null;
  basedOnModelId: string | null;
  status: ProjectStatus;
  progress: { completionPercentage: number; milestones: MilestoneDoc[] };
  financials: FinancialsDoc;
  archivedAt: Date | null;
  archiveReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Events about this project not yet on the stream (the kit's document outbox); never read by the API. */
  pendingEvents?: PendingEvent[];
}

export type ProjectRow = Omit<ProjectDocument, '_id' | 'pendingEvents'> & { id: string };

export const PROJECTS_COLLECTION = 'business_projects';
const projects = (db: MongoDb) => db.collection<ProjectDocument>(PROJECTS_COLLECTION);
export type ProjectFilter = Parameters<ReturnType<typeof projects>['find']>[0];
const WITHOUT_PENDING_EVENTS = { pendingEvents: 0 } as const;
const toRow = ({ _id, pendingEvents: _pending, ...rest }: ProjectDocument): ProjectRow => ({ id: _id, ...rest });

export async function ensureProjectIndexes(db: MongoDb): Promise<void> {
  await projects(db).createIndexes([
    { key: { tenantId: 1, ownerId: 1, _id: 1 }, name: 'tenant_owner' },
    { key: { tenantId: 1, facilityId: 1, _id: 1 }, name: 'tenant_facility' },
    { key: { tenantId: 1, status: 1, _id: 1 }, name: 'tenant_status' },
  ]);
}

export async function findProjectsByIds(db: MongoDb, identity: Identity, ids: readonly string[]): Promise<ProjectRow[]> {
  const docs = await projects(db)
    .find({ $and: [businessProjectAccess.where(identity), { _id: { $in: [...ids] } }] }, { projection: WITHOUT_PENDING_EVENTS })
    .toArray();
  return docs.map(toRow);
}

export interface ProjectListFilter {
  status?: ProjectStatus | null;
  ownerId?: string | null;
  /** Only these ids (the tag filter's answer), when set. */
  ids?: string[] | null;
}

/** One page (by `_id`) of the projects the caller may see; one extra row when there is a next page. */
export async function listProjects(db: MongoDb, identity: Identity, filter: ProjectListFilter, page: PageArgs) {
  const query = mongoPageQuery(page);
  const conditions: ProjectFilter[] = [businessProjectAccess.where(identity), query.filter];
  if (filter.status) conditions.push({ status: filter.status });
  if (filter.ownerId) conditions.push({ ownerId: filter.ownerId });
  if (filter.ids) conditions.push({ _id: { $in: filter.ids } });
  const docs = await projects(db)
    .find({ $and: conditions }, { projection: WITHOUT_PENDING_EVENTS })
    .sort(query.sort)
    .limit(query.limit)
    .toArray();
  return { rows: docs.map(toRow), take: query.limit };
}

export async function insertProject(db: MongoDb, project: ProjectDocument): Promise<ProjectRow> {
  await projects(db).insertOne(project);
  return toRow(project);
}

/**
 * Sets `fields` and pushes `event` iff the project is still as the write read it (`updatedAt`), so
 * two concurrent changes cannot overwrite each other. Returns the project after, or null.
 */
export async function updateProjectIf(
  db: MongoDb,
  current: ProjectRow,
  fields: Partial<ProjectDocument>,
  event: PendingEvent,
): Promise<ProjectRow | null> {
  const updated = await projects(db).findOneAndUpdate(
    { _id: current.id, tenantId: current.tenantId, updatedAt: current.updatedAt },
    { $set: fields, $push: { pendingEvents: event } },
    { returnDocument: 'after', projection: WITHOUT_PENDING_EVENTS },
  );
  return updated ? toRow(updated) : null;
}
