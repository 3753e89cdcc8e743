import { parseInput, type Identity } from '@pathway/kit';
import type { PropertyMediaInput } from '../generated/graphql.ts';
import type { Prisma, Property } from '../generated/prisma/client.ts';
import { logActivity } from './activity.ts';
import { mediaList } from './property-input.ts';
import { assertMayChange, lockProperty } from './properties.ts';

type Tx = Prisma.TransactionClient;

const describe = (m: { mediaType: string; url: string; isPrimary: boolean }) => ({
  mediaType: m.mediaType,
  url: m.url,
  isPrimary: m.isPrimary,
});

/**
 * Replaces a listing's media with the given ordered list: position = index; the one marked primary
 * (at most one; the database's partial unique index says so too), else the first.
 */
export async function setPropertyMedia(tx: Tx, identity: Identity, propertyId: string, input: PropertyMediaInput[]): Promise<Property> {
  const media = parseInput(mediaList, input, 'The media');
  const property = await lockProperty(tx, identity, propertyId, 'propertyId');
  assertMayChange(identity, property);
  const primaryAt = Math.max(
    0,
    media.findIndex((m) => m.isPrimary),
  );
  const before = await tx.propertyMedia.findMany({ where: { propertyId: property.id }, orderBy: { position: 'asc' } });
  await tx.propertyMedia.deleteMany({ where: { propertyId: property.id } });
  const rows = media.map((m, position) => ({
    tenantId: property.tenantId,
    propertyId: property.id,
    mediaType: m.mediaType,
    url: m.url,
    isPrimary: position === primaryAt,
    position,
  }));
  await tx.propertyMedia.createMany({ data: rows });
  await logActivity(tx, [
    {
      actor: identity,
      entity: property,
      entityType: 'property',
      activityType: 'property.media_set',
      before: { media: before.map(describe) },
      after: { media: rows.map(describe) },
    },
  ]);
  return property;
}
