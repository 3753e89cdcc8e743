import { z } from 'zod';
import { notFound, parseInput } from '@pathway/kit';
import type { ResolverContext } from '../context.ts';
import { countUse } from '../data/extensions.ts';

const extensionSchema = z.object({
  type: z.string().trim().min(1, 'required').max(50, 'at most 50 characters'),
  name: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  description: z.string().max(2000).nullish(),
  priority: z.number().int().min(-1000).max(1000).nullish(),
  enabled: z.boolean().nullish(),
});
const factorSchema = z.object({
  name: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  value: z.number().int().min(1, 'between 1 and 10').max(10, 'between 1 and 10'),
  weight: z.number().gt(0, 'must be positive').max(100, 'at most 100'),
});

/** A person adds an extension of their own. */
export async function addMyExtension(ctx: ResolverContext, raw: unknown) {
  const input = parseInput(extensionSchema, raw);
  const identity = ctx.identity;
  return ctx.db.run((tx) =>
    tx.userExtension.create({
      data: {
        tenantId: identity.tenantId,
        userId: identity.userId,
        type: input.type,
        name: input.name,
        description: input.description ?? null,
        priority: input.priority ?? 0,
        enabled: input.enabled ?? true,
      },
    }),
  );
}

export async function recordExtensionUse(ctx: ResolverContext, id: string, feedbackScore: number | null | undefined) {
  if (feedbackScore != null)
    parseInput(z.object({ feedbackScore: z.number().min(0, 'between 0 and 5').max(5, 'between 0 and 5') }), { feedbackScore });
  return ctx.db.run(async (tx) => {
    if (!(await countUse(tx, ctx.identity.userId, id, feedbackScore ?? null))) throw notFound('Extension');
    return tx.userExtension.findUniqueOrThrow({ where: { id } });
  });
}

/** Sets one factor of one of the person's extensions (same name: replaced). */
export async function setPracticalityFactor(
  ctx: ResolverContext,
  extensionId: string,
  raw: { name: string; value: number; weight?: number | null },
) {
  const input = parseInput(factorSchema, { ...raw, weight: raw.weight ?? 1 });
  return ctx.db.run(async (tx) => {
    const extension = await tx.userExtension.findFirst({ where: { id: extensionId, userId: ctx.identity.userId } });
    if (!extension) throw notFound('Extension');
    await tx.practicalityFactor.upsert({
      where: { extensionId_name: { extensionId, name: input.name } },
      update: { value: input.value, weight: input.weight },
      create: { tenantId: extension.tenantId, extensionId, ...input },
    });
    return extension;
  });
}
