import { afterEach, describe, expect, it } from 'vitest';
import { scopedDb, setReadScope, type ScopableClient } from '../src/db.ts';
import type { Identity } from '../src/identity.ts';

// The statements a request sends, as a client that logs them would see them: a fake Prisma client
// whose interactive transactions log BEGIN/COMMIT/ROLLBACK, the scope setting and each query.
// (The real database's isolation under the shared read transaction: test/read-scope-isolation.test.ts.)
interface FakeTx {
  id: number;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  query(sql: string): Promise<string>;
}

function fakeClient() {
  const log: string[] = [];
  let next = 0;
  const client: ScopableClient<FakeTx> = {
    async $transaction<R>(fn: (tx: FakeTx) => Promise<R>): Promise<R> {
      const id = ++next;
      log.push(`${id} BEGIN`);
      const tx: FakeTx = {
        id,
        async $executeRawUnsafe(_query, ...values) {
          log.push(`${id} SET ${values.join(',')}`);
          return 1;
        },
        async query(sql) {
          if (sql === 'fail') {
            log.push(`${id} ERROR`);
            throw Object.assign(new Error('statement failed'), { name: 'PrismaClientKnownRequestError' });
          }
          log.push(`${id} ${sql}`);
          return `${sql}@${id}`;
        },
      };
      try {
        const result = await fn(tx);
        log.push(`${id} COMMIT`);
        return result;
      } catch (error) {
        log.push(`${id} ROLLBACK`);
        throw error;
      }
    },
  };
  return { client, log };
}

const who: Identity = { userId: 'u1', tenantId: 't1', facilityId: null, roles: ['resident'], permissions: [] };

afterEach(() => setReadScope('request'));

describe('scopedDb reads', () => {
  it('in a query operation, every read of the request shares one transaction, scoped once, committed at the end', async () => {
    const { client, log } = fakeClient();
    const db = scopedDb(client, who);
    db.shareReads();
    const answers = await Promise.all([db.read((tx) => tx.query('a')), db.read((tx) => tx.query('b'))]);
    expect(await db.read((tx) => tx.query('c'))).toBe('c@1');
    expect(answers).toEqual(['a@1', 'b@1']);
    expect(log).toEqual(['1 BEGIN', '1 SET t1,facility', '1 a', '1 b', '1 c']);
    await db.end();
    expect(log.at(-1)).toBe('1 COMMIT');
  });

  it('before the operation is known to be a query (or in a mutation), each read is a transaction of its own', async () => {
    const { client, log } = fakeClient();
    const db = scopedDb(client, who);
    await db.read((tx) => tx.query('a'));
    await db.read((tx) => tx.query('b'));
    expect(log).toEqual(['1 BEGIN', '1 SET t1,facility', '1 a', '1 COMMIT', '2 BEGIN', '2 SET t1,facility', '2 b', '2 COMMIT']);
    await db.end();
    expect(log).toHaveLength(8);
  });

  it('writes keep a transaction of their own while reads share one', async () => {
    const { client, log } = fakeClient();
    const db = scopedDb(client, who);
    db.shareReads();
    await db.read((tx) => tx.query('a'));
    await db.run((tx) => tx.query('write'));
    expect(log).toEqual(['1 BEGIN', '1 SET t1,facility', '1 a', '2 BEGIN', '2 SET t1,facility', '2 write', '2 COMMIT']);
    await db.end();
  });

  it('a failed statement gives the shared transaction up: the read is tried once on its own, later reads open a new one', async () => {
    const { client, log } = fakeClient();
    const db = scopedDb(client, who);
    db.shareReads();
    let attempts = 0;
    const flaky = await db.read((tx) => tx.query(++attempts === 1 ? 'fail' : 'retried'));
    expect(flaky).toBe('retried@2');
    expect(await db.read((tx) => tx.query('later'))).toBe('later@3');
    await db.end();
    // Per transaction (their lines interleave): the first failed and closed, the second and third each read once.
    expect([1, 2, 3].map((id) => log.filter((line) => line.startsWith(`${id} `)).map((line) => line.slice(2)))).toEqual([
      ['BEGIN', 'SET t1,facility', 'ERROR', 'COMMIT'],
      ['BEGIN', 'SET t1,facility', 'retried', 'COMMIT'],
      ['BEGIN', 'SET t1,facility', 'later', 'COMMIT'],
    ]);
  });

  it('an application error inside a read (not a database one) keeps the shared transaction', async () => {
    const { client, log } = fakeClient();
    const db = scopedDb(client, who);
    db.shareReads();
    await expect(db.read(() => Promise.reject(new Error('not found')))).rejects.toThrow('not found');
    expect(await db.read((tx) => tx.query('a'))).toBe('a@1');
    await db.end();
    expect(log).toEqual(['1 BEGIN', '1 SET t1,facility', '1 a', '1 COMMIT']);
  });

  it('DATABASE_READ_SCOPE=batch keeps a transaction per read even in a query operation', async () => {
    setReadScope('batch');
    const { client, log } = fakeClient();
    const db = scopedDb(client, who);
    db.shareReads();
    await Promise.all([db.read((tx) => tx.query('a')), db.read((tx) => tx.query('b'))]);
    await db.end();
    expect(log.filter((line) => line.endsWith('BEGIN'))).toHaveLength(2);
  });
});
