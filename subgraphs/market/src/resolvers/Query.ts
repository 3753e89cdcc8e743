import { marketStats } from '../data/stats.ts';
import { toConnection, type PageArgs } from '@pathway/kit';
import type { MarketContext } from '../context.ts';
import { listAssets, type AssetFilterInput } from '../data/assets.ts';
import { listProperties, propertyVisibleTo, type PropertyFilter, type PropertySortField } from '../data/properties.ts';

interface PropertiesArgs extends PageArgs {
  filter?: PropertyFilter | null;
  sort?: { field: PropertySortField; direction?: 'ASC' | 'DESC' | null } | null;
}

interface AssetsArgs extends PageArgs {
  filter?: AssetFilterInput | null;
}

export const Query = {
  marketStats: (_: unknown, __: unknown, ctx: MarketContext) => ctx.db.run((tx) => marketStats(tx, ctx.mongo, ctx.identity!)),

  // Outside your reach reads as not found (no FORBIDDEN that would confirm the id exists).
  async property(_: unknown, { id }: { id: string }, ctx: MarketContext) {
    const property = await ctx.loaders.property.load(id);
    return property && propertyVisibleTo(ctx.identity!, property) ? property : null;
  },
  // The asset loader already applies the visibility rule.
  digitalAsset: (_: unknown, { id }: { id: string }, ctx: MarketContext) => ctx.loaders.asset.load(id),

  async properties(_: unknown, args: PropertiesArgs, ctx: MarketContext) {
    // Unsorted means newest first; an explicit sort defaults to ascending.
    const sort = args.sort
      ? { field: args.sort.field, direction: args.sort.direction ?? 'ASC' }
      : ({ field: 'CREATED_AT', direction: 'DESC' } as const);
    const { rows, query, sortField } = await ctx.db.run((tx) => listProperties(tx, ctx.identity!, args.filter ?? {}, args, sort));
    for (const row of rows) ctx.loaders.property.prime(row.id, row);
    return toConnection(rows, query, sortField);
  },

  async digitalAssets(_: unknown, args: AssetsArgs, ctx: MarketContext) {
    const { rows, take } = await listAssets(ctx.mongo, ctx.identity!, args.filter ?? {}, args);
    for (const row of rows) ctx.loaders.asset.prime(row.id, row);
    return toConnection(rows, { take });
  },
};
