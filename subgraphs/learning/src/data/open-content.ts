import { pageQuery, uuidsOnly, type Identity, type PageArgs, type PageQuery } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import type { ContentRequestFilter, HelpfulLinkFilter, LibraryFilter, VideoFilter } from '../generated/graphql.ts';
import {
  contentRequestAccess,
  favoriteAccess,
  helpfulLinkAccess,
  libraryAccess,
  openContentProviderAccess,
  videoAccess,
} from '../access.ts';

type Tx = Prisma.TransactionClient;

/** The three kinds of open content, and the column a visibility or favorite row names each by. */
export type ContentKind = 'library' | 'video' | 'helpful_link';
export const ITEM_COLUMN = { library: 'libraryId', video: 'videoId', helpful_link: 'helpfulLinkId' } as const satisfies Record<
  ContentKind,
  string
>;

const byIds = (ids: readonly string[]) => ({ id: { in: uuidsOnly(ids) } });

export const findLibrariesByIds = (tx: Tx, identity: Identity, ids: readonly string[]) =>
  tx.library.findMany({ where: { AND: [byIds(ids), libraryAccess.where(identity)] } });
export const findVideosByIds = (tx: Tx, identity: Identity, ids: readonly string[]) =>
  tx.video.findMany({ where: { AND: [byIds(ids), videoAccess.where(identity)] } });
export const findHelpfulLinksByIds = (tx: Tx, identity: Identity, ids: readonly string[]) =>
  tx.helpfulLink.findMany({ where: { AND: [byIds(ids), helpfulLinkAccess.where(identity)] } });
export const findContentProvidersByIds = (tx: Tx, identity: Identity, ids: readonly string[]) =>
  tx.openContentProvider.findMany({ where: { AND: [byIds(ids), contentProviderReadable(identity)] } });
export const findContentRequestsByIds = (tx: Tx, identity: Identity, ids: readonly string[]) =>
  tx.contentRequest.findMany({ where: { AND: [byIds(ids), contentRequestAccess.where(identity)] } });

/**
 * A provider as the parent of an item the caller already sees: its title and kind are part of the
 * catalog (administrators read all of their tenant's through openContentProviderAccess).
 */
const contentProviderReadable = (identity: Identity): Prisma.OpenContentProviderWhereInput => ({
  OR: [openContentProviderAccess.where(identity), { tenantId: identity.tenantId, currentlyEnabled: true }],
});

/** A list's filter, with the ids a category filter resolved to (MongoDB) when one was given. */
export type WithIds<F> = F & { ids?: readonly string[] | null };

/** The filters every open-content list shares: a title part, "visible at" (administrators choosing), a category's items. */
const common = (filter: WithIds<{ titleContains?: string | null; visibleAtFacilityId?: string | null }>) => [
  filter.ids ? { id: { in: uuidsOnly(filter.ids) } } : {},
  filter.titleContains?.trim() ? { title: { contains: filter.titleContains.trim(), mode: 'insensitive' as const } } : {},
  filter.visibleAtFacilityId ? { visibility: { some: { facilityId: filter.visibleAtFacilityId } } } : {},
];

const byTitle = (page: PageArgs): PageQuery => pageQuery(page, 'title', 'asc');

export async function listLibraries(tx: Tx, identity: Identity, filter: WithIds<LibraryFilter>, page: PageArgs) {
  const query = byTitle(page);
  const where: Prisma.LibraryWhereInput = {
    AND: [
      libraryAccess.where(identity),
      query.where,
      ...common(filter),
      filter.openContentProviderId ? { openContentProviderId: filter.openContentProviderId } : {},
      filter.language ? { language: filter.language } : {},
    ],
  };
  return { rows: await tx.library.findMany({ where, orderBy: query.orderBy, take: query.take }), query };
}

export async function listVideos(tx: Tx, identity: Identity, filter: WithIds<VideoFilter>, page: PageArgs) {
  const query = byTitle(page);
  const where: Prisma.VideoWhereInput = {
    AND: [
      videoAccess.where(identity),
      query.where,
      ...common(filter),
      filter.openContentProviderId ? { openContentProviderId: filter.openContentProviderId } : {},
      filter.availability ? { availability: filter.availability } : {},
    ],
  };
  return { rows: await tx.video.findMany({ where, orderBy: query.orderBy, take: query.take }), query };
}

export async function listHelpfulLinks(tx: Tx, identity: Identity, filter: WithIds<HelpfulLinkFilter>, page: PageArgs) {
  const query = byTitle(page);
  const where: Prisma.HelpfulLinkWhereInput = { AND: [helpfulLinkAccess.where(identity), query.where, ...common(filter)] };
  return { rows: await tx.helpfulLink.findMany({ where, orderBy: query.orderBy, take: query.take }), query };
}

export async function listContentProviders(tx: Tx, identity: Identity, page: PageArgs) {
  const query = byTitle(page);
  const where: Prisma.OpenContentProviderWhereInput = { AND: [openContentProviderAccess.where(identity), query.where] };
  return { rows: await tx.openContentProvider.findMany({ where, orderBy: query.orderBy, take: query.take }), query };
}

export async function listContentRequests(tx: Tx, identity: Identity, filter: ContentRequestFilter, page: PageArgs) {
  const query = pageQuery(page, 'createdAt', 'desc');
  const where: Prisma.ContentRequestWhereInput = {
    AND: [
      contentRequestAccess.where(identity),
      query.where,
      filter.status ? { status: filter.status } : {},
      filter.facilityId ? { facilityId: filter.facilityId } : {},
    ],
  };
  return { rows: await tx.contentRequest.findMany({ where, orderBy: query.orderBy, take: query.take }), query };
}

/** The caller's favorites (of items they may still see), newest first. */
export async function listFavorites(tx: Tx, identity: Identity, kind: ContentKind | null | undefined, page: PageArgs) {
  const query = pageQuery(page, 'createdAt', 'desc');
  const where: Prisma.OpenContentFavoriteWhereInput = {
    AND: [favoriteAccess.where(identity), query.where, kind ? { [ITEM_COLUMN[kind]]: { not: null } } : {}],
  };
  return { rows: await tx.openContentFavorite.findMany({ where, orderBy: query.orderBy, take: query.take }), query };
}

/** Which of `itemIds` (any kind: ids are unique across tables) are the caller's favorites. */
export async function favoriteItemIds(tx: Tx, identity: Identity, itemIds: readonly string[]): Promise<Set<string>> {
  const ids = uuidsOnly(itemIds);
  const rows = await tx.openContentFavorite.findMany({
    where: { userId: identity.userId, OR: [{ libraryId: { in: ids } }, { videoId: { in: ids } }, { helpfulLinkId: { in: ids } }] },
    select: { libraryId: true, videoId: true, helpfulLinkId: true },
  });
  return new Set(rows.map((row) => (row.libraryId ?? row.videoId ?? row.helpfulLinkId)!));
}

/** Facility ids each item is visible at (for administrators: the field's rule requires `learning.content.manage`). */
export async function visibilityOfItems(tx: Tx, itemIds: readonly string[]) {
  const ids = uuidsOnly(itemIds);
  const rows = await tx.openContentVisibility.findMany({
    where: { OR: [{ libraryId: { in: ids } }, { videoId: { in: ids } }, { helpfulLinkId: { in: ids } }] },
    orderBy: { facilityId: 'asc' },
  });
  return rows.map((row) => ({ itemId: (row.libraryId ?? row.videoId ?? row.helpfulLinkId)!, facilityId: row.facilityId }));
}
