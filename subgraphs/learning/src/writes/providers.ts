import { randomUUID } from 'node:crypto';
import {
  badInput,
  conflict,
  forbidden,
  notFound,
  parseInput,
  reachOf,
  rethrowDuplicate,
  sealSecret,
  uuidArg,
  type Identity,
  type References,
} from '@pathway/kit';
import { checkedFacilities } from './content-visibility.ts';
import { z } from 'zod';
import { providerPlatformAccess } from '../access.ts';
import type { Prisma, ProviderPlatform, ProviderPlatformState } from '../generated/prisma/client.ts';
import type { RegisterProviderPlatformInput, UpdateProviderPlatformInput } from '../generated/graphql.ts';
import type { ProviderSettings } from '../providers/settings.ts';
import {
  accountIdField,
  baseUrlField,
  credentialsField,
  facilityIdsField,
  nameField,
  resolveCredentials,
  type ResolvedCredentials,
} from './provider-inputs.ts';
import { logPlatformChange, platformSnapshot } from './provider-changes.ts';
import { scheduleField, timezoneField } from '../sync/schedule.ts';

type Tx = Prisma.TransactionClient;

const registerSchema = (allowPrivate: boolean) =>
  z.object({
    name: nameField,
    type: z.enum(['canvas_oss', 'canvas_cloud', 'kolibri', 'brightspace']),
    baseUrl: baseUrlField(allowPrivate),
    accountId: accountIdField,
    credentials: credentialsField,
    facilityIds: facilityIdsField.nullish(),
    syncSchedule: scheduleField.nullish(),
    syncTimezone: timezoneField.nullish(),
    tenantId: z.guid('not an id').nullish(),
  });
const updateSchema = (allowPrivate: boolean) =>
  z.object({
    name: nameField.nullish(),
    baseUrl: baseUrlField(allowPrivate).nullish(),
    accountId: accountIdField.nullish(),
    credentials: credentialsField.nullish(),
    facilityIds: facilityIdsField.nullish(),
    syncSchedule: scheduleField.nullish(),
    syncTimezone: timezoneField.nullish(),
  });

/** The schedule columns an input sets ('' turns scheduled syncs off; left out: unchanged). */
const scheduleColumns = (input: { syncSchedule?: string | null; syncTimezone?: string | null }) => ({
  ...(input.syncSchedule != null ? { syncSchedule: input.syncSchedule || null } : {}),
  ...(input.syncTimezone ? { syncTimezone: input.syncTimezone } : {}),
});

const nameTaken = rethrowDuplicate('A provider platform with that name exists in this tenant.', { name: 'already used' });

/** The sealed credential columns; the secret is bound to the platform's id (copied to another row it does not open). */
function sealed(settings: ProviderSettings, platformId: string, credentials: ResolvedCredentials) {
  return {
    authType: credentials.authType,
    oauthClientId: credentials.clientId,
    accessKeyEncrypted: sealSecret(settings.ring, credentials.secret, platformId),
    credentialsSetAt: new Date(),
  };
}

/**
 * Facilities a platform is made available at, each checked with campus (kit references): it exists
 * in the caller's tenant (NOT_FOUND: another tenant's looks like none), lies within their reach
 * (FORBIDDEN), and belongs to the platform's tenant (a system administrator registering elsewhere).
 */
async function checkFacilities(refs: References, identity: Identity, tenantId: string, facilityIds: string[]) {
  const facilities = await checkedFacilities(refs, identity, facilityIds);
  const foreign = facilities.findIndex((f) => f.tenantId !== tenantId);
  if (foreign >= 0)
    throw badInput("A platform is available at its own tenant's facilities.", {
      [facilityIds.length > 1 ? `facilityIds.${foreign}` : 'facilityIds']: 'belongs to another tenant',
    });
}

/** Locks the platform row for the rest of the transaction; NOT_FOUND outside the caller's reach. */
export async function lockPlatform(tx: Tx, identity: Identity, id: string): Promise<ProviderPlatform> {
  const platformId = uuidArg(id, 'id')!;
  await tx.$queryRaw`SELECT id FROM provider_platforms WHERE id = ${platformId}::uuid FOR UPDATE`;
  const found = await tx.providerPlatform.findFirst({ where: { AND: [{ id: platformId }, providerPlatformAccess.where(identity)] } });
  if (!found) throw notFound('The provider platform');
  // A caller placed at a facility sees tenant-wide platforms in the catalog, but manages only their facility's.
  if (reachOf(identity) === 'facility' && found.facilityId !== identity.facilityId)
    throw forbidden('Only tenant administrators manage platforms that serve more than your facility.');
  return found;
}

async function setAvailability(tx: Tx, platform: Pick<ProviderPlatform, 'id' | 'tenantId'>, facilityIds: string[]) {
  await tx.providerPlatformFacility.deleteMany({ where: { providerPlatformId: platform.id } });
  if (facilityIds.length)
    await tx.providerPlatformFacility.createMany({
      data: facilityIds.map((facilityId) => ({ tenantId: platform.tenantId, providerPlatformId: platform.id, facilityId })),
    });
}

const availabilityOf = async (tx: Tx, platformId: string) =>
  (await tx.providerPlatformFacility.findMany({ where: { providerPlatformId: platformId }, orderBy: { facilityId: 'asc' } })).map(
    (row) => row.facilityId,
  );

