import { badInput, decodeCursor, encodeCursor, pageTake, toConnection } from '@pathway/kit';
import type { UserResolvers } from '../generated/graphql.ts';
import { assetListFilter, listAssets } from '../data/assets.ts';
import { listSpaces } from '../data/spaces.ts';
import { listProjects } from '../data/projects.ts';
import { taggedIds } from './tagged.ts';
import { recommendationsFor } from '../data/recommendations.ts';

/** Identity owns User; this subgraph adds what a person lists and holds. */
export const User: UserResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  async listings(user, args, ctx) {
    const rows = await ctx.loaders.listingsOf(args).load(user.id);
    return toConnection(rows, { take: pageTake(args) }, 'createdAt');
  },
  transactions: (user, args, ctx) => ctx.loaders.transactionsOfUser.load({ key: user.id, page: { first: args.first, after: args.after } }),
  reservations: (user, args, ctx) =>
    ctx.loaders.reservationsOfUser.load({ key: user.id, page: { first: args.first, after: args.after }, filter: null }),
  async digitalAssets(user, args, ctx) {
    const rows = await ctx.loaders.assetsOf(args).load(user.id);
    return toConnection(rows, { take: pageTake(args) });
  },
  async virtualSpaces(user, page, ctx) {
    const { rows, take } = await listSpaces(ctx.mongo, ctx.identity, { ownerId: user.id }, page);
    for (const row of rows) ctx.loaders.space.prime(row.id, row);
    return toConnection(rows, { take });
  },
  async projects(user, { filter, ...page }, ctx) {
    const { tags, ...rest } = filter ?? {};
    const ids = await taggedIds(ctx, 'project', tags);
    const { rows, take } = await listProjects(ctx.mongo, ctx.identity, { ...rest, ownerId: user.id, ids }, page);
    for (const row of rows) ctx.loaders.project.prime(row.id, row);
    return toConnection(rows, { take });
  },
  // Only the person themself (the shield): ranked now, paged by rank.
  async recommendations(user, { type, ...page }, ctx) {
    const take = pageTake(page);
    const { ranked } = await recommendationsFor(ctx.db.read, ctx.mongo, ctx.references, ctx.identity);
    const shown = type ? ranked.filter((r) => r.type === type) : ranked;
    const start = page.after ? shown.findIndex((r) => r.id === decodeCursor(page.after!).id) + 1 : 0;
    if (start === 0 && page.after) throw badInput('The `after` cursor names no recommendation of this ranking. Start again without it.');
    const rows = shown.slice(start, start + take).map((r, i) => ({ ...r, rank: start + i }));
    const connection = toConnection(rows, { take });
    // The cursor carries the rank as its value (the id finds the place; the ranking may have moved).
    return { ...connection, edges: connection.edges.map((e) => ({ ...e, cursor: encodeCursor(e.node.rank, e.node.id) })) };
  },
  // Without a filter, many people's first pages come in one aggregation (the loader); a filter asks once per person.
  async assets(user, { filter, ...page }, ctx) {
    if (!filter) return toConnection(await ctx.loaders.assetsOf(page).load(user.id), { take: pageTake(page) });
    const ids = await taggedIds(ctx, 'asset', filter.tags);
    const { rows, take } = await listAssets(ctx.mongo, ctx.identity, { ...assetListFilter(filter), ownerId: user.id, ids }, page);
    for (const row of rows) ctx.loaders.asset.prime(row.id, row);
    return toConnection(rows, { take });
  },
};
