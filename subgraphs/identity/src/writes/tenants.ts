import { z } from 'zod';
import {
  conflict,
  forbidden,
  matchesWhere,
  notFound,
  type PageArgs,
  pageQuery,
  parseInput,
  reachOf,
  rethrowDuplicate,
  toConnection,
} from '@pathway/kit';
import { facilityFeaturesAccess, tenantAccess } from '../access.ts';
import type { FeatureFlag, Prisma } from '../generated/prisma/client.ts';
import type { ResolverContext } from '../context.ts';
import { FEATURE_FLAGS, featuresOfFacility, publishFlagsOfFacility, switchFlag } from '../data/feature-flags.ts';
import { publishFeatureFlagChanged } from '../events.ts';

const settings = z.record(z.string(), z.unknown()).refine((v) => JSON.stringify(v).length <= 20_000, 'at most 20 000 characters of JSON');
const tenantFields = {
  name: z.string().trim().min(1, 'required').max(200, 'at most 200 characters'),
  tier: z.string().trim().min(1).max(50),
  region: z.string().trim().max(50).nullish(),
  status: z.enum(['active', 'suspended', 'archived']),
  settings,
};
const createTenantSchema = z.object({
  slug: z.string().regex(/^[a-z0-9-]{2,63}$/, 'lowercase letters, digits and dashes, 2–63'),
  ...tenantFields,
  tier: tenantFields.tier.default('standard'),
  status: tenantFields.status.default('active'),
  settings: settings.default({}),
});
const updateTenantSchema = z.object({
  name: tenantFields.name.nullish(),
  tier: tenantFields.tier.nullish(),
  region: tenantFields.region,
  status: tenantFields.status.nullish(),
  settings: settings.nullish(),
});

/** Tenants in reach: all for system administrators, otherwise the caller's own. */
export async function listTenants(ctx: ResolverContext, page: PageArgs) {
  const query = pageQuery(page, 'name', 'asc');
  const rows = await ctx.db.run((tx) =>
    tx.tenant.findMany({
      where: { AND: [tenantAccess.where(ctx.identity), query.where] },
      orderBy: query.orderBy,
      take: query.take,
    }),
  );
  return toConnection(rows, query, 'name');
}

const uniqueSlug = rethrowDuplicate('A tenant with that slug exists already. Nothing was changed.', { slug: 'already taken' });

// Settings are a free-form JSON object: Prisma's InputJsonValue cannot be inferred from Record<string, unknown>.
const jsonSettings = (settings: Record<string, unknown>) => settings as Prisma.InputJsonValue;

export async function createTenant(ctx: ResolverContext, raw: unknown) {
  const input = parseInput(createTenantSchema, raw);
  return ctx.db.run((tx) => tx.tenant.create({ data: { ...input, settings: jsonSettings(input.settings) } })).catch(uniqueSlug);
}

/** Fields left out or null stay as they are; only `region` may be cleared with null. */
export async function updateTenant(ctx: ResolverContext, id: string, raw: unknown) {
  const input = parseInput(updateTenantSchema, raw);
  const data: Prisma.TenantUpdateInput = {
    ...(input.name != null ? { name: input.name } : {}),
    ...(input.tier != null ? { tier: input.tier } : {}),
    ...(input.region !== undefined ? { region: input.region } : {}),
    ...(input.status != null ? { status: input.status } : {}),
    ...(input.settings != null ? { settings: jsonSettings(input.settings) } : {}),
  };
  const updated = await ctx.db.run(async (tx) => {
    if (!(await tx.tenant.findFirst({ where: { AND: [{ id }, tenantAccess.where(ctx.identity)] } }))) throw notFound('Tenant');
    return tx.tenant.update({ where: { id }, data });
  });
  ctx.loaders.tenant.clear(id);
  return updated;
}

/** Every flag of a facility (absent rows are off). Facility-level callers see only their own facility's. */
export async function facilityFlags(ctx: ResolverContext, facilityId: string) {
  const visible = facilityFeaturesAccess.where(ctx.identity);
  // Asking about a facility outside your reach is refused outright (absent rows would read as "all off").
  if (matchesWhere(visible, { tenantId: ctx.identity.tenantId, facilityId }) !== true)
    throw forbidden("You can only see your own facility's features.");
  const row = await ctx.db.run((tx) => featuresOfFacility(tx, facilityId, visible));
  return FEATURE_FLAGS.map((flag) => ({ facilityId, flag, enabled: !!row?.enabled.includes(flag), updatedAt: row?.updatedAt ?? null }));
}

/** Switches one feature of a facility of the caller's tenant (system administrators: any tenant, named by `tenantId`). */
export async function setFacilityFlag(
  ctx: ResolverContext,
  args: { facilityId: string; flag: FeatureFlag; enabled: boolean; tenantId?: string | null },
) {
  const identity = ctx.identity;
  parseInput(z.object({ facilityId: z.guid('not an id'), tenantId: z.guid('not an id').nullish() }), args);
  if (args.tenantId && args.tenantId !== identity.tenantId && reachOf(identity) !== 'system')
    throw forbidden("You can only change your own tenant's facilities.");
  const tenantId = args.tenantId ?? identity.tenantId;
  // Campus vouches for the facility (kit references.ts): a flag for a facility that is nobody's is refused.
  if (!(await ctx.references.facilities([args.facilityId])).has(args.facilityId)) throw notFound('The facility (`facilityId`)');
  const row = await ctx.db.run(async (tx) => {
    const saved = await switchFlag(tx, {
      facilityId: args.facilityId,
      tenantId,
      flag: args.flag,
      enabled: args.enabled,
      updatedBy: identity.userId,
    });
    if (!saved)
      throw conflict('That facility belongs to another tenant.', {
        reason: 'OTHER_TENANT',
        fieldErrors: { facilityId: 'belongs to another tenant' },
      });
    await publishFeatureFlagChanged(ctx.events.within(tx), {
      facilityId: saved.facilityId,
      tenantId: saved.tenantId,
      flag: args.flag,
      enabled: args.enabled,
    });
    return saved;
  });
  await publishFlagsOfFacility(ctx.redis, row);
  return { facilityId: row.facilityId, flag: args.flag, enabled: row.enabled.includes(args.flag), updatedAt: row.updatedAt };
}
