import { pageQuery, primeVisible, toConnection } from '@pathway/kit';
import type { QueryResolvers } from '../generated/graphql.ts';
import { marketStats } from '../data/stats.ts';
import { assetListFilter, listAssets } from '../data/assets.ts';
import { searchProperties } from '../data/property-search.ts';
import { listReservations } from '../data/reservations.ts';
import { listSpaces } from '../data/spaces.ts';
import { searchCityResources } from '../data/city-resources.ts';
import { listTags } from '../data/tags.ts';
import { listModels } from '../data/business-models.ts';
import { listProjects } from '../data/projects.ts';
import { taggedIds } from './tagged.ts';

export const Query: QueryResolvers = {
  marketStats: (_, __, ctx) => ctx.db.read((tx) => marketStats(tx, ctx.mongo, ctx.identity)),

  // The loaders apply the access filters: outside your reach reads as not found (no FORBIDDEN that
  // would confirm the id exists).
  property: (_, { id }, ctx) => ctx.loaders.property.load(id),
  digitalAsset: (_, { id }, ctx) => ctx.loaders.asset.load(id),
  reservation: (_, { id }, ctx) => ctx.loaders.reservation.load(id),
  transaction: (_, { id }, ctx) => ctx.loaders.transaction.load(id),

  async reservations(_, args, ctx) {
    const query = pageQuery(args, 'createdAt', 'desc');
    await ctx.readCaseload();
    const rows = await ctx.db.read((tx) => listReservations(tx, ctx.identity, args.filter ?? {}, query));
    for (const row of rows) ctx.loaders.reservation.prime(row.id, row);
    primeVisible(ctx.loaders.reservationVisible, rows);
    return toConnection(rows, query, 'createdAt');
  },

  async properties(_, args, ctx) {
    // Unsorted means newest first; an explicit sort defaults to ascending.
    const sort = args.sort
      ? { field: args.sort.field, direction: args.sort.direction ?? 'ASC' }
      : ({ field: 'CREATED_AT', direction: 'DESC' } as const);
    const { rows, take, sortField } = await ctx.db.read((tx) => searchProperties(tx, ctx.identity, args.filter ?? {}, args, sort));
    for (const row of rows) ctx.loaders.property.prime(row.id, row);
    primeVisible(ctx.loaders.propertyVisible, rows);
    return toConnection(rows, { take }, sortField);
  },

  cityResource: (_, { id }, ctx) => ctx.loaders.cityResource.load(id),
  async cityResources(_, { filter, ...page }, ctx) {
    const { rows, take, sortField } = await ctx.db.read((tx) => searchCityResources(tx, ctx.identity, filter ?? {}, page));
    for (const row of rows) ctx.loaders.cityResource.prime(row.id, row);
    return toConnection(rows, { take }, sortField);
  },
  virtualSpace: (_, { id }, ctx) => ctx.loaders.space.load(id),
  async virtualSpaces(_, { filter, ...page }, ctx) {
    const { tags, ...rest } = filter ?? {};
    const ids = await taggedIds(ctx, 'space', tags);
    const { rows, take } = await listSpaces(ctx.mongo, ctx.identity, { ...rest, ids }, page);
    for (const row of rows) ctx.loaders.space.prime(row.id, row);
    return toConnection(rows, { take });
  },

  async digitalAssets(_, args, ctx) {
    const ids = await taggedIds(ctx, 'asset', args.filter?.tags);
    const { rows, take } = await listAssets(ctx.mongo, ctx.identity, { ...assetListFilter(args.filter), ids }, args);
    for (const row of rows) ctx.loaders.asset.prime(row.id, row);
    return toConnection(rows, { take });
  },

  async tags(_, { filter, ...page }, ctx) {
    const { rows, take } = await ctx.db.read((tx) => listTags(tx, ctx.identity, filter ?? {}, page));
    return toConnection(rows, { take }, 'slug');
  },
  businessModel: (_, { id }, ctx) => ctx.loaders.businessModel.load(id),
  async businessModels(_, { filter, ...page }, ctx) {
    const { tags, ...rest } = filter ?? {};
    const ids = await taggedIds(ctx, 'business_model', tags);
    const { rows, take } = await listModels(ctx.mongo, ctx.identity, { ...rest, ids }, page);
    for (const row of rows) ctx.loaders.businessModel.prime(row.id, row);
    return toConnection(rows, { take });
  },
  businessProject: (_, { id }, ctx) => ctx.loaders.project.load(id),
  async businessProjects(_, { filter, ...page }, ctx) {
    const { tags, ...rest } = filter ?? {};
    const ids = await taggedIds(ctx, 'project', tags);
    const { rows, take } = await listProjects(ctx.mongo, ctx.identity, { ...rest, ids }, page);
    for (const row of rows) ctx.loaders.project.prime(row.id, row);
    return toConnection(rows, { take });
  },
};
