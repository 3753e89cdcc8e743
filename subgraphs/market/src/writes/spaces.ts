import { randomUUID } from 'node:crypto';
import {
  badInput,
  conflict,
  forbidden,
  type Identity,
  notFound,
  parseInput,
  type References,
  requirePeople,
  Roles,
  uuidArg,
} from '@pathway/kit';
import { z } from 'zod';
import type { CreateVirtualSpaceInput, MoveAssetInput, PlaceAssetInput, UpdateVirtualSpaceInput } from '../generated/graphql.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { mayConfigureSpace, mayEditSpace, spaceEditFilter } from '../access.ts';
import { findAssetOfTenant, findAssetsByIds, type MongoDb } from '../data/assets.ts';
import {
  findSpace,
  insertSpace,
  MAX_PLACED_ASSETS,
  updateSpaceIf,
  type SpaceDocument,
  type SpaceFilter,
  type Vector3,
  type VirtualSpaceRow,
} from '../data/spaces.ts';
import { changedFields, logActivity, type ActivityType } from './activity.ts';

type Tx = Prisma.TransactionClient;
/** What space writes need: scoped Postgres transactions (the activity log), MongoDB, identity's people. */
export interface SpaceDeps {
  run<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
  mongo: MongoDb;
  references: References;
}

const LIMIT = 100_000;
const coordinate = z.number().min(-1e9).max(1e9);
const vector = (n: z.ZodNumber) => z.object({ x: n, y: n, z: n });
const dimension = z.number().gt(0, 'must be more than 0').max(LIMIT, 'at most 100,000');
const geometry = z.object({
  coordinates: vector(coordinate).nullish(),
  dimensions: z.object({ width: dimension, height: dimension, depth: dimension }),
});
const people = z.array(z.uuid()).max(100, 'at most 100 people').nullish();
const accessControl = z.object({
  isPublic: z.boolean(),
  allowedUsers: people,
  allowedGroups: z
    .array(z.enum(Roles, { message: `must be a role: ${Roles.join(', ')}` }))
    .max(Roles.length)
    .nullish(),
  editors: people,
});
const name = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');
const description = z.string().trim().max(2000, 'at most 2,000 characters').nullish();
const spaceType = z.string().regex(/^[a-z][a-z0-9_]{1,49}$/, 'must be 2–50 lowercase letters, digits or underscores, such as gallery');
const createFields = z.object({ name, description, spaceType, geometryData: geometry, accessControl: accessControl.nullish() });
const updateFields = z.object({
  name: name.nullish(),
  description,
  spaceType: spaceType.nullish(),
  geometryData: geometry.nullish(),
  accessControl: accessControl.nullish(),
});
const rotation = vector(z.number().min(-360, 'must be −360 to 360 degrees').max(360, 'must be −360 to 360 degrees'));
const scale = vector(z.number().gt(0, 'must be more than 0').max(1000, 'at most 1,000'));
const placement = z.object({ position: vector(z.number()), rotation: rotation.nullish(), scale: scale.nullish() });

type Dimensions = SpaceDocument['geometryData']['dimensions'];
type Acl = z.infer<typeof accessControl>;

/** Where `position` leaves the box [0, width] × [0, height] × [0, depth], as fieldErrors. */
function outside(position: Vector3, d: Dimensions, field = 'position'): Record<string, string> {
  const problems: Record<string, string> = {};
  if (position.x < 0 || position.x > d.width) problems[`${field}.x`] = `must be 0 to ${d.width} (the space's width)`;
  if (position.y < 0 || position.y > d.height) problems[`${field}.y`] = `must be 0 to ${d.height} (the space's height)`;
  if (position.z < 0 || position.z > d.depth) problems[`${field}.z`] = `must be 0 to ${d.depth} (the space's depth)`;
  return problems;
}

/** The Mongo condition that the space's dimensions still contain `position` (guards against a concurrent shrink). */
const contains = (p: Vector3): SpaceFilter => ({
  'geometryData.dimensions.width': { $gte: p.x },
  'geometryData.dimensions.height': { $gte: p.y },
  'geometryData.dimensions.depth': { $gte: p.z },
});

/** The ACL as stored, with every person it names vouched for by identity: active people of the caller's tenant. */
async function checkedAcl(deps: SpaceDeps, identity: Identity, acl: Acl | null | undefined): Promise<SpaceDocument['accessControl']> {
  const allowedUsers = [...new Set(acl?.allowedUsers ?? [])];
  const editors = [...new Set(acl?.editors ?? [])];
  for (const [field, ids] of [
    ['accessControl.allowedUsers', allowedUsers],
    ['accessControl.editors', editors],
  ] as const) {
    if (ids.length === 0) continue;
    const found = await requirePeople(deps.references, identity, ids, { field, within: 'tenant' });
    const elsewhere = found.filter((p) => p.tenantId !== identity.tenantId);
    if (elsewhere.length) throw notFound(`The person ${elsewhere[0]!.id} (\`${field}\`)`);
  }
  return { isPublic: acl?.isPublic ?? false, allowedUsers, allowedGroups: [...new Set(acl?.allowedGroups ?? [])], editors };
}

