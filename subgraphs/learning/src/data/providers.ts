import { pageQuery, uuidsOnly, type Identity, type PageArgs } from '@pathway/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import type { ProviderPlatformFilter } from '../generated/graphql.ts';
import { providerPlatformAccess } from '../access.ts';

type Tx = Prisma.TransactionClient;

const byIdsVisible = (identity: Identity, ids: readonly string[]): Prisma.ProviderPlatformWhereInput => ({
  AND: [{ id: { in: uuidsOnly(ids) } }, providerPlatformAccess.where(identity)],
});

/** The encrypted access key never leaves the database through the API's queries. */
const withoutSecret = { accessKeyEncrypted: true } as const;

export function findPlatformsByIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.providerPlatform.findMany({
    where: byIdsVisible(identity, ids),
    omit: withoutSecret,
  });
}

export type PlatformRow = Awaited<ReturnType<typeof findPlatformsByIds>>[number];

/** Which of `ids` the identity may see (the row rule's database fallback). */
export function visiblePlatformIds(tx: Tx, identity: Identity, ids: readonly string[]) {
  return tx.providerPlatform.findMany({
    where: byIdsVisible(identity, ids),
    select: { id: true },
  });
}

/** One page of platforms inside the identity's reach, by name; the access filter is ANDed in whatever the client asks. */
export async function listPlatforms(tx: Tx, identity: Identity, filter: ProviderPlatformFilter, page: PageArgs) {
  const sortField = 'name';
  const query = pageQuery(page, sortField, 'asc');
  const where: Prisma.ProviderPlatformWhereInput = {
    AND: [
      providerPlatformAccess.where(identity),
      query.where,
      filter.type ? { type: filter.type } : {},
      filter.state ? { state: filter.state } : {},
    ],
  };
  const rows = await tx.providerPlatform.findMany({ where, orderBy: query.orderBy, take: query.take, omit: withoutSecret });
  return { rows, query, sortField };
}

/**
 * Platforms offered at one facility (`Facility.providerPlatforms`), by name: of the facility's
 * tenant, serving the whole tenant or that facility, available everywhere or there, not archived,
 * and only those the caller may see.
 */
export async function listPlatformsAt(tx: Tx, identity: Identity, facility: { id: string; tenantId: string }, page: PageArgs) {
  const query = pageQuery(page, 'name', 'asc');
  const where: Prisma.ProviderPlatformWhereInput = {
    AND: [
      providerPlatformAccess.where(identity),
      query.where,
      { tenantId: facility.tenantId, state: { not: 'archived' } },
      { OR: [{ facilityId: null }, { facilityId: facility.id }] },
      { OR: [{ availability: { none: {} } }, { availability: { some: { facilityId: facility.id } } }] },
    ],
  };
  const rows = await tx.providerPlatform.findMany({ where, orderBy: query.orderBy, take: query.take, omit: withoutSecret });
  return { rows, query };
}
