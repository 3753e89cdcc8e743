import { readFileSync, readdirSync } from 'node:fs';
import { Kind, parse, type DirectiveNode, type OperationDefinitionNode, type TypeNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Identity } from '@pathway/kit';
import {
  CACHE_INVALIDATING_EVENT_TYPES,
  CACHE_INVALIDATING_SOURCES,
  CACHEABLE_QUERY_FIELDS,
  mayBeCached,
  scopeKey,
} from '../src/response-cache.ts';

const schemaDir = new URL('../../schema/', import.meta.url);
const subgraphSdl = () =>
  readdirSync(schemaDir)
    .filter((file) => file.endsWith('.graphql') && file !== 'supergraph.graphql')
    .map((file) => readFileSync(new URL(file, schemaDir), 'utf8'));

const maxAgeOf = (directives: readonly DirectiveNode[] | undefined) => {
  const value = directives?.find((d) => d.name.value === 'cacheControl')?.arguments?.find((a) => a.name.value === 'maxAge')?.value;
  return value?.kind === Kind.INT ? Number(value.value) : undefined;
};
const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));

/** Root query fields whose hint (the field's own, else its type's) has a max-age above 0, in every subgraph's SDL. */
function cacheableQueryFieldsInSdl(): string[] {
  const fields = new Set<string>();
  for (const sdl of subgraphSdl()) {
    const definitions = parse(sdl).definitions;
    const typeMaxAge = new Map<string, number>();
    for (const d of definitions) {
      const age = 'directives' in d && 'name' in d && d.name ? maxAgeOf(d.directives) : undefined;
      if (age !== undefined && 'name' in d && d.name) typeMaxAge.set(d.name.value, age);
    }
    for (const d of definitions) {
      if ((d.kind !== Kind.OBJECT_TYPE_DEFINITION && d.kind !== Kind.OBJECT_TYPE_EXTENSION) || d.name.value !== 'Query') continue;
      for (const field of d.fields ?? [])
        if ((maxAgeOf(field.directives) ?? typeMaxAge.get(namedType(field.type)) ?? 0) > 0) fields.add(field.name.value);
    }
  }
  return [...fields].sort();
}

const operation = (text: string) => parse(text).definitions[0] as OperationDefinitionNode;

describe('what the response cache looks up', () => {
  it('lists exactly the root query fields the SDL may mark cacheable', () => {
    const inSdl = cacheableQueryFieldsInSdl();
    expect(inSdl).toContain('courses');
    expect([...CACHEABLE_QUERY_FIELDS].sort()).toEqual(inSdl);
  });

  it('looks up queries of cacheable root fields only', () => {
    expect(mayBeCached(operation('{ courses(first: 5) { nodes { id } } }'))).toBe(true);
    expect(mayBeCached(operation('{ a: properties { nodes { id } } marketStats { totalProperties } __typename }'))).toBe(true);
    // Fragments and introspection prove nothing: looked up as before.
    expect(mayBeCached(operation('{ ...F } fragment F on Query { me { id } }'))).toBe(true);
    expect(mayBeCached(operation('{ __schema { queryType { name } } }'))).toBe(true);
    // One uncacheable root field makes the whole answer uncacheable.
    expect(mayBeCached(operation('{ courses { nodes { id } } me { id } }'))).toBe(false);
    expect(mayBeCached(operation('query Profile($id: UUID!) { user(id: $id) { id } }'))).toBe(false);
    expect(mayBeCached(operation('mutation { logout }'))).toBe(false);
    expect(mayBeCached(undefined)).toBe(false);
  });
});

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
