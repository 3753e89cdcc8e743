import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { PERMISSION_KEYS, type Identity } from '@pathway/kit';
import { fieldPermissions } from '../../scripts/field-permissions.ts';
import { insightAccess } from '../../subgraphs/behavior/src/access.ts';
import { SUBSCRIPTIONS, missingPermissions } from '../src/subscriptions/catalog.ts';

// The permissions each subscription says show its events: real keys, and for subscriptions nobody
// sees without one, the very keys the subgraphs' rules demand (so the subscribe-time refusal and
// the delivery-time rules cannot drift apart).
const person: Identity = { userId: 'u', tenantId: 't', facilityId: 'f', roles: ['resident'], permissions: [] };
const account: Identity = { ...person, roles: ['integrator'], serviceAccount: true };

describe('subscription catalog', () => {
  it('covers every Subscription field of the supergraph, each with known permission keys', () => {
    const schema = buildSchema(readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'), { assumeValidSDL: true });
    expect(Object.keys(SUBSCRIPTIONS).sort()).toEqual(Object.keys(schema.getSubscriptionType()!.getFields()).sort());
    for (const spec of Object.values(SUBSCRIPTIONS)) {
      expect(spec.permissions.length).toBeGreaterThan(0);
      for (const key of spec.permissions) expect(PERMISSION_KEYS).toContain(key);
    }
  });

  it('names, for subscriptions without events of your own, a permission the lookup or its access rule requires', async () => {
    const rules = await fieldPermissions();
    for (const [name, spec] of Object.entries(SUBSCRIPTIONS)) {
      if (spec.ownEvents) continue;
      const required = rules.Query![spec.lookupField]!;
      if (name === 'insightChanged') {
        // The lookup is open to the signed in; the rows are none without the permission (behavior access.ts).
        expect(JSON.stringify(insightAccess.where(person))).toContain('"in":[]');
        const admin: Identity = { ...person, facilityId: null, roles: ['department_admin'], permissions: [...spec.permissions] };
        expect(JSON.stringify(insightAccess.where(admin))).not.toContain('"in":[]');
      } else {
        expect(
          spec.permissions.some((key) => required.includes(`\`${key}\``)),
          `${name}: ${required}`,
        ).toBe(true);
      }
    }
  });

  it('refuses service accounts without a permission, and people only where their own events could not come', () => {
    const assets = SUBSCRIPTIONS.assetTransferred!;
    const stats = SUBSCRIPTIONS.marketActivity!;
    expect(missingPermissions(account, assets)).toEqual(['market.asset.read']);
    expect(missingPermissions({ ...account, permissions: ['market.asset.read'] }, assets)).toEqual([]);
    expect(missingPermissions(person, assets)).toEqual([]);
    expect(missingPermissions(person, stats)).toEqual(['market.aggregate.read']);
    expect(missingPermissions({ ...person, permissions: ['market.aggregate.read'] }, stats)).toEqual([]);
    const listings = SUBSCRIPTIONS.listingChanged!;
    expect(missingPermissions({ ...account, permissions: ['market.property.manage'] }, listings)).toEqual([]);
  });
});
