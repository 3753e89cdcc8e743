import { createHash, randomUUID } from 'node:crypto';
import { badInput, conflict, forbidden, notFound, parseInput, uuidArg, type Identity } from '@pathway/kit';
import { z } from 'zod';
import type { StartPropertyTransactionInput } from '../generated/graphql.ts';
import { Prisma, type Transaction } from '../generated/prisma/client.ts';
import { managesListings, propertyAccess, transactionAccess } from '../access.ts';
import { logActivity, type ActivityType } from './activity.ts';
import { lockProperty } from './properties.ts';

type Tx = Prisma.TransactionClient;

/** A transaction as a write leaves it, and whether this answer replays an earlier submission of the same key. */
export interface TransactionOutcome {
  transaction: Transaction;
  replayed: boolean;
  /** Set when it completed in this call (for its event). */
  completed?: boolean;
}

export const idempotencyKey = z.string().trim().min(1, 'must not be empty').max(255, 'at most 255 characters');

/** SHA-256 of the submission's fields in a fixed order (decimals as exact text), to tell a retry from another request. */
export function requestHash(fields: Record<string, unknown>): string {
  const canonical = Object.keys(fields)
    .sort()
    .map((k) => [k, fields[k] == null ? null : String(fields[k])]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/**
 * The transaction this caller already submitted under `key`: the same input gets it back (a retry),
 * another input is refused. Null when the key is new.
 */
export async function earlierSubmission(tx: Tx, identity: Identity, key: string, hash: string): Promise<Transaction | null> {
  const earlier = await tx.transaction.findUnique({
    where: { tenantId_actorId_idempotencyKey: { tenantId: identity.tenantId, actorId: identity.userId, idempotencyKey: key } },
  });
  if (earlier && earlier.requestHash !== hash)
    throw conflict('This idempotency key was used before for a different request. Use a new key for a new request.', {
      reason: 'IDEMPOTENCY_KEY_REUSED',
    });
  return earlier;
}

/**
 * Inserts the pending transaction unless a concurrent submission of the same key got there first
 * (INSERT … ON CONFLICT DO NOTHING waits for it): then that one is the answer, as for a retry.
 */
export async function claimSubmission(tx: Tx, identity: Identity, row: Prisma.TransactionCreateManyInput): Promise<TransactionOutcome> {
  const { count } = await tx.transaction.createMany({ data: [row], skipDuplicates: true });
  if (count === 1) return { transaction: (await tx.transaction.findUnique({ where: { id: row.id! } }))!, replayed: false };
  const earlier = await earlierSubmission(tx, identity, row.idempotencyKey, row.requestHash);
  if (!earlier) throw new Error('transaction insert skipped without an earlier submission');
  return { transaction: earlier, replayed: true };
}

export const transactionLine = (actor: Pick<Identity, 'userId'>, t: Transaction, activityType: ActivityType, reason?: string | null) => ({
  actor,
  entity: t,
  entityType: 'transaction' as const,
  activityType,
  reason: reason ?? null,
  after: { status: t.status },
});

const money = (scale: number) =>
  z
    .custom<Prisma.Decimal>((v) => Prisma.Decimal.isDecimal(v), 'must be a decimal')
    .refine((d) => d.greaterThanOrEqualTo(0) && d.lessThan(1e10), { message: 'must be at least 0 and below 10000000000' })
    .refine((d) => d.decimalPlaces() <= scale, { message: `at most ${scale} decimal places` });
export const assetMoney = money(8);

const propertyFields = z.object({
  idempotencyKey,
  transactionType: z.enum(['sale', 'lease'], { message: 'a listing is sold or leased' }),
  amount: money(2),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .nullish(),
  paymentMethod: z.string().trim().min(1).max(50).nullish(),
});

/** The caller buys or leases a listing: pending until the listing's side completes it. */
export async function startPropertyTransaction(
  tx: Tx,
  identity: Identity,
  input: StartPropertyTransactionInput,
): Promise<TransactionOutcome> {
  const propertyId = uuidArg(input.propertyId, 'propertyId')!;
  const fields = parseInput(propertyFields, input, 'The transaction');
  const hash = requestHash({ item: 'property', propertyId, ...fields, amount: fields.amount.toFixed(2) });
  const earlier = await earlierSubmission(tx, identity, fields.idempotencyKey, hash);
  if (earlier) return { transaction: earlier, replayed: true };
  const property = await tx.property.findFirst({ where: { AND: [{ id: propertyId }, propertyAccess.where(identity)] } });
  if (!property) throw notFound('The listing');
  if (property.ownerId === identity.userId)
    throw badInput('You cannot buy or lease your own listing.', { propertyId: 'is your own listing' });
  if (property.status !== 'available' && property.status !== 'reserved')
    throw conflict(`A ${property.status} listing cannot be bought or leased.`, { reason: 'LISTING_UNAVAILABLE', status: property.status });
  const outcome = await claimSubmission(tx, identity, {
    id: randomUUID(),
    tenantId: property.tenantId,
    itemType: 'property',
    propertyId: property.id,
    transactionType: fields.transactionType,
    sellerId: property.ownerId,
    buyerId: identity.userId,
    actorId: identity.userId,
    amount: fields.amount,
    currency: fields.currency ?? property.currency,
    paymentMethod: fields.paymentMethod ?? null,
    idempotencyKey: fields.idempotencyKey,
    requestHash: hash,
  });
  if (!outcome.replayed) await logActivity(tx, [transactionLine(identity, outcome.transaction, 'transaction.started')]);
  return outcome;
}

async function lockTransaction(tx: Tx, identity: Identity, id: string): Promise<Transaction> {
  const transactionId = uuidArg(id, 'id')!;
  await tx.$queryRaw`SELECT id FROM transactions WHERE id = ${transactionId}::uuid FOR UPDATE`;
  const found = await tx.transaction.findFirst({ where: { AND: [{ id: transactionId }, transactionAccess.where(identity)] } });
  if (!found) throw notFound('The transaction');
  return found;
}

function assertPending(t: Transaction, to: 'completed' | 'failed') {
  if (t.itemType === 'asset')
    throw conflict('A digital asset transaction completes or fails when it is applied to the asset.', {
      reason: 'INVALID_TRANSITION',
      from: t.status,
      to,
      allowed: [],
    });
  if (t.status === to) throw conflict(`The transaction is already ${to}.`, { reason: 'ALREADY_IN_STATE' });
  if (t.status !== 'pending')
    throw conflict(`A ${t.status} transaction is final.`, { reason: 'INVALID_TRANSITION', from: t.status, to, allowed: [] });
}

/** The listing's side completes a sale (the listing is then sold) or a lease (reserved). */
export async function completePropertyTransaction(tx: Tx, identity: Identity, id: string, paymentReference?: string | null) {
  const reference = parseInput(z.string().trim().min(1).max(255).nullish(), paymentReference, 'The payment reference');
  const current = await lockTransaction(tx, identity, id);
  if (current.sellerId !== identity.userId && !managesListings(identity))
    throw forbidden('Only the listing’s owner or a listing manager may complete this transaction.');
  assertPending(current, 'completed');
  const property = await lockProperty(tx, identity, current.propertyId!, 'propertyId');
  if (property.status !== 'available' && property.status !== 'reserved')
    throw conflict(`The listing is ${property.status} now.`, { reason: 'LISTING_UNAVAILABLE', status: property.status });
  const listing = await tx.property.update({
    where: { id: property.id },
    data: { status: current.transactionType === 'sale' ? 'sold' : 'reserved' },
  });
  const updated = await tx.transaction.update({
    where: { id: current.id },
    data: { status: 'completed', completedAt: new Date(), paymentReference: reference ?? current.paymentReference },
  });
  const superseded = current.transactionType === 'sale' ? await failOtherPending(tx, updated) : [];
  await logActivity(tx, [
    transactionLine(identity, updated, 'transaction.completed'),
    ...superseded.map((t) => transactionLine(identity, t, 'transaction.failed', t.failureReason)),
    ...(listing.status === property.status
      ? []
      : [
          {
            actor: identity,
            entity: listing,
            entityType: 'property' as const,
            activityType: 'property.updated' as const,
            before: { status: property.status },
            after: { status: listing.status },
          },
        ]),
  ]);
  return { transaction: updated, replayed: false, completed: true, property: listing };
}

/** A sold listing can be bought or leased no more: its other pending transactions fail (locked by the listing's row lock). */
async function failOtherPending(tx: Tx, sold: Transaction): Promise<Transaction[]> {
  const others = await tx.transaction.findMany({ where: { propertyId: sold.propertyId, status: 'pending', id: { not: sold.id } } });
  if (others.length === 0) return [];
  const failureReason = 'The listing was sold in another transaction.';
  await tx.transaction.updateMany({
    where: { id: { in: others.map((t) => t.id) }, status: 'pending' },
    data: { status: 'failed', failureReason },
  });
  return others.map((t) => ({ ...t, status: 'failed' as const, failureReason }));
}

/** A party or a listing manager calls off a pending listing transaction. */
export async function failPropertyTransaction(tx: Tx, identity: Identity, id: string, reason: string): Promise<TransactionOutcome> {
  const why = parseInput(z.string().trim().min(1, 'must not be empty').max(1000), reason, 'The reason');
  const current = await lockTransaction(tx, identity, id);
  const party = current.sellerId === identity.userId || current.buyerId === identity.userId;
  if (!party && !managesListings(identity)) throw forbidden('Only a party to this transaction or a listing manager may fail it.');
  assertPending(current, 'failed');
  const updated = await tx.transaction.update({ where: { id: current.id }, data: { status: 'failed', failureReason: why } });
  await logActivity(tx, [transactionLine(identity, updated, 'transaction.failed', why)]);
  return { transaction: updated, replayed: false };
}
