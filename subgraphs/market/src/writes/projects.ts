import { randomUUID } from 'node:crypto';
import { badInput, conflict, forbidden, type EventPublisher, type Identity, notFound, parseInput, uuidArg } from '@pathway/kit';
import { z } from 'zod';
import type { CreateBusinessProjectInput, UpdateBusinessProjectInput } from '../generated/graphql.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { managesProjects } from '../access.ts';
import type { MongoDb } from '../data/assets.ts';
import { findModelsByIds } from '../data/business-models.ts';
import {
  findProjectsByIds,
  insertProject,
  updateProjectIf,
  type FinancialsDoc,
  type MilestoneDoc,
  type ProjectDocument,
  type ProjectRow,
  type ProjectStatus,
} from '../data/projects.ts';
import { projectChangedEvent } from '../events.ts';
import { changedFields, logActivity, type ActivityType } from './activity.ts';
import { completionPercentage } from './project-money.ts';
import { decimal, reasonText } from './property-input.ts';

type Tx = Prisma.TransactionClient;
/** What project writes need: scoped Postgres transactions (the activity log), MongoDB, the event publisher. */
export interface ProjectDeps {
  run<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
  mongo: MongoDb;
  events: EventPublisher;
}

const name = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');
const description = z.string().trim().max(5000, 'at most 5,000 characters').nullish();
const money = decimal(0, 1e12, 2);
const line = z.object({ name, amount: money });
const financials = z.object({
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .nullish(),
  initialInvestment: money.nullish(),
  revenue: z.array(line).max(50, 'at most 50 lines').nullish(),
  costs: z.array(line).max(50, 'at most 50 lines').nullish(),
});
const milestone = z.object({
  name,
  description: z.string().trim().max(2000, 'at most 2,000 characters').nullish(),
  dueDate: z.date().nullish(),
  status: z.enum(['pending', 'in_progress', 'completed']).nullish(),
});
const milestones = z.array(milestone).max(50, 'at most 50 milestones');
const createFields = z.object({
  name,
  description,
  basedOnModelId: z.uuid().nullish(),
  status: z.enum(['planning', 'active'], { message: 'a new project is planning or active' }).nullish(),
  milestones: milestones.nullish(),
  financials: financials.nullish(),
});
const updateFields = z.object({
  name: name.nullish(),
  description,
  status: z
    .enum(['planning', 'active', 'completed'], {
      message: 'must be planning, active or completed (archive it with archiveBusinessProject)',
    })
    .nullish(),
  milestones: milestones.nullish(),
  financials: financials.nullish(),
});

/** Where each status may go (archiving is its own mutation, from any status but archived). */
const NEXT: Record<ProjectStatus, ProjectStatus[]> = {
  planning: ['active', 'completed'],
  active: ['planning', 'completed'],
  completed: ['active'],
  archived: [],
};

function storedFinancials(given: z.infer<typeof financials> | null | undefined): FinancialsDoc {
  const lines = (ls: { name: string; amount: Prisma.Decimal }[] | null | undefined) =>
    (ls ?? []).map((l) => ({ name: l.name, amount: l.amount.toFixed(2) }));
  return {
    currency: given?.currency ?? 'USD',
    initialInvestment: (given?.initialInvestment ?? null)?.toFixed(2) ?? '0.00',
    revenue: lines(given?.revenue),
    costs: lines(given?.costs),
  };
}

/** The new milestone list; a milestone keeps its id and completion time when one of the same name was there. */
function storedMilestones(given: z.infer<typeof milestones>, before: MilestoneDoc[], now: Date): MilestoneDoc[] {
  return given.map((m) => {
    const old = before.find((b) => b.name === m.name);
    const status = m.status ?? 'pending';
    return {
      id: old?.id ?? randomUUID(),
      name: m.name,
      description: m.description ?? null,
      dueDate: m.dueDate ?? null,
      status,
      completedAt: status === 'completed' ? (old?.status === 'completed' ? old.completedAt : now) : null,
    };
  });
}

const snapshot = (p: Pick<ProjectRow, 'name' | 'description' | 'status' | 'progress' | 'financials'>) => ({
  name: p.name,
  description: p.description,
  status: p.status,
  milestones: p.progress.milestones.map((m) => ({ name: m.name, status: m.status, dueDate: m.dueDate?.toISOString() ?? null })),
  financials: p.financials,
});

function activityLine(
  identity: Identity,
  project: ProjectRow,
  activityType: ActivityType,
  before: object | null,
  after: object,
  reason?: string | null,
) {
  return {
    actor: identity,
    entity: project,
    entityType: 'project' as const,
    activityType,
    reason,
    before: before as Prisma.InputJsonObject | null,
    after: after as Prisma.InputJsonObject,
  };
}

