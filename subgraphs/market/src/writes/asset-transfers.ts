import { randomUUID } from 'node:crypto';
import {
  conflict,
  type EventPublisher,
  forbidden,
  type Identity,
  notFound,
  parseInput,
  type References,
  requirePeople,
  uuidArg,
} from '@pathway/kit';
import { z } from 'zod';
import type { StartAssetTransactionInput } from '../generated/graphql.ts';
import type { Prisma, Transaction } from '../generated/prisma/client.ts';
import { applyTransfer, findAssetOfTenant, findAssetsByIds, transferApplied, type MongoDb } from '../data/assets.ts';
import { managesAssets } from '../access.ts';
import { assetTransferredEvent, publishTransactionCompleted } from '../events.ts';
import { logActivity, SERVICE_ACTOR } from './activity.ts';
import { reconcileMint } from './asset-mints.ts';
import { assetCurrency } from './asset-listing.ts';
import {
  assetMoney,
  claimSubmission,
  earlierSubmission,
  idempotencyKey,
  requestHash,
  transactionLine,
  type TransactionOutcome,
} from './transactions.ts';

type Tx = Prisma.TransactionClient;
/** What the saga needs: a way to run scoped Postgres transactions, the Mongo database, the event publisher. */
export interface SagaDeps {
  run<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
  mongo: MongoDb;
  events: EventPublisher;
}

/*
 * An asset transaction spans two stores: its row in Postgres, the asset document in MongoDB (no
 * transaction joins them here). The saga, each step idempotent so any step may run again:
 *   1. Postgres: the transaction row, `pending` (with its idempotency key), committed first.
 *   2. MongoDB: one conditional update moves the asset iff the seller still holds it and the asset
 *      carries no entry of this transaction yet; the entry names the transaction and the
 *      asset.transferred event rides in the same atomic update (the kit's document outbox).
 *   3. Postgres: `completed` (with the transaction.completed event in its outbox) if the asset now
 *      carries the entry, else `failed` (the asset changed hands meanwhile).
 * A crash after 1 leaves a pending row and an untouched asset; after 2, a moved asset and a pending
 * row. Either way the row is pending, and `reconcile` (a retry with the same key, or the job for rows
 * older than a minute) runs 2 and 3 again: 2 does nothing the second time, 3 reads what 2 did.
 */

const assetFields = z
  .object({
    idempotencyKey,
    transactionType: z.enum(['transfer', 'sale'], { message: 'a digital asset is transferred or sold here' }),
    amount: assetMoney.nullish(),
    currency: assetCurrency.nullish(),
    sellerWallet: z
      .string()
      .regex(/^[A-Za-z0-9:._-]{4,255}$/, 'must be a wallet address')
      .nullish(),
    buyerWallet: z
      .string()
      .regex(/^[A-Za-z0-9:._-]{4,255}$/, 'must be a wallet address')
      .nullish(),
  })
  .refine((f) => (f.amount == null) === (f.currency == null), { message: 'amount and currency go together', path: ['currency'] })
  .refine((f) => f.transactionType !== 'sale' || f.amount != null, { message: 'a sale needs an amount', path: ['amount'] });

/**
 * Step 3 of every asset saga (transfer, sale, mint): the pending row becomes completed when the
 * Mongo side holds the change, else failed with `failureReason`; once only, with its activity line
 * and, when completed, its event.
 */
export async function finishAssetTransaction(
  deps: SagaDeps,
  t: Transaction,
  actor: Pick<Identity, 'userId'>,
  applied: boolean,
  failureReason: string,
): Promise<TransactionOutcome> {
  return deps.run(async (tx) => {
    const finished = await tx.transaction.updateMany({
      where: { id: t.id, status: 'pending' },
      data: applied ? { status: 'completed', completedAt: new Date() } : { status: 'failed', failureReason },
    });
    const now = (await tx.transaction.findUnique({ where: { id: t.id } }))!;
    if (finished.count === 1) {
      await logActivity(tx, [transactionLine(actor, now, applied ? 'transaction.completed' : 'transaction.failed', now.failureReason)]);
      if (applied) await publishTransactionCompleted(deps.events.within(tx), now);
    }
    return { transaction: now, replayed: false, completed: finished.count === 1 && applied };
  });
}

