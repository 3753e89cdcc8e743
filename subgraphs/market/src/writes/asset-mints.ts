import { randomUUID } from 'node:crypto';
import { type Identity, parseInput, type References, requirePeople, notFound, uuidArg } from '@pathway/kit';
import { z } from 'zod';
import type { MintDigitalAssetInput } from '../generated/graphql.ts';
import type { Transaction } from '../generated/prisma/client.ts';
import { insertMintedAsset, mintApplied, priceKey, type AssetDocument } from '../data/assets.ts';
import { logActivity } from './activity.ts';
import { finishAssetTransaction, type SagaDeps } from './asset-transfers.ts';
import {
  assetMoney,
  claimSubmission,
  earlierSubmission,
  idempotencyKey,
  requestHash,
  transactionLine,
  type TransactionOutcome,
} from './transactions.ts';
import { assetListingFields, assetCurrency } from './asset-listing.ts';
import { httpUrl } from './property-input.ts';

/*
 * A mint is the transfer saga's sibling (writes/asset-transfers.ts), each step idempotent:
 *   1. Postgres: the `mint` transaction, pending, naming the new asset's id (seller none, buyer the holder).
 *   2. MongoDB: the document inserted unless one with that id exists (an upsert with $setOnInsert),
 *      carrying `mintTransactionId`.
 *   3. Postgres: completed (its event in the outbox) if the document with this transaction is there, else failed.
 * A crash after 1 leaves a pending row without a document: a retry with the same key and input (which
 * carries the document's content) runs 2 and 3; the reconcile job, which has no content, fails the
 * row after a minute. A crash after 2 leaves a stored document and a pending row: the retry or the
 * job completes it. So a document exists exactly when its mint completed (or is about to).
 */

const token = (pattern: RegExp, message: string) => z.string().trim().regex(pattern, message).nullish();

const mintFields = z
  .object({
    idempotencyKey,
    name: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters'),
    description: z.string().trim().max(2000, 'at most 2,000 characters').nullish(),
    assetType: z
      .string()
      .regex(/^[a-z][a-z0-9_]{1,49}$/, 'must be 2–50 lowercase letters, digits or underscores, such as badge or virtual_land'),
    metadata: z
      .object({
        imageUrl: httpUrl(2048).nullish(),
        animationUrl: httpUrl(2048).nullish(),
        externalUrl: httpUrl(2048).nullish(),
        attributes: z
          .array(z.object({ traitType: z.string().trim().min(1, 'must not be empty').max(100), value: z.unknown() }))
          .max(50, 'at most 50 attributes')
          .nullish(),
      })
      .nullish(),
    blockchainData: z
      .object({
        contractAddress: token(/^[A-Za-z0-9:._-]{4,255}$/, 'must be a contract address'),
        tokenId: token(/^[A-Za-z0-9:._-]{1,255}$/, 'must be a token id'),
        blockchain: token(/^[a-z0-9_-]{2,50}$/, 'must be a lowercase chain name such as ethereum'),
        tokenStandard: token(/^[A-Za-z0-9-]{2,30}$/, 'must be a standard such as ERC-721'),
      })
      .nullish(),
    isListed: z.boolean().nullish(),
    listingPrice: assetMoney.nullish(),
    listingCurrency: assetCurrency.nullish(),
  })
  .superRefine((f, ctx) => assetListingFields(f.isListed ?? false, f.listingPrice, f.listingCurrency, ctx));

type MintFields = z.infer<typeof mintFields>;

/** The document a mint stores (step 2), from the checked input. */
function mintedDocument(t: Transaction, f: MintFields, creatorId: string): AssetDocument {
  const price = f.listingPrice?.toString() ?? null;
  return {
    _id: t.assetId!,
    tenantId: t.tenantId,
    name: f.name,
    description: f.description ?? null,
    creatorId,
    ownerId: t.buyerId,
    assetType: f.assetType,
    metadata: {
      imageUrl: f.metadata?.imageUrl ?? null,
      animationUrl: f.metadata?.animationUrl ?? null,
      externalUrl: f.metadata?.externalUrl ?? null,
      attributes: (f.metadata?.attributes ?? []).map((a) => ({ traitType: a.traitType, value: a.value ?? null })),
    },
    blockchainData: f.blockchainData
      ? {
          contractAddress: f.blockchainData.contractAddress ?? null,
          tokenId: f.blockchainData.tokenId ?? null,
          blockchain: f.blockchainData.blockchain ?? null,
          tokenStandard: f.blockchainData.tokenStandard ?? null,
        }
      : null,
    isListed: f.isListed ?? false,
    listingPrice: price,
    listingCurrency: f.listingCurrency ?? null,
    listingPriceKey: priceKey(price),
    mintTransactionId: t.id,
    transfers: [],
    createdAt: t.createdAt,
    updatedAt: t.createdAt,
  };
}

/**
 * Steps 2 (when the retry brings the document) and 3 for a pending mint; a no-op for one already
 * completed or failed.
 */
export async function reconcileMint(
  deps: SagaDeps,
  t: Transaction,
  actor: Pick<Identity, 'userId'>,
  document?: AssetDocument,
): Promise<TransactionOutcome> {
  if (t.status !== 'pending' || t.transactionType !== 'mint') return { transaction: t, replayed: true };
  if (document) await insertMintedAsset(deps.mongo, document);
  const stored = await mintApplied(deps.mongo, t.tenantId, t.assetId!, t.id);
  return finishAssetTransaction(deps, t, actor, stored, 'The asset was never stored; mint it again with a new key.');
}

/** Mints a digital asset for the caller or a person of their tenant; a retry of the key resumes it. */
export async function mintDigitalAsset(
  deps: SagaDeps,
  identity: Identity,
  refs: References,
  input: MintDigitalAssetInput,
): Promise<TransactionOutcome> {
  const ownerId = uuidArg(input.ownerId, 'ownerId') ?? identity.userId;
  const fields = parseInput(mintFields, input, 'The asset');
  const hash = requestHash({
    item: 'mint',
    ...fields,
    ownerId,
    metadata: JSON.stringify(fields.metadata ?? null),
    blockchainData: JSON.stringify(fields.blockchainData ?? null),
    listingPrice: fields.listingPrice?.toString() ?? null,
  });
  const earlier = await deps.run((tx) => earlierSubmission(tx, identity, fields.idempotencyKey, hash));
  if (earlier)
    return { ...(await reconcileMint(deps, earlier, identity, mintedDocument(earlier, fields, earlier.actorId))), replayed: true };
  if (ownerId !== identity.userId) {
    // Identity vouches for the holder (kit references.ts): an active person of the caller's tenant.
    const [holder] = await requirePeople(refs, identity, [ownerId], { field: 'ownerId', within: 'tenant' });
    if (holder!.tenantId !== identity.tenantId) throw notFound(`The person ${ownerId} (\`ownerId\`)`);
  }
  const claimed = await deps.run(async (tx) => {
    const outcome = await claimSubmission(tx, identity, {
      id: randomUUID(),
      tenantId: identity.tenantId,
      itemType: 'asset',
      assetId: randomUUID(),
      transactionType: 'mint',
      sellerId: null,
      buyerId: ownerId,
      actorId: identity.userId,
      idempotencyKey: fields.idempotencyKey,
      requestHash: hash,
    });
    if (!outcome.replayed) await logActivity(tx, [transactionLine(identity, outcome.transaction, 'transaction.started')]);
    return outcome;
  });
  const minted = await reconcileMint(deps, claimed.transaction, identity, mintedDocument(claimed.transaction, fields, identity.userId));
  return { ...minted, replayed: claimed.replayed };
}
