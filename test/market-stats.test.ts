import { beforeAll, describe, expect, it } from 'vitest';
import { codes } from './support/client.ts';
import { seed, type SignedIn } from './support/seed.ts';

// Market aggregates through the gateway: reservations and business projects are people's records,
// so their counts go through the kit's small-count suppression ("<5" below 5 for callers without
// reports.exact_counts, such as analysts; exact for administrators); residents get no aggregates.

const STATS = `{ marketStats { reservationsByStatus { status count } projectsByStatus { status count } } }`;
type Stats = {
  marketStats: {
    reservationsByStatus: { status: string; count: number | string }[];
    projectsByStatus: { status: string; count: number | string }[];
  };
};

let analyst: SignedIn, departmentAdmin: SignedIn, resident: SignedIn;
const countOf = (rows: { status: string; count: number | string }[], status: string) => rows.find((r) => r.status === status)?.count ?? 0;

beforeAll(async () => {
  const tenant = await seed.tenant();
  const f = await tenant.facility();
  const residents = await Promise.all([1, 2, 3, 4, 5, 6].map(() => f.resident().then((p) => p.api())));
  resident = residents[0]!;
  [analyst, departmentAdmin] = await Promise.all([tenant.analyst().then((p) => p.api()), tenant.departmentAdmin().then((p) => p.api())]);
  const partner = await tenant.person('partner', f.id).then((p) => p.api());
  // Two reservations (a small count) of one listing, for two people, in periods that do not overlap.
  const listing = (
    await partner.gql<{ createProperty: { propertyId: string } }>(
      `mutation($input: CreatePropertyInput!) { createProperty(input: $input) { propertyId } }`,
      {
        input: { propertyType: 'apartment', address: { line1: '5 Count Ct', city: 'Chicago', country: 'US' }, price: '500.00' },
      },
    )
  ).data!.createProperty.propertyId;
  const day = 24 * 3600 * 1000;
  for (const [i, who] of residents.slice(0, 2).entries()) {
    const startsAt = new Date(Date.now() + (10 + i * 5) * day).toISOString();
    const endsAt = new Date(Date.now() + (12 + i * 5) * day).toISOString();
    const res = await who.gql(`mutation($input: RequestReservationInput!) { requestReservation(input: $input) { reservationId } }`, {
      input: { propertyId: listing, startsAt, endsAt },
    });
    expect(res.errors).toBeUndefined();
  }
  // Six projects (not a small count) by six people.
  for (const who of residents) {
    const res = await who.gql(`mutation { createBusinessProject(input: { name: "Counted" }) { projectId } }`);
    expect(res.errors).toBeUndefined();
  }
}, 120_000);

describe('market aggregates', () => {
  it('suppresses small counts of reservations and projects for analysts, exact for administrators', async () => {
    const seen = (await analyst.gql<Stats>(STATS)).data!.marketStats;
    expect(countOf(seen.reservationsByStatus, 'pending')).toBe('<5');
    expect(countOf(seen.projectsByStatus, 'planning')).toBe(6);
    const exact = (await departmentAdmin.gql<Stats>(STATS)).data!.marketStats;
    expect(countOf(exact.reservationsByStatus, 'pending')).toBe(2);
    expect(countOf(exact.projectsByStatus, 'planning')).toBe(6);
  });

  it('gives residents no aggregates', async () => {
    expect(codes(await resident.gql(STATS))).toContain('FORBIDDEN');
  });
});
