import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { ResolvedMongo } from './types.ts';
import { elapsed, envFlag, envValue, errorMessage, findOnPath, getFreePort, noopLog, redact, withTimeout, type Log } from './util.ts';

const execFileP = promisify(execFile);

export interface ResolveMongoOptions {
  log?: Log;
  /**
   * Try a real mongod through mongodb-memory-server before falling back to mongo-wire (default true).
   * `false` goes straight to mongo-wire.
   */
  preferMemoryServer?: boolean;
}

const MONGOD_START_TIMEOUT_MS = 30_000;
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

const loadMemoryServer = () => import('mongodb-memory-server-core');
type MemoryServerModule = Awaited<ReturnType<typeof loadMemoryServer>>;

interface Mongod {
  binary: string;
  version: string | undefined;
  from: string;
}

/**
 * 1. `MONGODB_URL` when set.
 * 2. A real mongod via mongodb-memory-server-core, only when a binary is already on this machine
 *    (`MONGOMS_SYSTEM_BINARY`, `mongod` on PATH, or mongodb-memory-server's download cache). A download is
 *    attempted only with `PATHWAY_MONGO_DOWNLOAD=1` (offline it fails after ~7 s of retries, so never by default).
 * 3. The project's own wire-protocol server, `@pathway/mongo-wire`.
 */
export async function resolveMongo(opts: ResolveMongoOptions = {}): Promise<ResolvedMongo> {
  const log = opts.log ?? noopLog;
  const envUrl = envValue('MONGODB_URL');
  if (envUrl !== undefined) {
    log(`mongo: using MONGODB_URL (${redact(envUrl)})`);
    return { url: envUrl, source: 'env', stop: async () => {} };
  }

  const t0 = performance.now();
  if (opts.preferMemoryServer !== false) {
    const viaMemoryServer = await tryMemoryServer(log);
    if (viaMemoryServer) return viaMemoryServer;
  }
  return startMongoWire(log, t0);
}

async function tryMemoryServer(log: Log): Promise<ResolvedMongo | undefined> {
  const t0 = performance.now();
  let mms: MemoryServerModule;
  try {
    mms = await loadMemoryServer();
  } catch (err) {
    log(`mongo: mongodb-memory-server-core unavailable (${errorMessage(err)})`);
    return undefined;
  }

  const mongod = await locateMongod(mms, log);
  const download = !mongod && envFlag('PATHWAY_MONGO_DOWNLOAD');
  if (!mongod && !download) {
    log(
      `mongo: no mongod binary on this machine (checked MONGOMS_SYSTEM_BINARY, PATH, mongodb-memory-server cache in ${elapsed(t0)}); set PATHWAY_MONGO_DOWNLOAD=1 to try downloading one`,
    );
    return undefined;
  }
  if (mongod) {
    log(`mongo: starting mongod ${mongod.version ?? '(unknown version)'} from ${mongod.from} (${mongod.binary}) via mongodb-memory-server`);
  } else {
    log('mongo: PATHWAY_MONGO_DOWNLOAD=1: downloading mongod via mongodb-memory-server');
  }

  let server: InstanceType<typeof mms.MongoMemoryServer> | undefined;
  try {
    const binary = mongod ? { systemBinary: mongod.binary, ...(mongod.version ? { version: mongod.version } : {}) } : {};
    server = await withTimeout(
      mms.MongoMemoryServer.create({ binary, instance: { ip: '127.0.0.1' } }),
      mongod ? MONGOD_START_TIMEOUT_MS : DOWNLOAD_TIMEOUT_MS,
      'mongod did not start in time',
    );
  } catch (err) {
    log(`mongo: mongodb-memory-server failed (${errorMessage(err).split('\n')[0]}); falling back to mongo-wire`);
    return undefined;
  }
  const running = server;
  const url = running.getUri();
  log(`mongo: using a real mongod (mongodb-memory-server) on ${url} (${elapsed(t0)})`);
  let stopped: Promise<void> | undefined;
  return {
    url,
    source: 'mongodb-memory-server',
    stop: () =>
      (stopped ??= (async () => {
        await running.stop();
        log('mongo: mongod stopped');
      })()),
  };
}

async function locateMongod(mms: MemoryServerModule, log: Log): Promise<Mongod | undefined> {
  const fromEnv = envValue('MONGOMS_SYSTEM_BINARY');
  if (fromEnv) {
    if (await isExecutable(fromEnv)) return { binary: fromEnv, version: await mongodVersion(fromEnv), from: 'MONGOMS_SYSTEM_BINARY' };
    log(`mongo: MONGOMS_SYSTEM_BINARY=${fromEnv} is not an executable file; ignoring it`);
  }
  const onPath = await findOnPath('mongod');
  if (onPath) return { binary: onPath, version: await mongodVersion(onPath), from: 'PATH' };
  try {
    // Looks in mongodb-memory-server's download dir / caches only; never downloads.
    const options = mms.DryMongoBinary.getEnsuredOptions({});
    const cached = await withTimeout(mms.DryMongoBinary.locateBinary(options), 2_000, 'cache lookup timed out');
    if (cached) return { binary: cached, version: options.version, from: 'the mongodb-memory-server cache' };
  } catch (err) {
    log(`mongo: could not look for a cached mongod (${errorMessage(err).split('\n')[0]})`);
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function mongodVersion(binary: string): Promise<string | undefined> {
  try {
    const { stdout } = await execFileP(binary, ['--version'], { timeout: 5_000 });
    return /db version v?(\d+\.\d+\.\d+)/.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}

async function startMongoWire(log: Log, t0: number): Promise<ResolvedMongo> {
  let server: { url: string; port: number; close(): Promise<void> };
  try {
    const { startMongoWireServer } = await import('@pathway/mongo-wire');
    server = await startMongoWireServer({ host: '127.0.0.1', port: await getFreePort() });
  } catch (err) {
    throw new Error(
      `mongo: no mongod available and the project's wire-protocol server (mongo-wire) failed to start: ${errorMessage(err)}. ` +
        'Set MONGODB_URL=mongodb://host:27017 to use an existing MongoDB.',
      { cause: err },
    );
  }
  log(`mongo: using the project's own wire-protocol server (mongo-wire), not mongod, on ${redact(server.url)} (${elapsed(t0)})`);
  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    source: 'mongo-wire',
    stop: () =>
      (stopped ??= (async () => {
        await server.close();
        log('mongo: mongo-wire stopped');
      })()),
  };
}
