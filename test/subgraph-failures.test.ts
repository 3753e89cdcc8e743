import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { gql, tokenFor } from './support/client.ts';
import { startExtraGateway, type ExtraGateway } from './support/gateway.ts';
import { deadPort } from './support/processes.ts';

// What a client learns when one subgraph fails: which one, with the rest of the answer standing, and
// never the subgraph's internal URL, its raw HTTP status line or a stack.
const LEAKS = /127\.0\.0\.1|localhost|fetch failed|Bad Request|\/graphql|stack/i;

describe('a failing subgraph', () => {
  let gateway: ExtraGateway;
  beforeAll(async () => {
    gateway = await startExtraGateway({ MARKET_URL: `http://127.0.0.1:${await deadPort()}/graphql` });
  });
  afterAll(() => gateway?.stop());

  it('is named (SUBGRAPH_UNAVAILABLE, serviceName) and the other subgraphs answer', async () => {
    const token = await tokenFor(users.facilityAdmin.username);
    const answer = await gql<{ me: { id: string } | null; property: unknown }>(
      `{ me { id } property(id: "00000000-0000-4000-8000-000000000001") { id } }`,
      {},
      { token, url: gateway.url },
    );
    expect(answer.data?.me?.id).toEqual(expect.any(String));
    expect(answer.data?.property).toBeNull();
    expect(answer.errors).toMatchObject([{ extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'market' } }]);
    expect(JSON.stringify(answer.errors)).not.toMatch(LEAKS);
  });
});

describe('a subgraph refusing a literal', () => {
  it('passes on its BAD_USER_INPUT, not "400: Bad Request" with its URL', async () => {
    const token = await tokenFor(users.facilityAdmin.username);
    const answer = await gql(`{ learningStats(from: "not a date") { courses { count } } }`, {}, { token });
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(answer.errors)).not.toMatch(LEAKS);
  });
});
