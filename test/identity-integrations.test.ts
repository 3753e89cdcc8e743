import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appDatabaseUrl } from '../scripts/database.ts';
import { tenants, users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';
import { keyRing, openSecret, pgAdapter } from '@pathway/kit';
import { PrismaClient } from '../subgraphs/identity/src/generated/prisma/client.ts';
import { resealIntegrationSecrets } from '../subgraphs/identity/src/writes/reseal.ts';

// The integrations registry: secrets are stored AES-256-GCM encrypted and never returned.
const dept = () => tokenFor(users.deptAdmin.username);
const REGISTER = `mutation($input: RegisterIntegrationInput!) { registerIntegration(input: $input) { id name baseUrl status hasSecret secretSetAt } }`;
const UPDATE = `mutation($id: UUID!, $input: UpdateIntegrationInput!) { updateIntegration(id: $id, input: $input) { id status hasSecret } }`;
const LIST = `{ integrations(first: 100) { nodes { id name } } }`;

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: appDatabaseUrl(inject('adminDatabaseUrl'), inject('secrets').APP_DB_PASSWORD) });
  await db.connect();
});
afterAll(() => db.end());

async function storedSecret(id: string): Promise<string | null> {
  await db.query('BEGIN');
  try {
    await db.query(`SELECT set_config('app.tenant_id', '', true), set_config('app.reach', 'system', true)`);
    return (await db.query<{ secret_ciphertext: string | null }>('SELECT secret_ciphertext FROM identity.integrations WHERE id = $1', [id]))
      .rows[0]!.secret_ciphertext;
  } finally {
    await db.query('ROLLBACK');
  }
}