/** Steps 2 and 3 for a pending row; a no-op for one already completed or failed. */
export async function reconcile(deps: SagaDeps, t: Transaction, actor: Pick<Identity, 'userId'>): Promise<TransactionOutcome> {
  if (t.status !== 'pending' || t.itemType !== 'asset') return { transaction: t, replayed: true };
  if (t.transactionType === 'mint') return reconcileMint(deps, t, actor);
  const asset = await findAssetOfTenant(deps.mongo, t.tenantId, t.assetId!);
  if (asset) {
    const event = assetTransferredEvent(deps.events, asset, t.sellerId!, t.buyerId);
    const move = {
      tenantId: t.tenantId,
      assetId: asset.id,
      fromOwnerId: t.sellerId!,
      toOwnerId: t.buyerId,
      transactionId: t.id,
      byUserId: t.actorId,
    };
    await applyTransfer(deps.mongo, move, event);
  }
  const applied = asset ? await transferApplied(deps.mongo, t.tenantId, t.assetId!, t.id) : false;
  const outcome = await finishAssetTransaction(deps, t, actor, applied, 'The asset changed hands before this transaction.');
  if (applied) await deps.events.relayNow(); // the asset.transferred event waits on the document
  return outcome;
}

/** Starts (1) and carries out (2, 3) a transfer or sale of a digital asset; a retry of the key resumes it. */
export async function startAssetTransaction(
  deps: SagaDeps,
  identity: Identity,
  refs: References,
  input: StartAssetTransactionInput,
): Promise<TransactionOutcome> {
  const assetId = uuidArg(input.assetId, 'assetId')!;
  const toUserId = uuidArg(input.toUserId, 'toUserId')!;
  const fields = parseInput(assetFields, input, 'The transaction');
  const hash = requestHash({ item: 'asset', assetId, toUserId, ...fields, amount: fields.amount?.toString() ?? null });
  const earlier = await deps.run((tx) => earlierSubmission(tx, identity, fields.idempotencyKey, hash));
  if (earlier) return { ...(await reconcile(deps, earlier, identity)), replayed: true };
  const [asset] = await findAssetsByIds(deps.mongo, identity, [assetId]);
  if (!asset) throw notFound('That digital asset');
  if (asset.ownerId !== identity.userId && !managesAssets(identity))
    throw forbidden('Only the holder of this asset, or an administrator who manages assets, may transfer it.');
  if (toUserId === asset.ownerId) throw conflict('The asset already belongs to that person.', { reason: 'ALREADY_IN_STATE' });
  // Identity vouches for the recipient (kit references.ts): an active person of the asset's tenant.
  const [recipient] = await requirePeople(refs, identity, [toUserId], { field: 'toUserId', within: 'tenant' });
  if (recipient!.tenantId !== asset.tenantId) throw notFound(`The person ${toUserId} (\`toUserId\`)`);
  const claimed = await deps.run(async (tx) => {
    const outcome = await claimSubmission(tx, identity, {
      id: randomUUID(),
      tenantId: asset.tenantId,
      itemType: 'asset',
      assetId: asset.id,
      transactionType: fields.transactionType,
      sellerId: asset.ownerId,
      buyerId: toUserId,
      actorId: identity.userId,
      amount: fields.amount ?? null,
      currency: fields.currency ?? null,
      sellerWallet: fields.sellerWallet ?? null,
      buyerWallet: fields.buyerWallet ?? null,
      idempotencyKey: fields.idempotencyKey,
      requestHash: hash,
    });
    if (!outcome.replayed) await logActivity(tx, [transactionLine(identity, outcome.transaction, 'transaction.started')]);
    return outcome;
  });
  return { ...(await reconcile(deps, claimed.transaction, identity)), replayed: claimed.replayed };
}

/** The job's part: pending asset transactions older than `olderThanMs` (a crashed request's), carried out as the service. */
export async function reconcilePending(deps: SagaDeps, olderThanMs = 60_000, batch = 100): Promise<number> {
  const stale = await deps.run((tx) =>
    tx.transaction.findMany({
      where: { status: 'pending', itemType: 'asset', createdAt: { lt: new Date(Date.now() - olderThanMs) } },
      orderBy: { createdAt: 'asc' },
      take: batch,
    }),
  );
  for (const t of stale) await reconcile(deps, t, SERVICE_ACTOR);
  return stale.length;
}
