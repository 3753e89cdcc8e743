import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { codes, tokenFor } from './support/client.ts';
import { startExtraGateway, type ExtraGateway } from './support/gateway.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function post(url: string, body: Record<string, unknown>, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

describe('automatic persisted queries', () => {
  it('an unknown hash asks for the text; once sent with it, the hash alone works (through any gateway: kept in Redis)', async () => {
    const query = `query Apq${Date.now()} { me { id } }`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const token = await tokenFor(users.residentLee.username);
    expect(codes(await post(inject('gatewayUrl'), { extensions }, token))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await post(inject('gatewayUrl'), { query, extensions }, token)).data?.me).toEqual({ id: users.residentLee.id });
    expect((await post(inject('gatewayUrl'), { extensions }, token)).data?.me).toEqual({ id: users.residentLee.id });
  });
});

describe('trusted documents (enforce mode)', () => {
  let gateway: ExtraGateway;
  const myDay = readFileSync(path.resolve(import.meta.dirname, '../gateway/trusted-documents/web-app-me.graphql'), 'utf8');

  beforeAll(async () => {
    gateway = await startExtraGateway({ TRUSTED_DOCUMENTS: 'enforce' });
  });
  afterAll(() => gateway?.stop());

  it('runs a registered app operation sent by hash alone', async () => {
    const res = await post(
      gateway.url,
      { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(myDay) } } },
      await tokenFor(users.residentLee.username),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.me).toMatchObject({ id: users.residentLee.id });
  });

  it('refuses any other document from an app user, and from an anonymous caller', async () => {
    const res = await post(gateway.url, { query: '{ me { id email } }' }, await tokenFor(users.residentLee.username));
    expect(codes(res)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    expect(res.data ?? null).toBeNull();
    expect(codes(await post(gateway.url, { query: '{ __typename }' }))).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
  });

  it('lets an analyst (gateway.operation.freeform) explore with any document', async () => {
    const res = await post(gateway.url, { query: '{ marketStats { listedAssets } }' }, await tokenFor(users.analyst.username));
    expect(res.errors).toBeUndefined();
    expect(typeof (res.data?.marketStats as { listedAssets: number }).listedAssets).toBe('number');
  });
});
