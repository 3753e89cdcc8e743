import { conflict, notFound, tenantFilter, uuidArg, type Identity } from '@pathway/kit';
import type { Prisma, ProviderUserMapping } from '../generated/prisma/client.ts';
import type { Person } from '../sync/people.ts';
import { lockPlatform } from './providers.ts';

type Tx = Prisma.TransactionClient;

/** The mapping, locked, if the caller manages its platform (NOT_FOUND otherwise). */
export async function lockMapping(tx: Tx, identity: Identity, id: string): Promise<ProviderUserMapping> {
  const mappingId = uuidArg(id, 'mappingId')!;
  await tx.$queryRaw`SELECT id FROM provider_user_mappings WHERE id = ${mappingId}::uuid FOR UPDATE`;
  const mapping = await tx.providerUserMapping.findFirst({ where: { AND: [{ id: mappingId }, tenantFilter(identity)] } });
  if (!mapping) throw notFound('The provider user');
  await lockPlatform(tx, identity, mapping.providerPlatformId);
  return mapping;
}

/**
 * Ties a provider person to a Pathway person by hand. `person` is what identity said of the id in the
 * mapping's tenant (null: no such person there, NOT_FOUND). The next sync writes their enrollments.
 */
export async function linkMapping(tx: Tx, identity: Identity, id: string, userId: string, person: Person | null) {
  const mapping = await lockMapping(tx, identity, id);
  if (!person || person.id !== userId) throw notFound('The person');
  if (mapping.status === 'linked' && mapping.userId === person.id)
    throw conflict('The provider user is already linked to that person.', { reason: 'ALREADY_IN_STATE' });
  return tx.providerUserMapping.update({
    where: { id: mapping.id },
    data: { status: 'linked', userId: person.id, facilityId: person.facilityId, matchedBy: 'admin' },
  });
}

/** Marks a provider person as not one of Pathway's (e.g. a teacher's test account): left out of syncs, no longer listed as unmatched. */
export async function ignoreMapping(tx: Tx, identity: Identity, id: string) {
  const mapping = await lockMapping(tx, identity, id);
  if (mapping.status === 'ignored') throw conflict('The provider user is already ignored.', { reason: 'ALREADY_IN_STATE' });
  return tx.providerUserMapping.update({
    where: { id: mapping.id },
    data: { status: 'ignored', userId: null, facilityId: null, matchedBy: null },
  });
}
