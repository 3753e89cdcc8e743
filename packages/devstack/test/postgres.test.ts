import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresDataDir, resolvePostgres } from '../src/index.ts';
import { canConnect, collectLog, deadPid, liveUnrelatedProcess, portOf, snapshotEnv, tempStateDir, unsetEnv } from './helpers.ts';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

describe('resolvePostgres', { timeout: 120_000 }, () => {
  let restoreEnv: () => void;
  let state: Awaited<ReturnType<typeof tempStateDir>>;
  const toStop: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    restoreEnv = snapshotEnv();
    unsetEnv('DATABASE_URL');
    state = await tempStateDir();
  });

  afterEach(async () => {
    for (const stop of toStop.splice(0).reverse()) await stop().catch(() => {});
    restoreEnv();
    await state.cleanup();
  });

  it('returns DATABASE_URL untouched when set, and logs it redacted', async () => {
    const url = 'postgresql://app:s3cret-pw@db.example.internal:6543/appdb?sslmode=require';
    process.env['DATABASE_URL'] = url;
    const { log, lines } = collectLog();
    const pgRes = await resolvePostgres({ stateDir: state.dir, log });
    expect(pgRes.url).toBe(url);
    expect(pgRes.source).toBe('env');
    await pgRes.stop();
    expect(lines.join('\n')).toContain('DATABASE_URL');
    expect(lines.join('\n')).not.toContain('s3cret-pw');
    // Nothing was initialised on disk.
    expect(await exists(postgresDataDir(state.dir))).toBe(false);
  });

  it('starts an embedded cluster, answers queries, stops, and reuses the data on the next start', async () => {
    const first = collectLog();
    const run1 = await resolvePostgres({ stateDir: state.dir, log: first.log });
    toStop.push(run1.stop);
    expect(run1.source).toBe('embedded');
    expect(run1.url).toMatch(/^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
    expect(await query(run1.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    const [enc] = await query<{ server_encoding: string }>(run1.url, 'show server_encoding');
    expect(enc?.server_encoding).toBe('UTF8');
    await query(run1.url, 'create table kept (v text); insert into kept values ($$from run 1$$)');
    expect(await exists(path.join(postgresDataDir(state.dir), 'PG_VERSION'))).toBe(true);
    expect(first.lines.some((l) => l.includes('initialising a new embedded cluster'))).toBe(true);

    const port1 = portOf(run1.url);
    await run1.stop();
    expect(await canConnect(port1)).toBe(false);
    expect(await exists(path.join(postgresDataDir(state.dir), 'postmaster.pid'))).toBe(false);

    const second = collectLog();
    const run2 = await resolvePostgres({ stateDir: state.dir, log: second.log });
    toStop.push(run2.stop);
    expect(run2.source).toBe('embedded');
    expect(second.lines.some((l) => l.includes('reusing the embedded cluster'))).toBe(true);
    expect(second.lines.some((l) => l.includes('initialising'))).toBe(false);
    expect(await query(run2.url, 'select v from kept')).toEqual([{ v: 'from run 1' }]);
    await run2.stop();

    // The password never appears in log lines.
    const password = decodeURIComponent(new URL(run1.url).password);
    expect(password.length).toBeGreaterThan(10);
    expect([...first.lines, ...second.lines].join('\n')).not.toContain(password);
  });

  it('copes with a stale postmaster.pid whose pid now belongs to an unrelated live process', async () => {
    const run1 = await resolvePostgres({ stateDir: state.dir });
    toStop.push(run1.stop);
    await run1.stop();

    const pidFile = path.join(postgresDataDir(state.dir), 'postmaster.pid');
    const sleeper = liveUnrelatedProcess();
    try {
      // Same layout postgres writes: pid, data dir, start time, port, socket dir, listen address, shmem key, status.
      await writeFile(
        pidFile,
        `${sleeper.pid}\n${postgresDataDir(state.dir)}\n1700000000\n${portOf(run1.url)}\n\n127.0.0.1\n  1234567  98304\nready   \n`,
      );
      const { log, lines } = collectLog();
      const run2 = await resolvePostgres({ stateDir: state.dir, log });
      toStop.push(run2.stop);
      expect(lines.some((l) => l.includes('stale postmaster.pid'))).toBe(true);
      expect(await query(run2.url, 'select 2 as two')).toEqual([{ two: 2 }]);
      // postgres replaced the lock file with its own
      expect((await readFile(pidFile, 'utf8')).split('\n')[0]).not.toBe(String(sleeper.pid));
      await run2.stop();
    } finally {
      sleeper.kill();
    }
  });

  it('copes with a stale postmaster.pid whose process is gone', async () => {
    const run1 = await resolvePostgres({ stateDir: state.dir });
    toStop.push(run1.stop);
    await run1.stop();
    const pidFile = path.join(postgresDataDir(state.dir), 'postmaster.pid');
    await writeFile(pidFile, `${await deadPid()}\n${postgresDataDir(state.dir)}\n1700000000\n5999\n\n127.0.0.1\n  1  2\nready   \n`);
    const run2 = await resolvePostgres({ stateDir: state.dir });
    toStop.push(run2.stop);
    expect(await query(run2.url, 'select 3 as three')).toEqual([{ three: 3 }]);
  });

  it('serialises concurrent starts on one stateDir: one initialises and starts, the other attaches', async () => {
    const logA = collectLog();
    const logB = collectLog();
    const [a, b] = await Promise.all([
      resolvePostgres({ stateDir: state.dir, log: logA.log }),
      resolvePostgres({ stateDir: state.dir, log: logB.log }),
    ]);
    toStop.push(a.stop, b.stop);
    expect(a.url).toBe(b.url);
    const attachedA = logA.lines.some((l) => l.includes('attaching'));
    const attachedB = logB.lines.some((l) => l.includes('attaching'));
    expect([attachedA, attachedB].filter(Boolean)).toHaveLength(1);
    const [owner, guest] = attachedA ? [b, a] : [a, b];
    await guest.stop();
    expect(await query(owner.url, 'select 5 as five')).toEqual([{ five: 5 }]);
    await owner.stop();
    expect(await canConnect(portOf(owner.url))).toBe(false);
  });

  it('attaches to a cluster another live process is running, and shuts down an orphan whose starter died', async () => {
    const run1 = await resolvePostgres({ stateDir: state.dir });
    toStop.push(run1.stop);

    // Same process again while run1 is up: attach, and stop() must leave the server running.
    const attachLog = collectLog();
    const attached = await resolvePostgres({ stateDir: state.dir, log: attachLog.log });
    expect(attached.url).toBe(run1.url);
    expect(attachLog.lines.some((l) => l.includes('attaching'))).toBe(true);
    await attached.stop();
    expect(await query(run1.url, 'select 1 as one')).toEqual([{ one: 1 }]);

    // Pretend the process that started run1 was killed: its server is now an orphan.
    const ownerFile = path.join(state.dir, 'postgres.owner.json');
    const owner = JSON.parse(await readFile(ownerFile, 'utf8')) as { pid: number; port: number };
    const serverPid = Number.parseInt(await readFile(path.join(postgresDataDir(state.dir), 'postmaster.pid'), 'utf8'), 10);
    expect(isAlive(serverPid)).toBe(true);
    await writeFile(ownerFile, JSON.stringify({ ...owner, pid: await deadPid() }));
    const orphanLog = collectLog();
    const run2 = await resolvePostgres({ stateDir: state.dir, log: orphanLog.log });
    toStop.push(run2.stop);
    expect(orphanLog.lines.some((l) => l.includes('orphaned server'))).toBe(true);
    expect(isAlive(serverPid)).toBe(false);
    expect(await query(run2.url, 'select 4 as four')).toEqual([{ four: 4 }]);
    await run1.stop(); // its server is already gone: must not hang
    // ...and must not remove the ownership record of run2's server
    expect(JSON.parse(await readFile(ownerFile, 'utf8'))).toMatchObject({ pid: process.pid, port: portOf(run2.url) });
    await run2.stop();
    expect(await exists(ownerFile)).toBe(false);
    expect(await canConnect(portOf(run2.url))).toBe(false);
  });
});