describe('integrations registry', () => {
  it('registers with an encrypted secret that is never returned; updates replace it; lists stay in the tenant', async () => {
    const name = `Kolibri ${randomBytes(4).toString('hex')}`;
    const secret = `s3cret-${randomBytes(8).toString('hex')}`;
    const res = await gql<{ registerIntegration: { id: string; hasSecret: boolean; status: string } }>(
      REGISTER,
      { input: { name, baseUrl: 'https://kolibri.example.org', secret } },
      { token: await dept() },
    );
    expect(res.data!.registerIntegration).toMatchObject({ hasSecret: true, status: 'active' });
    const id = res.data!.registerIntegration.id;
    expect(JSON.stringify(res)).not.toContain(secret);
    const stored = (await storedSecret(id))!;
    // Sealed by the kit's secret box under the ring's current key (the development key is named v1).
    expect(stored).toMatch(/^v2\.v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(stored).not.toContain(secret);
    expect(Buffer.from(stored.split('.')[4]!, 'base64url').toString('utf8')).not.toContain(secret);

    const updated = await gql<{ updateIntegration: { status: string } }>(
      UPDATE,
      { id, input: { status: 'inactive', secret: 'another-secret' } },
      { token: await dept() },
    );
    expect(updated.data!.updateIntegration.status).toBe('inactive');
    expect(await storedSecret(id)).not.toBe(stored);

    const mine = await gql<{ integrations: { nodes: { id: string }[] } }>(LIST, {}, { token: await dept() });
    expect(mine.data!.integrations.nodes.map((n) => n.id)).toContain(id);
    const all = await gql<{ integrations: { nodes: { id: string }[] } }>(LIST, {}, { token: await tokenFor(users.sysadmin.username) });
    expect(all.data!.integrations.nodes.map((n) => n.id)).toContain(id);
    expect(users.deptAdmin.tenantId).toBe(tenants.lakeshore);
  });

  it('is refused to facility admins and staff; rejects bad URLs and duplicate names, changing nothing', async () => {
    const input = { name: `Canvas ${randomBytes(4).toString('hex')}`, baseUrl: 'https://canvas.example.org' };
    for (const username of [users.facilityAdmin.username, users.teacher.username]) {
      const token = await tokenFor(username);
      expect(codes(await gql(REGISTER, { input }, { token }))).toEqual(['FORBIDDEN']);
      expect(codes(await gql(LIST, {}, { token }))).toEqual(['FORBIDDEN']);
    }
    const bad = await gql(REGISTER, { input: { ...input, baseUrl: 'ftp://x' } }, { token: await dept() });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect((await gql(REGISTER, { input }, { token: await dept() })).errors).toBeUndefined();
    expect(codes(await gql(REGISTER, { input }, { token: await dept() }))).toEqual(['CONFLICT']);
    const list = await gql<{ integrations: { nodes: { name: string }[] } }>(LIST, {}, { token: await dept() });
    expect(list.data!.integrations.nodes.filter((n) => n.name === input.name)).toHaveLength(1);
    expect(
      codes(await gql(REGISTER, { input: { ...input, name: 'other tenant', tenantId: tenants.riverside } }, { token: await dept() })),
    ).toEqual(['FORBIDDEN']);
    expect(
      codes(await gql(UPDATE, { id: '00000000-0000-4000-8000-000000000000', input: { status: 'error' } }, { token: await dept() })),
    ).toEqual(['NOT_FOUND']);
  });

  it('refuses updates to facility admins, staff and residents, changing nothing', async () => {
    const created = await gql<{ registerIntegration: { id: string; status: string } }>(
      REGISTER,
      { input: { name: `Kolibri ${randomBytes(4).toString('hex')}`, baseUrl: 'https://kolibri.example.org' } },
      { token: await dept() },
    );
    const id = created.data!.registerIntegration.id;
    for (const username of [users.facilityAdmin.username, users.teacher.username, users.residentLee.username]) {
      expect(codes(await gql(UPDATE, { id, input: { status: 'error' } }, { token: await tokenFor(username) }))).toEqual(['FORBIDDEN']);
    }
    const list = await gql<{ integrations: { nodes: { id: string; status: string }[] } }>(
      `{ integrations(first: 100) { nodes { id status } } }`,
      {},
      { token: await dept() },
    );
    expect(list.data!.integrations.nodes.find((n) => n.id === id)?.status).toBe(created.data!.registerIntegration.status);
  });

  it('reseals secrets of the first format and of an older key with the current key, and reports what it cannot open', async () => {
    const created = await gql<{ registerIntegration: { id: string } }>(
      REGISTER,
      { input: { name: `Kolibri ${randomBytes(4).toString('hex')}`, baseUrl: 'https://kolibri.example.org', secret: 'first-format' } },
      { token: await dept() },
    );
    const id = created.data!.registerIntegration.id;
    // As identity sealed it before key rings: `v1.<iv>.<tag>.<ciphertext>` under the development key.
    const devSecret = 'pathway-dev-integration-secret-key-not-for-production';
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', createHash('sha256').update(devSecret).digest(), iv);
    const body = Buffer.concat([cipher.update('first-format', 'utf8'), cipher.final()]);
    const firstFormat = ['v1', iv, cipher.getAuthTag(), body]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
    const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await admin.connect();
    await admin
      .query('UPDATE identity.integrations SET secret_ciphertext = $1 WHERE id = $2', [firstFormat, id])
      .finally(() => admin.end());

    const prisma = new PrismaClient({ adapter: pgAdapter(inject('adminDatabaseUrl'), 'identity', 2, 5000) });
    const options = { nodeEnv: 'test', variable: 'INTEGRATION_SECRET_KEYS', devSecret };
    const development = keyRing(undefined, { ...options, devKeyId: 'v1' });
    try {
      // Only this test's row: the running identity keeps the development ring.
      expect(await resealIntegrationSecrets(prisma, development, { onlyIds: [id] })).toEqual({ resealed: 1, unreadable: 0 });
      const resealed = (await storedSecret(id))!;
      expect(resealed).toMatch(/^v2\.v1\./);
      expect(openSecret(development, resealed)).toBe('first-format');
      expect(await resealIntegrationSecrets(prisma, development, { onlyIds: [id] })).toEqual({ resealed: 0, unreadable: 0 });
      // A new key put first: the secret moves to it; with the old key dropped too early it is reported, not lost.
      const rotated = keyRing(`k2=${'r'.repeat(40)},v1=${devSecret}`, options);
      expect(await resealIntegrationSecrets(prisma, rotated, { onlyIds: [id] })).toEqual({ resealed: 1, unreadable: 0 });
      expect(await storedSecret(id)).toMatch(/^v2\.k2\./);
      const tooEarly = keyRing(`k3=${'s'.repeat(40)}`, options);
      const before = await storedSecret(id);
      expect(await resealIntegrationSecrets(prisma, tooEarly, { onlyIds: [id] })).toEqual({ resealed: 0, unreadable: 1 });
      expect(await storedSecret(id)).toBe(before);
    } finally {
      await prisma.$disconnect();
    }
  });
});
