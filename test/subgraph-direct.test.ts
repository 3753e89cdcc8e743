import { describe, expect, inject, it } from 'vitest';
import { IDENTITY_HEADER, signIdentity } from '@pathway/kit';
import { users } from '../scripts/demo/ids.ts';
import { codes, gql } from './support/client.ts';

// Requests sent straight to a subgraph, bypassing the gateway: only the gateway's signature is trusted.
const admin = users.sysadmin;
const QUERY = `query($id: UUID!) { user(id: $id) { id email residentNumber } }`;
const forgedIdentity = {
  userId: admin.id,
  tenantId: admin.tenantId,
  facilityId: null,
  roles: ['system_admin' as const],
  permissions: ['identity.user.read', 'identity.user.read_name', 'identity.user.read_contact', 'identity.user.read_resident_number'],
};

describe('a request straight to a subgraph', () => {
  const identityUrl = () => inject('subgraphUrls').identity!;

  it('with an identity header signed by the gateway key is served (control)', async () => {
    const header = await signIdentity(forgedIdentity, inject('secrets').INTERNAL_JWT_SECRET);
    const res = await gql(QUERY, { id: users.residentLee.id }, { url: identityUrl(), headers: { [IDENTITY_HEADER]: header } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.user).toMatchObject({ email: 'resident.lee@example.org' });
  });

  it('with a forged identity header (wrong key) is refused with UNAUTHENTICATED and no data', async () => {
    const header = await signIdentity(forgedIdentity, 'f'.repeat(48));
    const res = await gql(QUERY, { id: users.residentLee.id }, { url: identityUrl(), headers: { [IDENTITY_HEADER]: header } });
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.data ?? null).toBeNull();
  });

  it('with an unsigned identity header (alg none / plain JSON) is refused', async () => {
    const claims = {
      sub: admin.id,
      tid: admin.tenantId,
      roles: ['system_admin'],
      perms: ['identity.user.read'],
      iss: 'pathway-gateway',
      aud: 'pathway-subgraph',
    };
    const algNone = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    for (const header of [JSON.stringify(forgedIdentity), algNone]) {
      const res = await gql(QUERY, { id: users.residentLee.id }, { url: identityUrl(), headers: { [IDENTITY_HEADER]: header } });
      expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('without any identity header gets no protected data', async () => {
    const res = await gql(QUERY, { id: users.residentLee.id }, { url: identityUrl() });
    expect(res.data?.user ?? null).toBeNull();
    expect(codes(res)).toContain('UNAUTHENTICATED');
  });

  it('cannot smuggle an identity header through the gateway', async () => {
    const header = await signIdentity(forgedIdentity, 'f'.repeat(48));
    const res = await gql(QUERY, { id: users.residentLee.id }, { headers: { [IDENTITY_HEADER]: header } });
    expect(res.data?.user ?? null).toBeNull();
    expect(codes(res)).toContain('UNAUTHENTICATED');
  });
});