const spaceLine = (identity: Identity, space: VirtualSpaceRow, activityType: ActivityType, before: object | null, after: object) => ({
  actor: identity,
  entity: space,
  entityType: 'space' as const,
  activityType,
  before: before as Prisma.InputJsonObject | null,
  after: after as Prisma.InputJsonObject,
});

export async function createVirtualSpace(deps: SpaceDeps, identity: Identity, input: CreateVirtualSpaceInput): Promise<VirtualSpaceRow> {
  const fields = parseInput(createFields, input, 'The space');
  const acl = await checkedAcl(deps, identity, fields.accessControl);
  const now = new Date();
  const space = await insertSpace(deps.mongo, {
    _id: randomUUID(),
    tenantId: identity.tenantId,
    name: fields.name,
    description: fields.description ?? null,
    ownerId: identity.userId,
    spaceType: fields.spaceType,
    geometryData: { coordinates: fields.geometryData.coordinates ?? { x: 0, y: 0, z: 0 }, dimensions: fields.geometryData.dimensions },
    assets: [],
    accessControl: acl,
    createdAt: now,
    updatedAt: now,
  });
  await deps.run((tx) =>
    logActivity(tx, [spaceLine(identity, space, 'space.created', null, { name: space.name, spaceType: space.spaceType })]),
  );
  return space;
}

/** A space the caller may enter, for a write (NOT_FOUND otherwise: outside your reach looks like nothing). */
async function visibleSpace(deps: SpaceDeps, identity: Identity, id: string, field: string): Promise<VirtualSpaceRow> {
  const space = await findSpace(deps.mongo, identity, uuidArg(id, field)!);
  if (!space) throw notFound('The virtual space');
  return space;
}

/**
 * The owner (or an asset manager) changes name, type, geometry or access. The update is conditional
 * on `updatedAt` (optimistic): a placement landing in between makes it CONFLICT, to be tried again.
 */
export async function updateVirtualSpace(
  deps: SpaceDeps,
  identity: Identity,
  id: string,
  input: UpdateVirtualSpaceInput,
): Promise<VirtualSpaceRow> {
  const space = await visibleSpace(deps, identity, id, 'id');
  if (!mayConfigureSpace(identity, space))
    throw forbidden('Only the owner of this space, or an administrator who manages assets, may change it.');
  const fields = parseInput(updateFields, input, 'The space');
  const next: Partial<SpaceDocument> = {};
  if (fields.name != null) next.name = fields.name;
  if (input.description !== undefined) next.description = fields.description ?? null;
  if (fields.spaceType != null) next.spaceType = fields.spaceType;
  if (fields.geometryData) {
    const dimensions = fields.geometryData.dimensions;
    const stranded = space.assets.filter((a) => Object.keys(outside(a.position, dimensions)).length > 0);
    if (stranded.length)
      throw badInput(`${stranded.length} placed asset(s) would be outside the space; move or remove them first.`, {
        'geometryData.dimensions': `leaves ${stranded.map((a) => a.assetId).join(', ')} outside`,
      });
    next.geometryData = { coordinates: fields.geometryData.coordinates ?? space.geometryData.coordinates, dimensions };
  }
  if (fields.accessControl) next.accessControl = await checkedAcl(deps, identity, fields.accessControl);
  const { before, after, keys } = changedFields(space as unknown as Record<string, unknown>, next);
  if (keys.length === 0) throw conflict('The space is already so.', { reason: 'ALREADY_IN_STATE' });
  const updated = await updateSpaceIf(deps.mongo, space.id, [{ updatedAt: space.updatedAt }], { $set: { ...next, updatedAt: new Date() } });
  if (!updated) throw conflict('The space changed meanwhile; look it up and try again.', { reason: 'INVALID_TRANSITION', allowed: [] });
  await deps.run((tx) => logActivity(tx, [spaceLine(identity, updated, 'space.updated', before, after)]));
  return updated;
}

/** The space, checked editable by the caller (FORBIDDEN when they may only enter it). */
async function editableSpace(deps: SpaceDeps, identity: Identity, id: string): Promise<VirtualSpaceRow> {
  const space = await visibleSpace(deps, identity, id, 'spaceId');
  if (!mayEditSpace(identity, space)) throw forbidden('You may enter this space but not change what is in it.');
  return space;
}

