import { z } from 'zod';
import {
  conflict,
  forbidden,
  hashApiKey,
  newApiKey,
  notFound,
  type PageArgs,
  pageQuery,
  parseInput,
  PERMISSION_KEYS,
  reachOf,
  toConnection,
} from '@pathway/kit';
import { serviceAccountAccess, serviceAccountChangeAccess } from '../access.ts';
import type { ResolverContext } from '../context.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import {
  accountSnapshot,
  changesOfServiceAccount,
  listServiceAccounts as listAccounts,
  lockServiceAccount,
  publishServiceAccount,
  recordServiceAccountChange,
} from '../data/service-accounts.ts';

/** How long the keys a rotation replaces keep working, by default (a day), and at most (30 days). */
const DEFAULT_OVERLAP_SECONDS = 86_400;
const MAX_OVERLAP_SECONDS = 30 * 86_400;
/** How much of a key its `prefix` shows: the fixed `pwk_` and 8 random characters. */
const SHOWN_PREFIX_LENGTH = 12;

const createSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters'),
  permissions: z
    .array(z.enum(PERMISSION_KEYS, { error: 'unknown permission key' }))
    .min(1, 'at least one permission')
    .transform((keys) => [...new Set(keys)].sort()),
  facilityId: z.guid('not an id').nullish(),
  tenantId: z.guid('not an id').nullish(),
});
const overlapSchema = z.object({
  overlapSeconds: z
    .number()
    .int('must be a whole number of seconds')
    .min(0, 'must not be negative')
    .max(MAX_OVERLAP_SECONDS, `at most ${MAX_OVERLAP_SECONDS} (30 days)`)
    .nullish(),
});

const revokedAlready = () => conflict('This service account is revoked; create a new one.', { reason: 'ALREADY_IN_STATE' });

export async function listServiceAccounts(ctx: ResolverContext, page: PageArgs) {
  const query = pageQuery(page, 'createdAt', 'desc');
  return toConnection(await ctx.db.run((tx) => listAccounts(tx, serviceAccountAccess.where(ctx.identity), query)), query, 'createdAt');
}

export async function serviceAccountChangeLog(ctx: ResolverContext, serviceAccountId: string, page: PageArgs) {
  const query = pageQuery(page, 'createdAt', 'desc');
  return toConnection(
    await ctx.db.run((tx) => changesOfServiceAccount(tx, serviceAccountId, serviceAccountChangeAccess.where(ctx.identity), query)),
    query,
    'createdAt',
  );
}

/** A fresh key row for the account; the key itself is returned to the caller once and never stored. */
async function issueKey(tx: Prisma.TransactionClient, account: { id: string; tenantId: string }) {
  const apiKey = newApiKey();
  const key = await tx.serviceAccountKey.create({
    data: {
      tenantId: account.tenantId,
      serviceAccountId: account.id,
      prefix: apiKey.slice(0, SHOWN_PREFIX_LENGTH),
      keyHash: hashApiKey(apiKey),
    },
  });
  return { apiKey, key };
}

/**
 * Creates a service account with permissions the caller holds (nobody hands out more than they
 * have), for the caller's tenant (system administrators: any) and optionally one of its facilities.
 */
export async function createServiceAccount(ctx: ResolverContext, raw: unknown) {
  const input = parseInput(createSchema, raw);
  const identity = ctx.identity;
  const tenantId = input.tenantId ?? identity.tenantId;
  if (tenantId !== identity.tenantId && reachOf(identity) !== 'system')
    throw forbidden('You can only create service accounts for your own tenant.');
  const notHeld = input.permissions.filter((key) => !identity.permissions.includes(key));
  if (notHeld.length)
    throw forbidden(`You can only give a service account permissions you hold yourself; you do not hold ${notHeld.join(', ')}.`);
  // Facility-level managers only make accounts of their own facility.
  const facilityId = reachOf(identity) === 'facility' ? identity.facilityId : (input.facilityId ?? null);
  if (reachOf(identity) === 'facility' && (!facilityId || (input.facilityId && input.facilityId !== facilityId)))
    throw forbidden('You can only create service accounts for your own facility.');
  if (facilityId && (await ctx.references.facilities([facilityId])).get(facilityId)?.tenantId !== tenantId)
    throw notFound('The facility (`facilityId`)');
  const issued = await ctx.db.run(async (tx) => {
    const account = await tx.serviceAccount.create({
      data: { tenantId, facilityId, name: input.name, permissions: input.permissions, createdBy: identity.userId },
    });
    const { apiKey, key } = await issueKey(tx, account);
    await recordServiceAccountChange(tx, {
      tenantId,
      serviceAccountId: account.id,
      actorId: identity.userId,
      action: 'created',
      after: { ...accountSnapshot(account), keyId: key.id },
    });
    return { serviceAccount: { ...account, keys: [key] }, key, apiKey };
  });
  await publishServiceAccount(ctx.redis, issued.serviceAccount);
  return issued;
}

/**
 * A new key; the account's current keys keep working for the overlap (0: they stop now), so a
 * client can switch over without a moment refused.
 */
export async function rotateServiceAccountKey(ctx: ResolverContext, id: string, rawOverlap: number | null | undefined) {
  const { overlapSeconds } = parseInput(overlapSchema, { overlapSeconds: rawOverlap });
  const overlapEnds = new Date(Date.now() + (overlapSeconds ?? DEFAULT_OVERLAP_SECONDS) * 1000);
  const issued = await ctx.db.run(async (tx) => {
    const account = await lockServiceAccount(tx, id, serviceAccountAccess.where(ctx.identity));
    if (!account) throw notFound('Service account');
    if (account.status !== 'active') throw revokedAlready();
    const replaced = account.keys.filter((k) => !k.revokedAt && (!k.expiresAt || k.expiresAt > overlapEnds));
    await tx.serviceAccountKey.updateMany({ where: { id: { in: replaced.map((k) => k.id) } }, data: { expiresAt: overlapEnds } });
    const { apiKey, key } = await issueKey(tx, account);
    await recordServiceAccountChange(tx, {
      tenantId: account.tenantId,
      serviceAccountId: id,
      actorId: ctx.identity.userId,
      action: 'key_rotated',
      after: { keyId: key.id, replacedKeyIds: replaced.map((k) => k.id), overlapEnds: overlapEnds.toISOString() },
    });
    const keys = await tx.serviceAccountKey.findMany({ where: { serviceAccountId: id } });
    return { serviceAccount: { ...account, keys }, key, apiKey };
  });
  await publishServiceAccount(ctx.redis, issued.serviceAccount);
  return issued;
}

/** Revokes the account and every key of it: the gateway refuses them from the next request on. */
export async function revokeServiceAccount(ctx: ResolverContext, id: string) {
  const revoked = await ctx.db.run(async (tx) => {
    const before = await lockServiceAccount(tx, id, serviceAccountAccess.where(ctx.identity));
    if (!before) throw notFound('Service account');
    if (before.status !== 'active') throw revokedAlready();
    const now = new Date();
    const after = await tx.serviceAccount.update({ where: { id }, data: { status: 'revoked', revokedAt: now } });
    await tx.serviceAccountKey.updateMany({ where: { serviceAccountId: id, revokedAt: null }, data: { revokedAt: now } });
    await recordServiceAccountChange(tx, {
      tenantId: after.tenantId,
      serviceAccountId: id,
      actorId: ctx.identity.userId,
      action: 'revoked',
      before: accountSnapshot(before),
      after: accountSnapshot(after),
    });
    return { ...after, keys: before.keys };
  });
  await publishServiceAccount(ctx.redis, revoked);
  return revoked;
}
