import type { IdentityContext } from '../context.ts';
import type { UserExtension } from '../generated/prisma/client.ts';
import { practicalityScore } from '../data/extensions.ts';

export const Extension = {
  factors: (ext: UserExtension, _: unknown, ctx: IdentityContext) => ctx.loaders.factorsOfExtension.load(ext.id),
  // Computed at read time from the factors, never stored (seed 001's view).
  practicalityScore: async (ext: UserExtension, _: unknown, ctx: IdentityContext) =>
    practicalityScore(await ctx.loaders.factorsOfExtension.load(ext.id)),
};
