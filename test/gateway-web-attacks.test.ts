import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { users, DEMO_PASSWORD } from '../scripts/demo/ids.ts';
import { startExtraGateway, type ExtraGateway } from './support/gateway.ts';

// What a browser page on another site, or a scanner, can make the gateway do: Apollo Server's CSRF
// prevention refuses requests a browser sends without a preflight (GET without a JSON content type,
// text/plain and form POSTs), mutations never run over GET, and in production the schema is not
// given away by introspection.

const LOGIN = `mutation { login(username: "${users.residentLee.username}", password: "${DEMO_PASSWORD}") { accessToken } }`;

describe('requests a browser could be tricked into sending', () => {
  const url = () => inject('gatewayUrl');

  it('refuses a text/plain or form POST of a mutation (a "simple" cross-site request), running nothing', async () => {
    for (const [type, body] of [
      ['text/plain', JSON.stringify({ query: LOGIN })],
      ['application/x-www-form-urlencoded', `query=${encodeURIComponent(LOGIN)}`],
      ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n${LOGIN}\r\n--x--`],
    ] as const) {
      const response = await fetch(url(), { method: 'POST', headers: { 'content-type': type }, body });
      expect({ type, status: response.status }).toEqual({ type, status: 400 });
      const text = await response.text();
      expect(text).not.toContain('accessToken');
      expect(text).not.toMatch(/<html|at .*\.ts:\d+/i);
    }
  });

  it('refuses a GET without a preflight header, and any mutation over GET', async () => {
    const simpleGet = await fetch(`${url()}?query=${encodeURIComponent('{ __typename }')}`);
    expect(simpleGet.status).toBe(400);
    expect(await simpleGet.text()).toMatch(/CSRF|preflight/i);

    const mutationGet = await fetch(`${url()}?query=${encodeURIComponent(LOGIN)}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(mutationGet.status).toBe(405);
    expect(await mutationGet.text()).not.toContain('accessToken');

    const preflightedQuery = await fetch(`${url()}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(await preflightedQuery.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('a production gateway', () => {
  let gateway: ExtraGateway;
  beforeAll(async () => {
    gateway = await startExtraGateway({ NODE_ENV: 'production' });
  });
  afterAll(() => gateway?.stop());

  const ask = async (query: string) => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  };

  it('refuses introspection and gives no field suggestions', async () => {
    const schema = await ask('{ __schema { types { name } } }');
    expect(schema.data ?? null).toBeNull();
    expect(schema.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(schema.errors?.[0]?.message).toMatch(/introspection/i);
    const typo = await ask('{ mee { id } }');
    expect(JSON.stringify(typo)).not.toMatch(/did you mean/i);
  });

  it('still answers ordinary operations', async () => {
    expect(await ask('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
  });
});
