import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, tokenFor } from './support/client.ts';
import { users } from '../scripts/demo/ids.ts';
import { seed, type SignedIn } from './support/seed.ts';
import { collect, wsClient } from './support/subscriptions.ts';

// Market's events as subscriptions through the gateway (graphql-ws): reservation changed,
// transaction completed, listing verified; each only to those who may see its entity, with the
// fields they may see, and resumable with `after`. And offered to webhooks.

const settle = () => new Promise((r) => setTimeout(r, 300)); // let the server register the subscription
const DAY = 24 * 3600 * 1000;
const day = (n: number) => new Date(Math.ceil(Date.now() / DAY) * DAY + (40 + n) * DAY).toISOString();

let owner: SignedIn, resident: SignedIn, other: SignedIn, admin: SignedIn, manager: SignedIn, outsider: SignedIn;
const clients: ReturnType<typeof wsClient>[] = [];
const client = (who: SignedIn) => {
  const c = wsClient(who.accessToken);
  clients.push(c);
  return c;
};

async function listing() {
  const res = await owner.gql<{ createProperty: { propertyId: string } }>(
    'mutation($input: CreatePropertyInput!) { createProperty(input: $input) { propertyId } }',
    { input: { propertyType: 'house', address: { line1: '3 Event St', city: 'Chicago', country: 'US' }, price: '800.00' } },
  );
  return res.data!.createProperty.propertyId;
}

beforeAll(async () => {
  const t = await seed.tenant();
  const o = await seed.tenant();
  const [f, of] = await Promise.all([t.facility(), o.facility()]);
  [owner, resident, other, admin, manager, outsider] = await Promise.all([
    t.person('partner', f.id).then((p) => p.api()),
    f.resident().then((p) => p.api()),
    f.resident().then((p) => p.api()),
    f.facilityAdmin().then((p) => p.api()),
    t.person('partner', f.id).then((p) => p.api()),
    of.facilityAdmin().then((p) => p.api()),
  ]);
}, 120_000);
afterAll(async () => {
  for (const c of clients) await c.dispose();
});

type ReservationEvent = {
  reservationChanged: { cursor: string; status: string; previousStatus: string | null; reservation: { id: string } | null };
};
const RESERVATIONS = `subscription($after: String) { reservationChanged(after: $after) { cursor status previousStatus reservation { id } } }`;

describe('reservationChanged', () => {
  it('reaches the person and the listing’s owner, not another resident or tenant; resumes after a disconnect', async () => {
    const propertyId = await listing();
    const mine = collect<ReservationEvent>(client(resident), RESERVATIONS);
    const owners = collect<ReservationEvent>(client(owner), RESERVATIONS);
    const others = collect<ReservationEvent>(client(other), RESERVATIONS);
    const away = collect<ReservationEvent>(client(outsider), RESERVATIONS);
    await settle();
    const requested = await resident.gql<{ requestReservation: { reservationId: string } }>(
      'mutation($input: RequestReservationInput!) { requestReservation(input: $input) { reservationId } }',
      { input: { propertyId, startsAt: day(0), endsAt: day(3) } },
    );
    const id = requested.data!.requestReservation.reservationId;
    await Promise.all([mine.waitFor(1), owners.waitFor(1)]);
    expect(mine.results[0]!.data!.reservationChanged).toMatchObject({ status: 'pending', previousStatus: null, reservation: { id } });
    const cursor = mine.results[0]!.data!.reservationChanged.cursor;
    mine.stop();
    await owner.gql('mutation($id: UUID!) { confirmReservation(id: $id) { status } }', { id });
    await owners.waitFor(2);
    expect(owners.results[1]!.data!.reservationChanged).toMatchObject({ status: 'confirmed', previousStatus: 'pending' });
    // Back with the last cursor: the confirmation it missed first.
    const resumed = collect<ReservationEvent>(client(resident), RESERVATIONS, { after: cursor });
    await resumed.waitFor(1);
    expect(resumed.results[0]!.data!.reservationChanged).toMatchObject({ status: 'confirmed', reservation: { id } });
    expect([...others.results, ...away.results].filter((r) => r.data?.reservationChanged.reservation?.id === id)).toEqual([]);
  });
});

type TransactionEvent = {
  transactionCompleted: { itemId: string; transactionType: string; transaction: { id: string; amount: string | null } | null };
};
const TRANSACTIONS = `subscription { transactionCompleted { itemId transactionType transaction { id amount } } }`;

describe('transactionCompleted', () => {
  it('reaches the parties with the amount, and nobody outside the audience', async () => {
    const propertyId = await listing();
    const buyerSide = collect<TransactionEvent>(client(resident), TRANSACTIONS);
    const sellerSide = collect<TransactionEvent>(client(owner), TRANSACTIONS);
    const otherManager = collect<TransactionEvent>(client(manager), TRANSACTIONS);
    const others = collect<TransactionEvent>(client(other), TRANSACTIONS);
    await settle();
    const started = await resident.gql<{ startPropertyTransaction: { transactionId: string } }>(
      'mutation($input: StartPropertyTransactionInput!) { startPropertyTransaction(input: $input) { transactionId } }',
      { input: { idempotencyKey: randomUUID(), propertyId, transactionType: 'sale', amount: '800.00' } },
    );
    const id = started.data!.startPropertyTransaction.transactionId;
    await owner.gql('mutation($id: UUID!) { completeTransaction(id: $id) { status } }', { id });
    await Promise.all([buyerSide.waitFor(1), sellerSide.waitFor(1)]);
    for (const seen of [buyerSide, sellerSide])
      expect(seen.results[0]!.data!.transactionCompleted).toEqual({
        itemId: propertyId,
        transactionType: 'sale',
        transaction: { id, amount: '800.00' },
      });
    // A transaction's audience is recorded when it happens: its parties and tenant-wide readers only.
    await settle();
    expect([...otherManager.results, ...others.results]).toEqual([]);
  });
});

type VerifiedEvent = { listingVerified: { property: { id: string; isVerified: boolean } | null } };

describe('listingVerified', () => {
  it('reaches the tenant’s residents, not another tenant', async () => {
    const propertyId = await listing();
    const query = 'subscription { listingVerified { property { id isVerified } } }';
    const seen = collect<VerifiedEvent>(client(other), query);
    const away = collect<VerifiedEvent>(client(outsider), query);
    await settle();
    await admin.gql('mutation($id: UUID!) { verifyProperty(id: $id) { status } }', { id: propertyId });
    await seen.waitFor(1);
    expect(seen.results[0]!.data!.listingVerified.property).toEqual({ id: propertyId, isVerified: true });
    expect(away.results.filter((r) => r.data?.listingVerified.property?.id === propertyId)).toEqual([]);
  });
});

describe('webhooks', () => {
  it('offer the market event types to endpoints', async () => {
    const res = await gql<{ webhookEventTypes: string[] }>('{ webhookEventTypes }', {}, { token: await tokenFor(users.sysadmin.username) });
    expect(res.data!.webhookEventTypes).toEqual(
      expect.arrayContaining([
        'market.reservation.changed',
        'market.transaction.completed',
        'market.property.verified',
        'market.property.changed',
      ]),
    );
  });
});
