import type { IdentityContext } from '../context.ts';

export const Tenant = {
  __resolveReference: (ref: { id: string }, ctx: IdentityContext) => ctx.loaders.tenant.load(ref.id),
};