export async function createBusinessProject(deps: ProjectDeps, identity: Identity, input: CreateBusinessProjectInput): Promise<ProjectRow> {
  const fields = parseInput(createFields, input, 'The project');
  if (fields.basedOnModelId) {
    const [model] = await findModelsByIds(deps.mongo, identity, [fields.basedOnModelId]);
    if (!model || model.tenantId !== identity.tenantId) throw notFound('The business model (`basedOnModelId`)');
    if (model.archivedAt) throw badInput('That business model is archived; start from another.', { basedOnModelId: 'is archived' });
  }
  const now = new Date();
  const id = randomUUID();
  const list = storedMilestones(fields.milestones ?? [], [], now);
  const status = fields.status ?? 'planning';
  const doc: ProjectDocument = {
    _id: id,
    tenantId: identity.tenantId,
    facilityId: identity.facilityId ?? null,
    ownerId: identity.userId,
    name: fields.name,
    description: fields.description ?? null,
    basedOnModelId: fields.basedOnModelId ?? null,
    status,
    progress: { completionPercentage: completionPercentage(list), milestones: list },
    financials: storedFinancials(fields.financials),
    archivedAt: null,
    archiveReason: null,
    createdAt: now,
    updatedAt: now,
    pendingEvents: [
      projectChangedEvent(
        deps.events,
        { id, tenantId: identity.tenantId, facilityId: identity.facilityId ?? null, ownerId: identity.userId, status },
        'project.created',
      ),
    ],
  };
  const project = await insertProject(deps.mongo, doc);
  await deps.run((tx) => logActivity(tx, [activityLine(identity, project, 'project.created', null, snapshot(project))]));
  return project;
}

/** A project the caller may change: its owner, or a project manager of its reach (else FORBIDDEN; unseen: NOT_FOUND). */
async function changeableProject(deps: ProjectDeps, identity: Identity, id: string): Promise<ProjectRow> {
  const projectId = uuidArg(id, 'id')!;
  const [project] = await findProjectsByIds(deps.mongo, identity, [projectId]);
  if (!project) throw notFound('The business project');
  // Seeing another's project means managing projects within reach (access.ts); kept explicit here.
  if (project.ownerId !== identity.userId && !managesProjects(identity))
    throw forbidden('Only the owner of this project, or an administrator of its reach, may change it.');
  if (project.status === 'archived') throw conflict('The project is archived; it can no longer change.', { reason: 'ARCHIVED' });
  return project;
}

const changedMeanwhile = () =>
  conflict('The project changed meanwhile; look it up again and retry.', { reason: 'INVALID_TRANSITION', allowed: [] });

export async function updateBusinessProject(
  deps: ProjectDeps,
  identity: Identity,
  id: string,
  input: UpdateBusinessProjectInput,
): Promise<ProjectRow> {
  const current = await changeableProject(deps, identity, id);
  const fields = parseInput(updateFields, input, 'The project');
  if (fields.status && fields.status !== current.status && !NEXT[current.status].includes(fields.status))
    throw conflict(`A ${current.status} project cannot become ${fields.status}.`, {
      reason: 'INVALID_TRANSITION',
      from: current.status,
      to: fields.status,
      allowed: NEXT[current.status],
    });
  const now = new Date();
  const list = fields.milestones ? storedMilestones(fields.milestones, current.progress.milestones, now) : current.progress.milestones;
  const next = {
    name: fields.name ?? current.name,
    description: input.description === undefined ? current.description : (fields.description ?? null),
    status: fields.status ?? current.status,
    progress: { completionPercentage: completionPercentage(list), milestones: list },
    financials: fields.financials ? storedFinancials(fields.financials) : current.financials,
  };
  const { before, after, keys } = changedFields(snapshot(current), snapshot(next));
  if (keys.length === 0) throw conflict('The project is already so.', { reason: 'ALREADY_IN_STATE' });
  const change: ActivityType = next.status !== current.status ? 'project.status_changed' : 'project.updated';
  const updated = await updateProjectIf(
    deps.mongo,
    current,
    { ...next, updatedAt: now },
    projectChangedEvent(deps.events, { ...current, status: next.status }, change),
  );
  if (!updated) throw changedMeanwhile();
  await deps.run((tx) => logActivity(tx, [activityLine(identity, updated, change, before, after)]));
  return updated;
}

export async function archiveBusinessProject(
  deps: ProjectDeps,
  identity: Identity,
  id: string,
  reason?: string | null,
): Promise<ProjectRow> {
  const current = await changeableProject(deps, identity, id);
  const why = parseInput(z.object({ reason: reasonText }), { reason }, 'The archive').reason ?? null;
  const now = new Date();
  const updated = await updateProjectIf(
    deps.mongo,
    current,
    { status: 'archived', archivedAt: now, archiveReason: why, updatedAt: now },
    projectChangedEvent(deps.events, { ...current, status: 'archived' }, 'project.archived'),
  );
  if (!updated) throw changedMeanwhile();
  await deps.run((tx) =>
    logActivity(tx, [activityLine(identity, updated, 'project.archived', { status: current.status }, { status: 'archived' }, why)]),
  );
  return updated;
}
