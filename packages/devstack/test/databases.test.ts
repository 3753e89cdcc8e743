import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertDatabaseName, createDatabase, databaseUrl, dropDatabase, resolvePostgres, type ResolvedPostgres } from '../src/index.ts';
import { tempStateDir } from './helpers.ts';

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('createDatabase / dropDatabase', { timeout: 60_000 }, () => {
  // Whatever Postgres is in use: DATABASE_URL when set (CI), otherwise an embedded cluster.
  let postgres: ResolvedPostgres;
  let cleanup: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const state = await tempStateDir();
    cleanup = state.cleanup;
    postgres = await resolvePostgres({ stateDir: state.dir });
  }, 120_000);

  afterAll(async () => {
    await postgres?.stop();
    await cleanup();
  });

  it('creates an isolated database, recreates it empty, and drops it', async () => {
    const name = `devstack_test_${randomBytes(4).toString('hex')}`;
    const url = await createDatabase(postgres.url, name);
    try {
      expect(new URL(url).pathname).toBe(`/${name}`);
      await withClient(url, async (c) => {
        expect((await c.query('select current_database() as db')).rows).toEqual([{ db: name }]);
        await c.query('create table leftover (id int)');
      });

      // Exists already (and has an open session): drop-and-create gives an empty database.
      const holder = new pg.Client({ connectionString: url });
      holder.on('error', () => {});
      await holder.connect();
      const again = await createDatabase(postgres.url, name);
      expect(again).toBe(url);
      await holder.end().catch(() => {});
      await withClient(url, async (c) => {
        const { rows } = await c.query("select count(*)::int as n from pg_tables where tablename = 'leftover'");
        expect(rows).toEqual([{ n: 0 }]);
      });
    } finally {
      await dropDatabase(postgres.url, name);
    }
    const exists = await withClient(
      postgres.url,
      async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount,
    );
    expect(exists).toBe(0);
    await dropDatabase(postgres.url, name); // dropping a missing database is fine
    await expect(withClient(url, (c) => c.query('select 1'))).rejects.toMatchObject({ code: '3D000' });
  });

  it('rejects names that are not plain identifiers, or system databases', async () => {
    for (const bad of ['', 'a-b', 'x"; drop database postgres; --', '1abc', 'with space', 'a'.repeat(64), 'postgres', 'template1']) {
      expect(() => assertDatabaseName(bad)).toThrow();
      await expect(createDatabase(postgres.url, bad)).rejects.toThrow();
      await expect(dropDatabase(postgres.url, bad)).rejects.toThrow();
    }
    expect(() => assertDatabaseName('Ok_name_1')).not.toThrow();
  });

  it('builds the new URL from the admin URL, keeping credentials and parameters', () => {
    expect(databaseUrl('postgresql://u:p%40ss@h:5433/postgres?sslmode=disable', 'app_test')).toBe(
      'postgresql://u:p%40ss@h:5433/app_test?sslmode=disable',
    );
    expect(databaseUrl('postgres://u@h/x', 'y')).toBe('postgres://u@h/y');
  });
});
