import { randomUUID } from 'node:crypto';
import { conflict, type Identity, notFound, parseInput, uuidArg } from '@pathway/kit';
import { z } from 'zod';
import type { CityResourceInput, UpdateCityResourceInput } from '../generated/graphql.ts';
import type { CityResource, Prisma } from '../generated/prisma/client.ts';
import { cityResourceAccess } from '../access.ts';
import { changedFields, logActivity } from './activity.ts';
import { decimal, httpUrl } from './property-input.ts';

type Tx = Prisma.TransactionClient;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
/** Every field a city resource holds, as stored: the create and the merged update are both checked against it. */
const resourceFields = z
  .object({
    city: text(100),
    state: text(50),
    zipCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9 -]{3,20}$/, 'must be a postal code')
      .nullish(),
    resourceType: z
      .string()
      .regex(/^[a-z][a-z0-9_]{1,49}$/, 'must be lowercase letters, digits or underscores, such as assessor or permit'),
    name: text(255),
    url: httpUrl(255),
    description: z.string().trim().max(5000, 'at most 5,000 characters').nullish(),
    apiAvailable: z.boolean(),
    apiEndpoint: httpUrl(255).nullish(),
    latitude: decimal(-90, 90, 6).nullish(),
    longitude: decimal(-180, 180, 6).nullish(),
  })
  .refine((r) => (r.latitude == null) === (r.longitude == null), {
    message: 'latitude and longitude go together (both or neither)',
    path: ['longitude'],
  });

const stored = (r: CityResource) => ({
  city: r.city,
  state: r.state,
  zipCode: r.zipCode,
  resourceType: r.resourceType,
  name: r.name,
  url: r.url,
  description: r.description,
  apiAvailable: r.apiAvailable,
  apiEndpoint: r.apiEndpoint,
  latitude: r.latitude,
  longitude: r.longitude,
});

export async function createCityResource(tx: Tx, identity: Identity, input: CityResourceInput): Promise<CityResource> {
  const fields = parseInput(resourceFields, { ...input, apiAvailable: input.apiAvailable ?? false }, 'The resource');
  const resource = await tx.cityResource.create({
    data: { id: randomUUID(), tenantId: identity.tenantId, createdBy: identity.userId, ...fields },
  });
  await logActivity(tx, [
    { actor: identity, entity: resource, entityType: 'resource', activityType: 'resource.created', after: { name: resource.name } },
  ]);
  return resource;
}

/** Only the fields given change (null clears an optional one); the merged resource is checked whole. */
export async function updateCityResource(tx: Tx, identity: Identity, id: string, input: UpdateCityResourceInput): Promise<CityResource> {
  const resourceId = uuidArg(id, 'id')!;
  await tx.$queryRaw`SELECT id FROM city_resources WHERE id = ${resourceId}::uuid FOR UPDATE`;
  const current = await tx.cityResource.findFirst({ where: { AND: [{ id: resourceId }, cityResourceAccess.where(identity)] } });
  if (!current) throw notFound('The city resource');
  const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const fields = parseInput(resourceFields, { ...stored(current), ...given }, 'The resource');
  const { before, after, keys } = changedFields(jsonOf(stored(current)), jsonOf(fields));
  if (keys.length === 0) throw conflict('The resource is already so.', { reason: 'ALREADY_IN_STATE' });
  const updated = await tx.cityResource.update({ where: { id: current.id }, data: fields });
  await logActivity(tx, [{ actor: identity, entity: updated, entityType: 'resource', activityType: 'resource.updated', before, after }]);
  return updated;
}

/** Decimals as their text, for comparing and logging. */
const jsonOf = (r: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v == null ? null : typeof v === 'object' ? String(v) : v]));
