import { describe, expect, inject, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { gql, tokenFor } from './support/client.ts';

// Classic attacks on a GraphQL endpoint (OWASP cheat sheet), refused by the gateway's operation
// limits (gateway/src/operation-limits.ts) before any subgraph is asked, while a bystander is answered.
const refusal = (answer: { errors?: { extensions?: { code?: string } }[] }) => answer.errors?.[0]?.extensions?.code;

/** `me { enrollments { nodes { class { enrollments { nodes { user { … } } } } } } }`, `levels` times over. */
function deepQuery(levels: number): string {
  let inner = 'id';
  for (let i = 0; i < levels; i++)
    inner = `enrollments(first: 1) { nodes { class { enrollments(first: 1) { nodes { user { ${inner} } } } } } }`;
  return `{ me { ${inner} } }`;
}

describe('operation limits', () => {
  it('refuse deep nesting, lists of 100 nested three times, 100 aliases, 1,000 aliases (tokens), a fragment cycle and a 1 MB document, answering a bystander meanwhile', async () => {
    const token = await tokenFor(users.facilityAdmin.username);
    const aliases = `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    const tokens = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    const wide = `{ me { enrollments(first: 100) { nodes { class { enrollments(first: 100) { nodes { user { enrollments(first: 100) { nodes { id } } } } } } } } } }`;
    const cycle = `query { me { ...A } } fragment A on User { id ...B } fragment B on User { id ...A }`;
    const huge = `{ me { id ${'username '.repeat(120_000)} } }`;
    const [deep, wideLists, manyAliases, manyTokens, cyclic, big, bystander] = await Promise.all([
      gql(deepQuery(4), {}, { token }),
      gql(wide, {}, { token }),
      gql(aliases, {}, { token }),
      gql(tokens, {}, { token }),
      gql(cycle, {}, { token }),
      gql(huge, {}, { token }),
      gql<{ me: { id: string } }>(`{ me { id } }`, {}, { token: await tokenFor(users.residentLee.username) }),
    ]);
    // graphql-armor answers depth, cost and alias limits as BAD_USER_INPUT, the token limit as a validation failure.
    expect(deep.errors?.map((e) => e.extensions?.code)).toContain('BAD_USER_INPUT');
    expect(JSON.stringify(deep.errors)).toMatch(/depth limit of 10 exceeded/i);
    expect(JSON.stringify(wideLists.errors)).toMatch(/cost limit of 100000 exceeded/i); // `first: 100` nested three times
    expect(JSON.stringify(manyAliases.errors)).toMatch(/aliases limit of 30 exceeded/i);
    expect(refusal(manyTokens)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(manyTokens.errors)).toMatch(/token limit of 5000 exceeded/i);
    expect(refusal(cyclic)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(big.status).toBe(413);
    expect(refusal(big)).toBe('BAD_REQUEST');
    expect(bystander.data?.me.id).toEqual(expect.any(String));
  });

  it('let an ordinary nested query through', async () => {
    const answer = await gql(deepQuery(1), {}, { token: await tokenFor(users.facilityAdmin.username) });
    expect(answer.errors).toBeUndefined();
  });

  it('never suggest field names', async () => {
    const answer = await gql(`{ me { usernam } }`, {}, { token: await tokenFor(users.facilityAdmin.username) });
    expect(refusal(answer)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(answer.errors)).not.toMatch(/Did you mean/);
  });

  it('refuse a batch of operations in one request', async () => {
    const response = await fetch(inject('gatewayUrl'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        Array.from({ length: 1000 }, () => ({ query: 'mutation { login(username: "x", password: "y") { accessToken } }' })),
      ),
    });
    expect(response.status).toBe(400);
  });
});