/** Places an asset the caller holds (or the space's owner holds) in a space they may edit. */
export async function placeAsset(deps: SpaceDeps, identity: Identity, spaceId: string, input: PlaceAssetInput): Promise<VirtualSpaceRow> {
  const assetId = uuidArg(input.assetId, 'assetId')!;
  const fields = parseInput(placement, input, 'The placement');
  const space = await editableSpace(deps, identity, spaceId);
  // An editor may hang the owner's assets, even private ones the editor cannot otherwise see (the
  // owner let them in); placing one reveals nothing: PlacedAsset.asset still reads through the asset's access.
  const [visible] = await findAssetsByIds(deps.mongo, identity, [assetId]);
  const ownersAsset = visible ? null : await findAssetOfTenant(deps.mongo, space.tenantId, assetId);
  const asset = visible ?? (ownersAsset?.ownerId === space.ownerId ? ownersAsset : null);
  if (!asset) throw notFound('That digital asset');
  if (asset.ownerId !== identity.userId && asset.ownerId !== space.ownerId)
    throw forbidden('Only assets you hold, or that the space’s owner holds, may be placed here.');
  const problems = outside(fields.position, space.geometryData.dimensions);
  if (Object.keys(problems).length) throw badInput('The position is outside the space.', problems);
  if (space.assets.some((a) => a.assetId === assetId))
    throw conflict('The asset is in this space already; move it instead.', { reason: 'ALREADY_IN_STATE' });
  if (space.assets.length >= MAX_PLACED_ASSETS)
    throw badInput(`A space holds at most ${MAX_PLACED_ASSETS} assets.`, { assetId: 'no room left' });
  const placed = {
    assetId,
    position: fields.position,
    rotation: fields.rotation ?? { x: 0, y: 0, z: 0 },
    scale: fields.scale ?? { x: 1, y: 1, z: 1 },
    placedBy: identity.userId,
    placedAt: new Date(),
  };
  const updated = await updateSpaceIf(
    deps.mongo,
    space.id,
    [
      spaceEditFilter(identity),
      contains(fields.position),
      { 'assets.assetId': { $ne: assetId } },
      { [`assets.${MAX_PLACED_ASSETS - 1}`]: { $exists: false } },
    ],
    { $push: { assets: placed }, $set: { updatedAt: placed.placedAt } },
  );
  if (!updated) throw conflict('The space changed meanwhile; look it up and try again.', { reason: 'INVALID_TRANSITION', allowed: [] });
  await deps.run((tx) =>
    logActivity(tx, [spaceLine(identity, updated, 'space.asset_placed', null, { assetId, position: placed.position })]),
  );
  return updated;
}

/** Moves (turns, scales) a placed asset within the space. */
export async function moveAsset(deps: SpaceDeps, identity: Identity, spaceId: string, input: MoveAssetInput): Promise<VirtualSpaceRow> {
  const assetId = uuidArg(input.assetId, 'assetId')!;
  const fields = parseInput(placement, input, 'The move');
  const space = await editableSpace(deps, identity, spaceId);
  const current = space.assets.find((a) => a.assetId === assetId);
  if (!current) throw notFound('That asset in this space');
  const problems = outside(fields.position, space.geometryData.dimensions);
  if (Object.keys(problems).length) throw badInput('The position is outside the space.', problems);
  // `$[placed]` with an array filter, not the positional `$`: the guard is an $and, which `$` cannot see through.
  const set: Record<string, unknown> = { 'assets.$[placed].position': fields.position, updatedAt: new Date() };
  if (fields.rotation) set['assets.$[placed].rotation'] = fields.rotation;
  if (fields.scale) set['assets.$[placed].scale'] = fields.scale;
  const updated = await updateSpaceIf(
    deps.mongo,
    space.id,
    [spaceEditFilter(identity), contains(fields.position), { 'assets.assetId': assetId }],
    {
      $set: set,
    },
    [{ 'placed.assetId': assetId }],
  );
  if (!updated) throw conflict('The space changed meanwhile; look it up and try again.', { reason: 'INVALID_TRANSITION', allowed: [] });
  await deps.run((tx) =>
    logActivity(tx, [
      spaceLine(identity, updated, 'space.asset_moved', { assetId, position: current.position }, { assetId, position: fields.position }),
    ]),
  );
  return updated;
}

export async function removeAsset(deps: SpaceDeps, identity: Identity, spaceId: string, assetIdArg: string): Promise<VirtualSpaceRow> {
  const assetId = uuidArg(assetIdArg, 'assetId')!;
  const space = await editableSpace(deps, identity, spaceId);
  if (!space.assets.some((a) => a.assetId === assetId)) throw notFound('That asset in this space');
  const updated = await updateSpaceIf(deps.mongo, space.id, [spaceEditFilter(identity), { 'assets.assetId': assetId }], {
    $pull: { assets: { assetId } },
    $set: { updatedAt: new Date() },
  });
  if (!updated) throw conflict('The space changed meanwhile; look it up and try again.', { reason: 'INVALID_TRANSITION', allowed: [] });
  await deps.run((tx) => logActivity(tx, [spaceLine(identity, updated, 'space.asset_removed', { assetId }, { assetId: null })]));
  return updated;
}
