import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Identity } from '@pathway/kit';
import { CACHE_INVALIDATING_EVENT_TYPES, CACHE_INVALIDATING_SOURCES, scopeKey } from '../src/response-cache.ts';

const schemaDir = new URL('../../schema/', import.meta.url);

describe('response cache invalidation', () => {
  it('lists exactly the subgraphs whose SDL marks anything cacheable, so their events invalidate it', () => {
    const hinting = readdirSync(schemaDir)
      .filter((file) => file.endsWith('.graphql') && file !== 'supergraph.graphql')
      .filter((file) => /@cacheControl\(maxAge:\s*[1-9]/.test(readFileSync(new URL(file, schemaDir), 'utf8')))
      .map((file) => file.replace('.graphql', ''))
      .sort();
    expect(hinting.length).toBeGreaterThan(0);
    expect([...CACHE_INVALIDATING_SOURCES].sort()).toEqual(hinting);
    // Their event types, from the kit's event catalog.
    expect(CACHE_INVALIDATING_EVENT_TYPES).toEqual([
      'learning.sync.finished',
      'learning.milestone.completed',
      'learning.outcome.awarded',
      'learning.content_request.changed',
      'market.asset.transferred',
      'market.reservation.changed',
      'market.transaction.completed',
      'market.property.verified',
      'market.property.changed',
      'market.project.changed',
    ]);
  });
});

describe('scopeKey', () => {
  const analyst: Identity = {
    userId: 'u1',
    tenantId: 't1',
    facilityId: null,
    roles: ['analyst'],
    permissions: ['b.read', 'a.read'],
    featureFlags: [],
  };

  it('is shared by people alike in tenant, facility, roles, permissions and flags (the order of lists aside)', () => {
    expect(scopeKey({ ...analyst, userId: 'u2', permissions: ['a.read', 'b.read'] })).toBe(scopeKey(analyst));
  });

  it('differs as soon as any of them differs', () => {
    const variants: Identity[] = [
      { ...analyst, tenantId: 't2' },
      { ...analyst, facilityId: 'f1' },
      { ...analyst, roles: ['department_admin'] },
      { ...analyst, permissions: ['a.read'] },
      { ...analyst, featureFlags: ['open_content'] },
    ];
    const keys = new Set([analyst, ...variants].map(scopeKey));
    expect(keys.size).toBe(variants.length + 1);
  });
});
