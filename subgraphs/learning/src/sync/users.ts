import type { Prisma, ProviderPlatform, ProviderUserMapping } from '../generated/prisma/client.ts';
import type { ProviderUser } from '../providers/types.ts';
import type { SyncCounts } from './counts.ts';
import type { MatchedBy, Person } from './people.ts';
import type { MappedPerson } from './courses.ts';

type Tx = Prisma.TransactionClient;

/** The stored mappings of one page's provider people. */
export const mappingsOf = (tx: Tx, platformId: string, users: ProviderUser[]) =>
  tx.providerUserMapping.findMany({ where: { providerPlatformId: platformId, externalUserId: { in: users.map((u) => u.externalId) } } });

/** People worth asking the directory about: new ones, and those still unmatched (linked and ignored ones are an admin's decision). */
export const toMatch = (users: ProviderUser[], stored: ProviderUserMapping[]) => {
  const byId = new Map(stored.map((m) => [m.externalUserId, m]));
  return users.filter((u) => {
    const m = byId.get(u.externalId);
    return !m || m.status === 'unmatched';
  });
};

/** Writes one page's mappings: new people, newly matched ones, changed names or emails; the rest untouched. */
export async function writeUsersPage(
  tx: Tx,
  platform: Pick<ProviderPlatform, 'id' | 'tenantId'>,
  users: ProviderUser[],
  matches: Map<string, { person: Person; by: MatchedBy }>,
  counts: SyncCounts,
) {
  const stored = new Map((await mappingsOf(tx, platform.id, users)).map((m) => [m.externalUserId, m]));
  const fresh: Prisma.ProviderUserMappingCreateManyInput[] = [];
  for (const user of users) {
    counts.usersSeen++;
    const match = matches.get(user.externalId);
    const external = { externalUsername: user.username, externalEmail: user.email, externalName: user.name };
    const matched = match
      ? { userId: match.person.id, facilityId: match.person.facilityId, status: 'matched' as const, matchedBy: match.by }
      : {};
    const current = stored.get(user.externalId);
    if (!current) {
      fresh.push({
        tenantId: platform.tenantId,
        providerPlatformId: platform.id,
        externalUserId: user.externalId,
        ...external,
        ...matched,
      });
      counts.mappingsCreated++;
      if (match) counts.mappingsMatched++;
      else counts.usersUnmatched++;
      continue;
    }
    const renamed =
      current.externalUsername !== user.username || current.externalEmail !== user.email || current.externalName !== user.name;
    const newlyMatched = current.status === 'unmatched' && match;
    if (renamed || newlyMatched)
      await tx.providerUserMapping.update({ where: { id: current.id }, data: { ...external, ...(newlyMatched ? matched : {}) } });
    if (newlyMatched) counts.mappingsMatched++;
    else if (renamed) counts.mappingsUpdated++;
    else counts.mappingsUnchanged++;
    if (current.status === 'unmatched' && !match) counts.usersUnmatched++;
  }
  if (fresh.length) await tx.providerUserMapping.createMany({ data: fresh, skipDuplicates: true });
}

/** Everyone of the platform tied to a Pathway person, by provider id: whom enrollments are written for. */
export async function mappedPeople(tx: Tx, platformId: string): Promise<Map<string, MappedPerson>> {
  const rows = await tx.providerUserMapping.findMany({
    where: { providerPlatformId: platformId, status: { in: ['matched', 'linked'] }, userId: { not: null } },
    select: { externalUserId: true, userId: true, facilityId: true },
  });
  return new Map(rows.map((r) => [r.externalUserId, { userId: r.userId!, facilityId: r.facilityId }]));
}
