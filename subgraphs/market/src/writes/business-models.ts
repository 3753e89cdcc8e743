import { randomUUID } from 'node:crypto';
import { type Identity, parseInput } from '@pathway/kit';
import { z } from 'zod';
import type { BusinessModelInput } from '../generated/graphql.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { MongoDb } from '../data/assets.ts';
import { insertModel, type BusinessModelRow } from '../data/business-models.ts';
import { logActivity } from './activity.ts';
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

/** A business model of the tenant, the caller its creator (`market.business_model.manage`: the shield checked). */
export async function createBusinessModel(
  run: <R>(fn: (tx: Tx) => Promise<R>) => Promise<R>,
  mongo: MongoDb,
  identity: Identity,
  input: BusinessModelInput,
): Promise<BusinessModelRow> {
  const f = parseInput(modelFields, input, 'The business model');
  const now = new Date();
  const model = await insertModel(mongo, {
    _id: randomUUID(),
    tenantId: identity.tenantId,
    name: f.name,
    description: f.description ?? null,
    creatorId: identity.userId,
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
