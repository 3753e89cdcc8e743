import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectRedis, type Redis } from '@pathway/kit';
import { facilities, tenants, users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';
import { seed } from './support/seed.ts';

// Tenants management (system administrators) and facility feature flags. Tenants and facilities
// changed here are made up by this file; the demo tenants are only read.
const sys = () => tokenFor(users.sysadmin.username);
const dept = () => tokenFor(users.deptAdmin.username);
const facilityAdmin = () => tokenFor(users.facilityAdmin.username);
const riverside = () => tokenFor(users.riversideAdmin.username);
const resident = () => tokenFor(users.residentLee.username);

const CREATE = `mutation($input: CreateTenantInput!) { createTenant(input: $input) { id slug name tier region status settings } }`;
const UPDATE = `mutation($id: UUID!, $input: UpdateTenantInput!) { updateTenant(id: $id, input: $input) { id name tier status settings } }`;
const LIST = `query($after: String) { tenants(first: 100, after: $after) { nodes { id slug } pageInfo { hasNextPage endCursor } } }`;
const FLAGS = `query($f: UUID!) { facilityFeatureFlags(facilityId: $f) { flag enabled } }`;
const SET_FLAG = `mutation($f: UUID!, $flag: FeatureFlag!, $on: Boolean!) { setFacilityFeatureFlag(facilityId: $f, flag: $flag, enabled: $on) { facilityId flag enabled } }`;

let redis: Redis;
beforeAll(() => {
  redis = connectRedis(inject('redisUrl'), 'identity-tenants-test');
});
afterAll(() => redis.quit());

describe('tenants', () => {
  it('system administrators create and update tenants; others only see their own', async () => {
    const slug = `t-${randomBytes(4).toString('hex')}`;
    const created = await gql<{ createTenant: { id: string; tier: string; status: string; settings: unknown } }>(
      CREATE,
      { input: { slug, name: 'Test Org', region: 'us-central', settings: { locale: 'en-US' } } },
      { token: await sys() },
    );
    expect(created.data!.createTenant).toMatchObject({ tier: 'standard', status: 'active', settings: { locale: 'en-US' } });
    const id = created.data!.createTenant.id;
    const updated = await gql<{ updateTenant: Record<string, unknown> }>(
      UPDATE,
      { id, input: { tier: 'enterprise', status: 'suspended', settings: { locale: 'es-US' } } },
      { token: await sys() },
    );
    expect(updated.data!.updateTenant).toEqual({
      id,
      name: 'Test Org',
      tier: 'enterprise',
      status: 'suspended',
      settings: { locale: 'es-US' },
    });

    // Every page: other test files make tenants too, and a name can sort past the first hundred.
    const seen: string[] = [];
    for (let after: string | null = null, more = true; more;) {
      type Page = { tenants: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
      const page: Page = (await gql<Page>(LIST, { after }, { token: await sys() })).data!;
      seen.push(...page.tenants.nodes.map((t) => t.id));
      [more, after] = [page.tenants.pageInfo.hasNextPage, page.tenants.pageInfo.endCursor];
    }
    expect(seen).toEqual(expect.arrayContaining([id, tenants.lakeshore, tenants.riverside]));
    const own = await gql<{ tenants: { nodes: { id: string }[] } }>(LIST, {}, { token: await dept() });
    expect(own.data!.tenants.nodes.map((t) => t.id)).toEqual([tenants.lakeshore]);
    expect(codes(await gql(LIST, {}, { token: await resident() }))).toEqual(['FORBIDDEN']);
  });

  it('is refused to other roles, and rejects bad or duplicate input, changing nothing', async () => {
    for (const token of [await dept(), await facilityAdmin()]) {
      expect(codes(await gql(CREATE, { input: { slug: `t-${randomBytes(4).toString('hex')}`, name: 'X' } }, { token }))).toEqual([
        'FORBIDDEN',
      ]);
      expect(codes(await gql(UPDATE, { id: tenants.lakeshore, input: { name: 'Hijacked' } }, { token }))).toEqual(['FORBIDDEN']);
    }
    // The unique index decides (P2002), and the clash names the unique field and constraint.
    const dup = await gql(CREATE, { input: { slug: 'lakeshore-doc', name: 'Dup' } }, { token: await sys() });
    expect(dup.errors?.map((e) => e.extensions)).toEqual([
      expect.objectContaining({
        code: 'CONFLICT',
        reason: 'DUPLICATE',
        fields: ['slug'],
        constraint: 'tenants_slug_key',
        fieldErrors: { slug: 'already taken' },
      }),
    ]);
    expect(codes(await gql(CREATE, { input: { slug: 'Bad Slug', name: 'X' } }, { token: await sys() }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(UPDATE, { id: tenants.lakeshore, input: { name: ' ' } }, { token: await sys() }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(UPDATE, { id: randomUUID(), input: { name: 'X' } }, { token: await sys() }))).toEqual(['NOT_FOUND']);
    const me = await gql<{ me: { tenant: { name: string } } }>('{ me { tenant { name } } }', {}, { token: await dept() });
    expect(me.data!.me.tenant.name).toBe('Lakeshore Department of Corrections');
  });
});

describe('facility feature flags', () => {
  it("department admins switch their facilities' features; the flags directory follows; facility users read their own", async () => {
    const { id: facility } = await seed.facilityIn(tenants.lakeshore, { features: [] });
    const on = await gql<{ setFacilityFeatureFlag: { enabled: boolean } }>(
      SET_FLAG,
      { f: facility, flag: 'open_content', on: true },
      { token: await dept() },
    );
    expect(on.data!.setFacilityFeatureFlag.enabled).toBe(true);
    await gql(SET_FLAG, { f: facility, flag: 'program_management', on: true }, { token: await dept() });
    await gql(SET_FLAG, { f: facility, flag: 'program_management', on: false }, { token: await dept() });
    const flags = await gql<{ facilityFeatureFlags: { flag: string; enabled: boolean }[] }>(
      FLAGS,
      { f: facility },
      { token: await dept() },
    );
    expect(flags.data!.facilityFeatureFlags).toEqual([
      { flag: 'open_content', enabled: true },
      { flag: 'provider_platforms', enabled: false },
      { flag: 'program_management', enabled: false },
    ]);
    expect(JSON.parse((await redis.hget('pathway:facility-flags', facility))!)).toEqual(['open_content']);

    // Another tenant's admin cannot take the facility over (riverside.admin is a facility admin: refused by role).
    expect(codes(await gql(SET_FLAG, { f: facility, flag: 'open_content', on: false }, { token: await riverside() }))).toEqual([
      'FORBIDDEN',
    ]);
    const own = await gql<{ facilityFeatureFlags: unknown[] }>(FLAGS, { f: facilities.northRidge.id }, { token: await resident() });
    expect(own.data!.facilityFeatureFlags).toHaveLength(3);
    expect(codes(await gql(FLAGS, { f: facility }, { token: await facilityAdmin() }))).toEqual(['FORBIDDEN']);
  });

  it("is refused to facility admins and residents; another tenant's facility is not found, or a conflict when named with the wrong tenant", async () => {
    const { id: facility } = await seed.facilityIn(tenants.riverside, { features: [] });
    for (const token of [await facilityAdmin(), await resident()])
      expect(codes(await gql(SET_FLAG, { f: facility, flag: 'open_content', on: true }, { token }))).toEqual(['FORBIDDEN']);
    await gql(
      `mutation($f: UUID!, $t: UUID!) { setFacilityFeatureFlag(facilityId: $f, flag: open_content, enabled: true, tenantId: $t) { enabled } }`,
      { f: facility, t: tenants.riverside },
      { token: await sys() },
    );
    expect(codes(await gql(SET_FLAG, { f: facility, flag: 'provider_platforms', on: true }, { token: await dept() }))).toEqual([
      'NOT_FOUND',
    ]);
    const wrongTenant = await gql(
      `mutation($f: UUID!, $t: UUID!) { setFacilityFeatureFlag(facilityId: $f, flag: provider_platforms, enabled: true, tenantId: $t) { enabled } }`,
      { f: facility, t: tenants.lakeshore },
      { token: await sys() },
    );
    expect(wrongTenant.errors?.map((e) => e.extensions?.reason)).toEqual(['OTHER_TENANT']);
    expect(codes(await gql(SET_FLAG, { f: 'not-an-id', flag: 'open_content', on: true }, { token: await dept() }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});
