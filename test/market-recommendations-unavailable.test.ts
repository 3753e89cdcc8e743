import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from './support/client.ts';
import { deadPort, startGateway, startSubgraph, subgraphEnv, type Service } from './support/processes.ts';
import { seed, type SignedIn } from './support/seed.ts';

// Recommendations rank from identity's profile and campus's facility programs (kit references).
// When either owner cannot be asked, the answer is SERVICE_UNAVAILABLE naming it (serviceName is
// market, the subgraph that answered, as the gateway sets it; unavailableService the owner), with a retry
// hint: never a ranking made from half the inputs, never an internal error, and the rest of the
// answer stands. Each market here asks a dead port in place of one owner.
const RECS = `{ me { id recommendations(first: 5) { nodes { id title } } } }`;
const LEAKS = /127\.0\.0\.1|localhost|fetch failed|ECONNREFUSED|\/internal|stack/i;

let resident: SignedIn;
const started: Service[] = [];
const gateways: Record<'identity' | 'campus', Service> = {} as never;

beforeAll(async () => {
  const tenant = await seed.tenant();
  const facility = await tenant.facility();
  await facility.program({ name: 'Welding' });
  resident = await (await facility.resident()).api();
  await Promise.all(
    (['identity', 'campus'] as const).map(async (owner) => {
      const market = await startSubgraph('market', { [`${owner.toUpperCase()}_URL`]: `http://127.0.0.1:${await deadPort()}/graphql` });
      started.push(market);
      const gateway = await startGateway(subgraphEnv({ market: market.url }));
      started.push(gateway);
      gateways[owner] = gateway;
    }),
  );
}, 180_000);
afterAll(() => Promise.all(started.map((s) => s.stop())));

describe('recommendations when an owner of their inputs is down', () => {
  it('answer SERVICE_UNAVAILABLE naming identity or campus (unavailableService), with Retry-After seconds, and the sibling fields stand', async () => {
    // The stack's own gateway, with both owners up: a ranking.
    const up = await resident.gql<{ me: { recommendations: { nodes: unknown[] } } }>(RECS);
    expect(up.errors).toBeUndefined();
    for (const owner of ['identity', 'campus'] as const) {
      const down = await gql<{ me: { id: string; recommendations: unknown } }>(
        RECS,
        {},
        { token: resident.accessToken, url: gateways[owner].url },
      );
      expect(down.data?.me).toEqual({ id: expect.any(String), recommendations: null });
      expect(down.errors).toMatchObject([
        {
          path: ['me', 'recommendations'],
          extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: 'market', unavailableService: owner, retryAfterSeconds: 2 },
        },
      ]);
      expect(down.errors![0]!.message).toBe(
        `Could not ask ${owner} about the ${owner === 'identity' ? 'profiles' : 'facilityPrograms'} just now; nothing was changed. Try again shortly.`,
      );
      expect(JSON.stringify(down.errors)).not.toMatch(LEAKS);
    }
  });
});
