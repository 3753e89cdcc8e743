import type { IdentityContext } from '../context.ts';
import type { TenantResolvers } from '../generated/graphql.ts';

export const Tenant: TenantResolvers = {
  // Federation resolves references before field rules run: the context may be anonymous (the loader then finds nothing).
  __resolveReference: (ref, ctx: IdentityContext) => ctx.loaders.tenant.load(ref.id),
};
