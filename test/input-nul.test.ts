import { describe, expect, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { gql, tokenFor } from './support/client.ts';

// A NUL character in any text once reached PostgreSQL and came back as an internal error quoting it
// ('invalid byte sequence for encoding "UTF8": 0x00'). It is the client's mistake, refused at the edge.
const LOGIN = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }`;

describe('text with a NUL character', () => {
  it('is BAD_USER_INPUT, in a literal or in variables, signed in or not, and leaks nothing', async () => {
    const answers = await Promise.all([
      gql(LOGIN, { u: 'a\u0000b', p: 'x' }),
      gql(`mutation { login(username: "a\\u0000b", password: "x") { accessToken } }`),
      gql(
        `query($s: String) { users(first: 5, filter: { search: $s }) { nodes { id } } }`,
        { s: 'Lee\u0000' },
        {
          token: await tokenFor(users.facilityAdmin.username),
        },
      ),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(JSON.stringify(answer)).not.toMatch(/byte sequence|0x00|prisma|postgres/i);
    }
  });

  it('does not stop ordinary unicode (right-to-left, emoji)', async () => {
    const answer = await gql(LOGIN, { u: '\u202eadmin 🙂', p: 'wrong' });
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
