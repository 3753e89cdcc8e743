// Structured logs through real processes: one request id (the client's x-request-id) crosses the
// gateway into the subgraph, on every line either writes for that request; and neither writes the
// password a person signed in with or the tokens they were issued, even at debug level.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD } from '../scripts/demo/ids.ts';
import { gql } from './support/client.ts';
import { logLines, startGateway, startSubgraph, subgraphEnv, type Service } from './support/processes.ts';

let identity: Service;
let gateway: Service;
beforeAll(async () => {
  identity = await startSubgraph('identity', { LOG_LEVEL: 'debug' });
  gateway = await startGateway({ ...subgraphEnv({ identity: identity.url }), LOG_LEVEL: 'debug' });
}, 180_000);
afterAll(async () => {
  await Promise.all([gateway?.stop(), identity?.stop()]);
});

const LOGIN = `mutation OpsLogsLogin($username: String!, $password: String!) { login(username: $username, password: $password) { accessToken refreshToken } }`;

/** Lines are written asynchronously: waits (bounded) until `service` has logged a line for `requestId`. */
async function linesFor(service: Service, requestId: string) {
  for (let i = 0; i < 50; i++) {
    const lines = logLines(service.output()).filter((line) => line.requestId === requestId);
    if (lines.length) return lines;
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
}

describe('request ids and log hygiene', () => {
  it('one request id crosses gateway → subgraph, on their log lines and in the response', async () => {
    const requestId = `ops-logs-${randomUUID()}`;
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ query: 'query OpsLogsProbe { me { id } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const gatewayLines = await linesFor(gateway, requestId);
    const identityLines = await linesFor(identity, requestId);
    expect(gatewayLines.map((l) => l.msg)).toContain('graphql operation');
    expect(identityLines.map((l) => l.msg)).toContain('graphql operation');
    expect(identityLines.some((l) => String(l.operation).startsWith('OpsLogsProbe'))).toBe(true);
  });

  it('a request id that is not an id (text, a token) is replaced by a fresh one', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'Bearer eyJ hello world' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('neither the password signed in with nor the tokens issued appear in any log line (debug level)', async () => {
    const requestId = `ops-logs-login-${randomUUID()}`;
    const res = await gql<{ login: { accessToken: string; refreshToken: string } }>(
      LOGIN,
      { username: 'facility.admin', password: DEMO_PASSWORD },
      { url: gateway.url, headers: { 'x-request-id': requestId } },
    );
    const { accessToken, refreshToken } = res.data!.login;
    // A failed sign-in (wrong password) and a use of the token are logged too.
    await gql(LOGIN, { username: 'facility.admin', password: `${DEMO_PASSWORD}-wrong` }, { url: gateway.url });
    await gql('query OpsLogsMe { me { id } }', {}, { url: gateway.url, token: accessToken });
    expect((await linesFor(identity, requestId)).length).toBeGreaterThan(0);
    for (const service of [gateway, identity]) {
      const output = service.output();
      expect(output).not.toContain(DEMO_PASSWORD);
      expect(output).not.toContain(accessToken);
      expect(output).not.toContain(refreshToken);
      // Nor a token's signature alone, nor the internal signing secret.
      expect(output).not.toContain(accessToken.split('.')[2]);
      expect(output).not.toContain(inject('secrets').INTERNAL_JWT_SECRET);
    }
  });
});
