import { describe, expect, it } from 'vitest';
import { demoId, users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';

const BADGE = demoId('f2', 1); // resident Lee's unlisted GED badge (demo); other tests read, never move it
const TRANSFER = `mutation($assetId: UUID!, $to: UUID!) { transferDigitalAsset(assetId: $assetId, toUserId: $to) { id owner { id } isListed } }`;

describe('transferDigitalAsset refusals (nothing changes)', () => {
  const ownerOfBadge = async () => {
    const res = await gql<{ digitalAsset: { owner: { id: string } } }>(
      'query($id: UUID!) { digitalAsset(id: $id) { owner { id } } }',
      { id: BADGE },
      { token: await tokenFor(users.sysadmin.username) },
    );
    return res.data!.digitalAsset.owner.id;
  };

  it('refuses someone who neither holds the asset nor manages assets', async () => {
    for (const username of [users.residentGarcia.username, users.facilityAdmin.username]) {
      const res = await gql(TRANSFER, { assetId: BADGE, to: users.residentGarcia.id }, { token: await tokenFor(username) });
      expect(codes(res)).toEqual([username === users.residentGarcia.username ? 'NOT_FOUND' : 'FORBIDDEN']);
    }
    expect(await ownerOfBadge()).toBe(users.residentLee.id);
  });

  it('refuses malformed ids with BAD_USER_INPUT and a transfer to the current owner with CONFLICT', async () => {
    const token = await tokenFor(users.sysadmin.username);
    expect(codes(await gql(TRANSFER, { assetId: 'nope', to: users.residentGarcia.id }, { token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(TRANSFER, { assetId: BADGE, to: 'nope' }, { token }))).toEqual(['BAD_USER_INPUT']);
    const same = await gql(TRANSFER, { assetId: BADGE, to: users.residentLee.id }, { token });
    expect(same.errors?.map((e) => [e.extensions?.code, e.extensions?.reason])).toEqual([['CONFLICT', 'ALREADY_IN_STATE']]);
    expect(await ownerOfBadge()).toBe(users.residentLee.id);
  });

  it('refuses anonymous callers', async () => {
    expect(codes(await gql(TRANSFER, { assetId: BADGE, to: users.residentGarcia.id }))).toEqual(['UNAUTHENTICATED']);
  });
});