export async function registerPlatform(
  tx: Tx,
  identity: Identity,
  settings: ProviderSettings,
  refs: References,
  raw: RegisterProviderPlatformInput,
) {
  const input = parseInput(registerSchema(settings.allowPrivateNetworks), raw, 'The provider platform');
  const credentials = resolveCredentials(input.type, input.credentials);
  const tenantId = input.tenantId ?? identity.tenantId;
  if (tenantId !== identity.tenantId && reachOf(identity) !== 'system')
    throw forbidden('You can only register provider platforms for your own tenant.');
  const facilityIds = input.facilityIds ?? [];
  await checkFacilities(refs, identity, tenantId, facilityIds);
  return create(tx, identity, settings, { ...input, tenantId, facilityIds }, credentials).catch(nameTaken);
}

async function create(
  tx: Tx,
  identity: Identity,
  settings: ProviderSettings,
  input: {
    name: string;
    type: ProviderPlatform['type'];
    baseUrl: string;
    accountId: string;
    tenantId: string;
    facilityIds: string[];
    syncSchedule?: string | null;
    syncTimezone?: string | null;
  },
  credentials: ResolvedCredentials,
) {
  const id = randomUUID();
  // A facility admin's platform serves their facility (catalog reach); a tenant admin's the tenant, narrowed by availability.
  const facilityId = reachOf(identity) === 'facility' ? identity.facilityId : null;
  const created = await tx.providerPlatform.create({
    data: {
      id,
      tenantId: input.tenantId,
      facilityId,
      type: input.type,
      name: input.name,
      baseUrl: input.baseUrl,
      accountId: input.accountId,
      ...sealed(settings, id, credentials),
      ...scheduleColumns(input),
      createdBy: identity.userId,
      updatedBy: identity.userId,
    },
  });
  await setAvailability(tx, created, input.facilityIds);
  await logPlatformChange(tx, identity, created, 'platform.registered', null, platformSnapshot(created, input.facilityIds));
  return created;
}

export async function updatePlatform(
  tx: Tx,
  identity: Identity,
  settings: ProviderSettings,
  refs: References,
  id: string,
  raw: UpdateProviderPlatformInput,
) {
  const input = parseInput(updateSchema(settings.allowPrivateNetworks), raw, 'The provider platform');
  const current = await lockPlatform(tx, identity, id);
  if (current.state === 'archived')
    throw conflict('An archived provider platform cannot be changed.', {
      reason: 'INVALID_TRANSITION',
      from: 'archived',
      to: 'archived',
      allowed: [],
    });
  let credentialColumns = {};
  if (input.credentials) {
    credentialColumns = sealed(settings, current.id, resolveCredentials(current.type, input.credentials));
  }
  if (input.facilityIds) await checkFacilities(refs, identity, current.tenantId, input.facilityIds);
  const beforeFacilities = await availabilityOf(tx, current.id);
  const updated = await tx.providerPlatform
    .update({
      where: { id: current.id },
      data: {
        ...(input.name ? { name: input.name } : {}),
        ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
        ...(input.accountId ? { accountId: input.accountId } : {}),
        ...credentialColumns,
        ...scheduleColumns(input),
        updatedBy: identity.userId,
      },
    })
    .catch(nameTaken);
  if (input.facilityIds) await setAvailability(tx, updated, input.facilityIds);
  const before = platformSnapshot(current, beforeFacilities);
  const after = {
    ...platformSnapshot(updated, input.facilityIds ?? beforeFacilities),
    ...(input.credentials ? { credentials: 'replaced' } : {}),
  };
  await logPlatformChange(tx, identity, updated, 'platform.updated', before, after);
  return updated;
}

export async function setPlatformState(
  tx: Tx,
  identity: Identity,
  id: string,
  state: 'enabled' | 'disabled',
  reason: string | null | undefined,
) {
  const current = await lockPlatform(tx, identity, id);
  if (current.state === state) throw conflict(`The provider platform is already ${state}.`, { reason: 'ALREADY_IN_STATE' });
  if (current.state === 'archived')
    throw conflict('An archived provider platform stays archived.', {
      reason: 'INVALID_TRANSITION',
      from: 'archived',
      to: state,
      allowed: [],
    });
  return changeState(tx, identity, current, state, 'platform.state_changed', reason);
}

export async function archivePlatform(tx: Tx, identity: Identity, id: string, reason: string) {
  const why = reason.trim();
  if (!why) throw badInput('Say why the platform is archived.', { reason: 'must not be empty' });
  const current = await lockPlatform(tx, identity, id);
  if (current.state === 'archived') throw conflict('The provider platform is already archived.', { reason: 'ALREADY_IN_STATE' });
  return changeState(tx, identity, current, 'archived', 'platform.archived', why);
}

async function changeState(
  tx: Tx,
  identity: Identity,
  current: ProviderPlatform,
  state: ProviderPlatformState,
  action: 'platform.state_changed' | 'platform.archived',
  reason: string | null | undefined,
) {
  const updated = await tx.providerPlatform.update({
    where: { id: current.id },
    data: { state, updatedBy: identity.userId, ...(state === 'archived' ? { archivedAt: new Date() } : {}) },
  });
  await logPlatformChange(tx, identity, updated, action, { state: current.state }, { state }, reason?.trim() || null);
  return { updated, previousState: current.state };
}
