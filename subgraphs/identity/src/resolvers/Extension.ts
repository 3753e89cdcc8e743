import type { ExtensionResolvers } from '../generated/graphql.ts';
import { practicalityScore } from '../data/extensions.ts';

export const Extension: ExtensionResolvers = {
  factors: (ext, _, ctx) => ctx.loaders.factorsOfExtension.load(ext.id),
  // Computed at read time from the factors, never stored (seed 001's view).
  practicalityScore: async (ext, _, ctx) => practicalityScore(await ctx.loaders.factorsOfExtension.load(ext.id)),
};
