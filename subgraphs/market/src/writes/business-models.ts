import { randomUUID } from 'node:crypto';
import { conflict, forbidden, type Identity, notFound, parseInput, reachOf, uuidArg } from '@pathway/kit';
import { z } from 'zod';
import { managesBusinessModels } from '../access.ts';
import type { BusinessModelInput, UpdateBusinessModelInput } from '../generated/graphql.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { MongoDb } from '../data/assets.ts';
import { findModelsByIds, insertModel, replaceModelFields, type BusinessModelRow } from '../data/business-models.ts';
import { changedFields, logActivity } from './activity.ts';
import { decimal } from './property-input.ts';

type Tx = Prisma.TransactionClient;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const optionalText = (max: number) => z.string().trim().max(max, `at most ${max} characters`).nullish();
const money = decimal(0, 1e12, 2);
const slugish = z.string().regex(/^[a-z][a-z0-9_]{1,49}$/, 'must be 2–50 lowercase letters, digits or underscores, such as food_service');
const words = z.array(text(200)).max(20, 'at most 20').nullish();
const modelFields = z.object({
  name: text(200),
  description: optionalText(5000),
  category: slugish,
  humanitarianFocus: optionalText(500),
  initialInvestment: money.nullish(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .nullish(),
  revenueStreams: z
    .array(z.object({ name: text(200), description: optionalText(1000), estimatedRevenue: money.nullish(), timeframe: optionalText(50) }))
    .max(20, 'at most 20')
    .nullish(),
  costStructure: z
    .array(z.object({ name: text(200), description: optionalText(1000), estimatedCost: money.nullish(), frequency: optionalText(50) }))
    .max(20, 'at most 20')
    .nullish(),
  keyResources: words,
  keyActivities: words,
  targetAudience: words,
  successMetrics: words,
  isTemplate: z.boolean().nullish(),
  templateCategory: slugish.nullish(),
});

type Run = <R>(fn: (tx: Tx) => Promise<R>) => Promise<R>;

/** The stored form of validated fields: money as exact decimal strings, absent lists empty. */
function documentFields(f: z.infer<typeof modelFields>) {
  return {
    name: f.name,
    description: f.description ?? null,
    category: f.category,
    humanitarianFocus: f.humanitarianFocus ?? null,
    initialInvestment: f.initialInvestment?.toFixed(2) ?? null,
    currency: f.currency ?? 'USD',
    revenueStreams: (f.revenueStreams ?? []).map((r) => ({
      name: r.name,
      description: r.description ?? null,
      estimatedRevenue: r.estimatedRevenue?.toFixed(2) ?? null,
      timeframe: r.timeframe ?? null,
    })),
    costStructure: (f.costStructure ?? []).map((c) => ({
      name: c.name,
      description: c.description ?? null,
      estimatedCost: c.estimatedCost?.toFixed(2) ?? null,
      frequency: c.frequency ?? null,
    })),
    keyResources: f.keyResources ?? [],
    keyActivities: f.keyActivities ?? [],
    targetAudience: f.targetAudience ?? [],
    successMetrics: f.successMetrics ?? [],
    isTemplate: f.isTemplate ?? true,
    templateCategory: f.templateCategory ?? null,
  };
}
type ModelFields = ReturnType<typeof documentFields>;
const FIELD_NAMES = Object.keys(documentFields({ name: 'x', category: 'xx' })) as (keyof ModelFields)[];
const fieldsOf = (model: BusinessModelRow): ModelFields =>
  Object.fromEntries(FIELD_NAMES.map((k) => [k, model[k]])) as unknown as ModelFields;

/** A business model of the tenant, the caller its creator (`market.business_model.manage`: the shield checked). */
export async function createBusinessModel(
  run: Run,
  mongo: MongoDb,
  identity: Identity,
  input: BusinessModelInput,
): Promise<BusinessModelRow> {
  const f = parseInput(modelFields, input, 'The business model');
  const now = new Date();
  const model = await insertModel(mongo, {
    _id: randomUUID(),
    tenantId: identity.tenantId,
    creatorId: identity.userId,
    ...documentFields(f),
    archivedAt: null,
    archiveReason: null,
    createdAt: now,
    updatedAt: now,
  });
  await run((tx) =>
    logActivity(tx, [
      {
        actor: identity,
        entity: model,
        entityType: 'business_model',
        activityType: 'model.created',
        after: { name: model.name, category: model.category },
      },
    ]),
  );
  return model;
}

/**
 * A model the caller may change: its creator, or an administrator of the tenant (tenant or system
 * reach), with `market.business_model.manage` either way (else FORBIDDEN; another tenant's: NOT_FOUND).
 */
async function changeableModel(mongo: MongoDb, identity: Identity, id: string): Promise<BusinessModelRow> {
  const modelId = uuidArg(id, 'id')!;
  const [model] = await findModelsByIds(mongo, identity, [modelId]);
  if (!model) throw notFound('The business model');
  const administers = reachOf(identity) === 'tenant' || reachOf(identity) === 'system';
  if (!managesBusinessModels(identity) || (model.creatorId !== identity.userId && !administers))
    throw forbidden('Only the creator of this business model, or an administrator of the tenant, may change it.');
  return model;
}

const changedMeanwhile = () =>
  conflict('The business model changed meanwhile; look it up again and retry.', { reason: 'INVALID_TRANSITION', allowed: [] });

/** Only the fields given change (checked as a whole, like a new model); lists are replaced whole. */
export async function updateBusinessModel(
  run: Run,
  mongo: MongoDb,
  identity: Identity,
  id: string,
  input: UpdateBusinessModelInput,
): Promise<BusinessModelRow> {
  const current = await changeableModel(mongo, identity, id);
  if (current.archivedAt) throw conflict('The business model is archived; it can no longer change.', { reason: 'ARCHIVED' });
  const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const before = fieldsOf(current);
  const after = documentFields(parseInput(modelFields, { ...before, ...given }, 'The business model'));
  const changes = changedFields(before, after);
  if (Object.keys(changes.after).length === 0) return current;
  const updated = await replaceModelFields(mongo, current, { ...after, updatedAt: new Date() });
  if (!updated) throw changedMeanwhile();
  await run((tx) =>
    logActivity(tx, [{ actor: identity, entity: updated, entityType: 'business_model', activityType: 'model.updated', ...changes }]),
  );
  return updated;
}

export async function archiveBusinessModel(
  run: Run,
  mongo: MongoDb,
  identity: Identity,
  id: string,
  reason: string | null | undefined,
): Promise<BusinessModelRow> {
  const current = await changeableModel(mongo, identity, id);
  if (current.archivedAt) throw conflict('The business model is archived already.', { reason: 'ALREADY_IN_STATE' });
  const note = parseInput(z.object({ reason: optionalText(1000) }), { reason }, 'The archive').reason ?? null;
  const now = new Date();
  const archived = await replaceModelFields(mongo, current, { archivedAt: now, archiveReason: note, updatedAt: now });
  if (!archived) throw changedMeanwhile();
  await run((tx) =>
    logActivity(tx, [
      {
        actor: identity,
        entity: archived,
        entityType: 'business_model',
        activityType: 'model.archived',
        reason: note,
        before: { archivedAt: null },
        after: { archivedAt: now.toISOString() },
      },
    ]),
  );
  return archived;
}
