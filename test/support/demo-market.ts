import { demoId, users } from '../../scripts/demo/ids.ts';
import { gql, tokenFor } from './client.ts';

/**
 * A market event in the demo tenant that leaves the data as it was: resident Lee's demo asset to
 * Garcia and back (the GraphiQL tests run it side by side; either order ends with Lee).
 */
export async function moveDemoAsset(): Promise<void> {
  const token = await tokenFor(users.sysadmin.username);
  for (const to of [users.residentGarcia.id, users.residentLee.id])
    await gql(
      'mutation($a: UUID!, $to: UUID!) { transferDigitalAsset(assetId: $a, toUserId: $to) { id } }',
      { a: demoId('f2', 2), to },
      { token },
    );
}
