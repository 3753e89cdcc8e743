import { describe, expect, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { gql, tokenFor } from './support/client.ts';

// Lists at the root were non-null: one FORBIDDEN inside made the whole `data` null, wiping the
// caller's other root fields too. Every root field is now nullable, so a denial stays on its field.

describe('a denied root field', () => {
  it('nulls only itself: the other root fields of the document still answer', async () => {
    const token = await tokenFor(users.residentLee.username);
    const answer = await gql<Record<string, unknown>>(
      `{ me { id } roles { name } users(first: 5) { nodes { id } } tenants(first: 1) { nodes { id } } webhookEndpoints(first: 1) { nodes { id } } }`,
      {},
      { token },
    );
    expect(answer.data).toEqual({ me: { id: users.residentLee.id }, roles: null, users: null, tenants: null, webhookEndpoints: null });
    expect(new Set(answer.errors?.map((e) => `${e.path?.join('.')}:${e.extensions?.code}`))).toEqual(
      new Set(['roles:FORBIDDEN', 'users:FORBIDDEN', 'tenants:FORBIDDEN', 'webhookEndpoints:FORBIDDEN']),
    );
  });

  it('across subgraphs too: a guardian denied campus and market lists still gets their own record', async () => {
    const token = await tokenFor(users.guardian.username);
    const answer = await gql<Record<string, unknown>>(
      `{ me { id } digitalAssets(first: 5) { nodes { id } } programClasses(first: 5) { nodes { id } } }`,
      {},
      { token },
    );
    expect(answer.data).toEqual({ me: { id: users.guardian.id }, digitalAssets: null, programClasses: null });
    expect(new Set(answer.errors?.map((e) => `${e.path?.join('.')}:${e.extensions?.code}`))).toEqual(
      new Set(['digitalAssets:FORBIDDEN', 'programClasses:FORBIDDEN']),
    );
  });
});
