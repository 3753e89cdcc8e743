import { z } from 'zod';
import {
  sealSecret,
  forbidden,
  notFound,
  type PageArgs,
  pageQuery,
  parseInput,
  reachOf,
  rethrowDuplicate,
  toConnection,
} from '@pathway/kit';
import { integrationAccess } from '../access.ts';
import type { ResolverContext } from '../context.ts';

const fields = {
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048),
  status: z.enum(['active', 'inactive', 'error']),
  secret: z.string().min(1, 'must not be empty').max(4096),
};
const registerSchema = z.object({
  name: z.string().trim().min(1, 'required').max(100),
  ...fields,
  status: fields.status.default('active'),
  secret: fields.secret.nullish(),
  tenantId: z.guid('not an id').nullish(),
});
const updateSchema = z.object({ baseUrl: fields.baseUrl.nullish(), status: fields.status.nullish(), secret: fields.secret.nullish() });

const taken = rethrowDuplicate('An integration with that name exists in this tenant.', { name: 'already used' });

/** The caller tenant's integrations (system administrators: every tenant's). */
export async function listIntegrations(ctx: ResolverContext, page: PageArgs) {
  const query = pageQuery(page, 'name', 'asc');
  const rows = await ctx.db.run((tx) =>
    tx.integration.findMany({
      where: { AND: [integrationAccess.where(ctx.identity), query.where] },
      orderBy: query.orderBy,
      take: query.take,
    }),
  );
  return toConnection(rows, query, 'name');
}

export async function registerIntegration(ctx: ResolverContext, raw: unknown) {
  const input = parseInput(registerSchema, raw);
  const identity = ctx.identity;
  const tenantId = input.tenantId ?? identity.tenantId;
  if (tenantId !== identity.tenantId && reachOf(identity) !== 'system')
    throw forbidden('You can only register integrations for your own tenant.');
  const secret = input.secret ? { secretCiphertext: sealSecret(ctx.integrationKeys, input.secret), secretSetAt: new Date() } : {};
  return ctx.db
    .run((tx) => tx.integration.create({ data: { tenantId, name: input.name, baseUrl: input.baseUrl, status: input.status, ...secret } }))
    .catch(taken);
}

export async function updateIntegration(ctx: ResolverContext, id: string, raw: unknown) {
  const input = parseInput(updateSchema, raw);
  return ctx.db.run(async (tx) => {
    const found = await tx.integration.findFirst({ where: { AND: [{ id }, integrationAccess.where(ctx.identity)] } });
    if (!found) throw notFound('Integration');
    return tx.integration.update({
      where: { id },
      data: {
        ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
        ...(input.status ? { status: input.status } : {}),
        ...(input.secret ? { secretCiphertext: sealSecret(ctx.integrationKeys, input.secret), secretSetAt: new Date() } : {}),
      },
    });
  });
}
