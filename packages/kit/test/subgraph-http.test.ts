import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentityNow, IDENTITY_HEADER, type Identity } from '../src/identity.ts';
import type { PersonRef } from '../src/references.ts';
import { createLogger } from '../src/logger.ts';
import { allow } from '../src/permissions.ts';
import { serveSubgraph, type BaseContext, type RunningServer } from '../src/server.ts';

// The subgraphs' HTTP server is Node's own (kit http.ts `Routes`), not Express: what Express gave
// for free (body limits, JSON errors, unknown paths, keep-alive lengths) is asserted here over real HTTP.
const SECRET = 'subgraph-http-test-secret-of-enough-length';
const who: Identity = {
  userId: '0b3c8a52-8f51-4c7e-9d1a-0d8f1c2b3a45',
  tenantId: 't1',
  facilityId: null,
  roles: ['resident'],
  permissions: [],
};
let server: RunningServer;
let base: string;

beforeAll(async () => {
  server = await serveSubgraph<BaseContext>(
    {
      name: 'kit-http-test',
      typeDefs: parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { me: String, echo(text: String!): String }
        type Thing @key(fields: "id") { id: ID! }
      `),
      resolvers: {
        Query: {
          me: (_: unknown, __: unknown, ctx: BaseContext) => ctx.identity?.userId ?? null,
          echo: (_: unknown, a: { text: string }) => a.text,
        },
      },
      permissions: { Query: { me: allow, echo: allow }, Thing: allow },
      context: (ctx) => ctx,
      lookups: { people: async (_identity, ids) => ids.map((id) => ({ id }) as PersonRef) },
    },
    { port: 0, host: '127.0.0.1', internalSecret: SECRET, log: createLogger('kit-http-test', 'silent') },
  );
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.stop());

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('a subgraph over plain node:http', () => {
  it('answers a GraphQL POST with the caller from the signed header, its request id echoed and a content length', async () => {
    const response = await post('/graphql', JSON.stringify({ query: '{ me echo(text: "hi") }' }), {
      [IDENTITY_HEADER]: signIdentityNow(who, SECRET),
      'x-request-id': 'req-42',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('req-42');
    expect(response.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    const text = await response.text();
    expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(JSON.parse(text)).toEqual({ data: { me: who.userId, echo: 'hi' } });
  });

  it('refuses an identity header that does not verify, as UNAUTHENTICATED', async () => {
    const response = await post('/graphql', JSON.stringify({ query: '{ me }' }), {
      [IDENTITY_HEADER]: signIdentityNow(who, 'another-secret-of-enough-length-too'),
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers a body over the limit with 413 and one that is not JSON with 400, as GraphQL errors in JSON', async () => {
    const big = await post('/graphql', JSON.stringify({ query: '{ echo(text: "x") }', pad: 'x'.repeat(1_100_000) }));
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({
      errors: [{ message: expect.stringContaining('larger than the 1mb limit'), extensions: { code: 'BAD_REQUEST' } }],
    });
    const broken = await post('/graphql', '{"query": ');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({
      errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('answers unknown paths with 404 and other methods with 405, in JSON', async () => {
    const nowhere = await fetch(`${base}/nowhere`);
    expect(nowhere.status).toBe(404);
    expect(((await nowhere.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('NOT_FOUND');
    const wrong = await fetch(`${base}/graphql`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(((await wrong.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('serves the probes, and /health sends to /readyz', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok', service: 'kit-http-test' });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const old = await fetch(`${base}/health`, { redirect: 'manual' });
    expect([old.status, old.headers.get('location')]).toEqual([307, '/readyz']);
  });

  it('answers lookups by kind, never a property every object has', async () => {
    const id = '9d6c0f0e-2d0a-4e52-8a3c-6f1a2b3c4d5e';
    const headers = { [IDENTITY_HEADER]: signIdentityNow(who, SECRET) };
    const found = await post('/internal/lookup/people', JSON.stringify({ ids: [id, 'not-a-uuid'] }), headers);
    expect(await found.json()).toEqual([{ id }]);
    expect((await post('/internal/lookup/constructor', JSON.stringify({ ids: [] }), headers)).status).toBe(404);
    expect((await post('/internal/lookup/people', JSON.stringify({ ids: [] }))).status).toBe(401);
  });
});
