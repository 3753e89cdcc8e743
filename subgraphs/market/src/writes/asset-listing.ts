import { conflict, forbidden, type Identity, notFound, parseInput, uuidArg } from '@pathway/kit';
import { z } from 'zod';
import type { DigitalAssetListingInput } from '../generated/graphql.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { findAssetsByIds, setAssetListing, type DigitalAssetRow, type MongoDb } from '../data/assets.ts';
import { logActivity } from './activity.ts';
import { assetMoney } from './transactions.ts';

type Tx = Prisma.TransactionClient;

export const assetCurrency = z.string().regex(/^[A-Z0-9]{2,10}$/, 'must be an ISO 4217 code or a token symbol such as ETH');

/** A listed asset has a price and a currency; a price never comes without its currency. */
export function assetListingFields(isListed: boolean, price: unknown, currency: unknown, ctx: z.RefinementCtx) {
  if (isListed && price == null) ctx.addIssue({ code: 'custom', message: 'a listed asset needs a price', path: ['listingPrice'] });
  if ((price == null) !== (currency == null))
    ctx.addIssue({ code: 'custom', message: 'listingPrice and listingCurrency go together', path: ['listingCurrency'] });
}

const listingFields = z
  .object({ isListed: z.boolean(), listingPrice: assetMoney.nullish(), listingCurrency: assetCurrency.nullish() })
  .superRefine((f, ctx) => assetListingFields(f.isListed, f.listingPrice, f.listingCurrency, ctx));

/**
 * The holder lists, re-prices or unlists their asset. The Mongo update is conditional on them still
 * holding it, so a transfer that lands in between wins; the activity line is written after it.
 */
export async function updateAssetListing(
  run: <R>(fn: (tx: Tx) => Promise<R>) => Promise<R>,
  mongo: MongoDb,
  identity: Identity,
  id: string,
  input: DigitalAssetListingInput,
): Promise<DigitalAssetRow> {
  const assetId = uuidArg(id, 'id')!;
  const fields = parseInput(listingFields, input, 'The listing');
  const [asset] = await findAssetsByIds(mongo, identity, [assetId]);
  if (!asset) throw notFound('That digital asset');
  if (asset.ownerId !== identity.userId) throw forbidden('Only the holder of this asset may list or price it.');
  const listing = {
    isListed: fields.isListed,
    listingPrice: fields.listingPrice?.toString() ?? null,
    listingCurrency: fields.listingCurrency ?? null,
  };
  const before = { isListed: asset.isListed, listingPrice: asset.listingPrice ?? null, listingCurrency: asset.listingCurrency ?? null };
  if (JSON.stringify(before) === JSON.stringify(listing)) throw conflict('The asset is already listed so.', { reason: 'ALREADY_IN_STATE' });
  const updated = await setAssetListing(mongo, { tenantId: asset.tenantId, assetId, holderId: identity.userId }, listing);
  if (!updated) throw conflict('The asset changed hands meanwhile; look it up again.', { reason: 'INVALID_TRANSITION', allowed: [] });
  await run((tx) =>
    logActivity(tx, [
      {
        actor: identity,
        entity: updated,
        entityType: 'asset',
        activityType: listing.isListed ? (asset.isListed ? 'asset.repriced' : 'asset.listed') : 'asset.unlisted',
        before,
        after: listing,
      },
    ]),
  );
  return updated;
}
