import { randomUUID } from 'node:crypto';
import { conflict, forbidden, type Identity, notFound, parseInput, rethrowDuplicate, uuidArg } from '@pathway/kit';
import { z } from 'zod';
import type { CreateTagInput, TagItemInput } from '../generated/graphql.ts';
import type { Prisma, Tag, TaggedItemType } from '../generated/prisma/client.ts';
import { managesAssets, managesBusinessModels, managesListings, mayEditSpace, propertyAccess } from '../access.ts';
import { findAssetsByIds, type MongoDb } from '../data/assets.ts';
import { findModelsByIds } from '../data/business-models.ts';
import { findProjectsByIds } from '../data/projects.ts';
import { findSpace } from '../data/spaces.ts';
import { TAG_SLUG, tagsOfItems, type ItemTag } from '../data/tags.ts';
import { logActivity } from './activity.ts';

type Tx = Prisma.TransactionClient;

const tagFields = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters'),
  slug: z
    .string()
    .max(60, 'at most 60 characters')
    .regex(TAG_SLUG, 'must be lowercase letters, digits and single hyphens, such as second-chance'),
  category: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,49}$/, 'must be 2–50 lowercase letters, digits or underscores')
    .nullish(),
});

/** "Second Chance Housing!" → "second-chance-housing". */
export const slugOf = (name: string) =>
  name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');

export async function createTag(tx: Tx, identity: Identity, input: CreateTagInput): Promise<Tag> {
  const fields = parseInput(tagFields, { ...input, slug: input.slug ?? slugOf(input.name ?? '') }, 'The tag');
  const tag = await tx.tag
    .create({ data: { id: randomUUID(), tenantId: identity.tenantId, createdBy: identity.userId, ...fields } })
    .catch(rethrowDuplicate(`Your tenant has a tag "${fields.slug}" already.`, { slug: 'taken' }));
  await logActivity(tx, [
    { actor: identity, entity: tag, entityType: 'tag', activityType: 'tag.created', after: { slug: tag.slug, name: tag.name } },
  ]);
  return tag;
}

/** The item as tagging needs it: its tenant, once it is known to exist, be in reach and be the caller's to change. */
type TaggableItem = { id: string; tenantId: string };

const NAMES: Record<TaggedItemType, string> = {
  property: 'The listing',
  asset: 'The digital asset',
  space: 'The virtual space',
  business_model: 'The business model',
  project: 'The business project',
};

/**
 * The item named, checked: it exists and the caller may see it (else NOT_FOUND: outside your reach
 * looks like nothing), and may change it (else FORBIDDEN) — the same people who may edit it.
 */
async function changeableItem(tx: Tx, mongo: MongoDb, identity: Identity, type: TaggedItemType, id: string): Promise<TaggableItem> {
  const missing = () => notFound(`${NAMES[type]} (\`itemId\`)`);
  const refuse = () => forbidden(`Only those who may change ${NAMES[type].toLowerCase()} may tag it.`);
  switch (type satisfies TaggedItemType) {
    case 'property': {
      const p = await tx.property.findFirst({ where: { AND: [{ id }, propertyAccess.where(identity)] } });
      if (!p) throw missing();
      if (p.ownerId !== identity.userId && !managesListings(identity)) throw refuse();
      return p;
    }
    case 'asset': {
      const [a] = await findAssetsByIds(mongo, identity, [id]);
      if (!a) throw missing();
      if (a.ownerId !== identity.userId && !managesAssets(identity)) throw refuse();
      return a;
    }
    case 'space': {
      const s = await findSpace(mongo, identity, id);
      if (!s) throw missing();
      if (!mayEditSpace(identity, s)) throw refuse();
      return s;
    }
    case 'business_model': {
      const [m] = await findModelsByIds(mongo, identity, [id]);
      if (!m) throw missing();
      if (m.creatorId !== identity.userId && !managesBusinessModels(identity)) throw refuse();
      return m;
    }
    case 'project': {
      // Seen means owned, or in the reach of a project manager (access.ts), who may change it.
      const [p] = await findProjectsByIds(mongo, identity, [id]);
      if (!p) throw missing();
      return p;
    }
    default:
      throw missing();
  }
}

/**
 * Puts a tag on an item (`on`) or takes it off, checking the item and the tag (of the item's
 * tenant), with an activity line; a listing's tags change its tenant's cached listings (the caller
 * publishes `market.property.changed` in the same transaction). Answers the item and its tags after.
 * A MongoDB item is only read here: its tag references are this one Postgres row (data/tags.ts).
 */
export async function setItemTag(
  tx: Tx,
  mongo: MongoDb,
  identity: Identity,
  input: TagItemInput,
  on: boolean,
): Promise<{ item: TaggableItem; tags: ItemTag[] }> {
  const itemId = uuidArg(input.itemId, 'itemId')!;
  const tagId = uuidArg(input.tagId, 'tagId')!;
  const type = input.itemType;
  const item = await changeableItem(tx, mongo, identity, type, itemId);
  const tag = await tx.tag.findFirst({ where: { id: tagId, tenantId: item.tenantId } });
  if (!tag) throw notFound("The tag (`tagId`) of the item's tenant");
  if (on) {
    const { count } = await tx.entityTag.createMany({
      data: [{ id: randomUUID(), tenantId: item.tenantId, tagId, entityType: type, entityId: itemId, taggedBy: identity.userId }],
      skipDuplicates: true,
    });
    if (count === 0) throw conflict(`It carries the tag "${tag.slug}" already.`, { reason: 'ALREADY_IN_STATE' });
  } else {
    const { count } = await tx.entityTag.deleteMany({ where: { tagId, entityType: type, entityId: itemId } });
    if (count === 0) throw notFound(`The tag "${tag.slug}" on it`);
  }
  const activityType = type === 'property' ? (on ? 'property.tagged' : 'property.untagged') : on ? 'item.tagged' : 'item.untagged';
  await logActivity(tx, [
    {
      actor: identity,
      entity: item,
      entityType: type,
      activityType,
      before: on ? null : { tag: tag.slug },
      after: on ? { tag: tag.slug } : null,
    },
  ]);
  return { item, tags: await tagsOfItems(tx, type, [itemId]) };
}
