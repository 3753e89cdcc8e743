import {
  badInput,
  conflict,
  forbidden,
  hasPermission,
  notFound,
  reachOf,
  requirePeople,
  type EventPublisher,
  type Identity,
  type References,
} from '@pathway/kit';
import { findAssetsByIds, transferAsset, type DigitalAssetRow, type MongoDb } from '../data/assets.ts';
import { assetTransferredEvent } from '../events.ts';

/**
 * Hands an asset to another person of the tenant: its holder may, and so may an administrator with
 * `market.asset.manage` within reach. Identity vouches for the recipient (kit references.ts): an
 * active person of the tenant. A transfer unlists the asset; its event is stored on the asset in
 * the same atomic update (the document outbox), so it exists exactly when the transfer happened.
 */
export async function transferDigitalAsset(
  mongo: MongoDb,
  events: EventPublisher,
  identity: Identity,
  refs: References,
  assetId: string,
  toUserId: string,
): Promise<DigitalAssetRow> {
  const [asset] = await findAssetsByIds(mongo, identity, [assetId]);
  if (!asset) throw notFound('That digital asset');
  const isHolder = asset.ownerId === identity.userId;
  const mayManage = hasPermission(identity, 'market.asset.manage') && reachOf(identity) !== 'facility';
  if (!isHolder && !mayManage) throw forbidden('Only the holder of this asset, or an administrator who manages assets, may transfer it.');
  if (toUserId === asset.ownerId) throw conflict('The asset already belongs to that person.', { reason: 'ALREADY_IN_STATE' });
  const [recipient] = await requirePeople(refs, identity, [toUserId], { field: 'toUserId', within: 'tenant' });
  if (recipient!.tenantId !== asset.tenantId) throw notFound(`The person ${toUserId} (\`toUserId\`)`);
  const event = assetTransferredEvent(events, asset, asset.ownerId, toUserId);
  const moved = await transferAsset(mongo, identity, asset.id, asset.ownerId, toUserId, event);
  if (!moved) throw badInput('The asset changed hands meanwhile; look it up again.', { assetId: 'changed meanwhile' });
  return moved;
}
