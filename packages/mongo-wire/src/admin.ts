// Handshake, diagnostics and DDL commands (databases, collections, indexes).
import { calculateObjectSize } from 'bson';
import os from 'node:os';
import type { Handler } from './commands.ts';
import { collectionArg, num } from './crud.ts';
import { ServerError } from './errors.ts';
import { compileFilter } from './mingo.ts';
import { isPlainObject, type Doc } from './values.ts';

/** MongoDB 7.0. The v7 driver needs ≥ 9 (4.4); 21 keeps it on plain OP_MSG commands. */
export const MAX_WIRE_VERSION = 21;
export const SERVER_VERSION = '7.0.0';
const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
const MAX_WRITE_BATCH_SIZE = 100_000;

/**
 * hello / isMaster reply of a standalone server. No `setName` or `msg` (so the
 * driver sees a Standalone), and no `topologyVersion`, so the driver's monitor
 * polls with plain hello commands instead of the streaming (exhaust) protocol.
 */
const hello: Handler = (cmd, ctx) => {
  const legacy = 'isMaster' in cmd || 'ismaster' in cmd;
  return {
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    ...(cmd.helloOk === true ? { helloOk: true } : {}),
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
    maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
};

const ok: Handler = () => ({ ok: 1 });

const buildInfo: Handler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'mongo-wire',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  javascriptEngine: 'none',
  storageEngines: ['mongo-wire-memory'],
  modules: [],
  ok: 1,
});

const PARAMETERS: Doc = {
  featureCompatibilityVersion: { version: '7.0' },
  authenticationMechanisms: [],
  requireApiVersion: false,
  transactionLifetimeLimitSeconds: 60,
};

const getParameter: Handler = (cmd) => {
  const all = cmd.getParameter === '*' || (isPlainObject(cmd.getParameter) && cmd.getParameter.allParameters === true);
  const reply: Doc = {};
  for (const [k, v] of Object.entries(PARAMETERS)) if (all || k in cmd) reply[k] = v;
  return { ...reply, ok: 1 };
};

const serverStatus: Handler = (_cmd, ctx) => ({
  host: os.hostname(),
  version: SERVER_VERSION,
  process: 'mongo-wire',
  pid: process.pid,
  uptime: Math.floor((Date.now() - ctx.startedAt) / 1000),
  uptimeMillis: Date.now() - ctx.startedAt,
  localTime: new Date(),
  connections: { current: ctx.connections.current, totalCreated: ctx.connections.totalCreated, available: 10_000 },
  storageEngine: { name: 'mongo-wire-memory', persistent: false },
  ok: 1,
});

const dataSize = (docs: Iterable<Doc>): number => {
  let total = 0;
  for (const d of docs) total += calculateObjectSize(d);
  return total;
};

const dbStats: Handler = (_cmd, ctx) => {
  const colls = ctx.store.collections(ctx.db);
  const objects = colls.reduce((n, c) => n + c.size, 0);
  const size = colls.reduce((n, c) => n + dataSize(c.all()), 0);
  return {
    db: ctx.db,
    collections: colls.length,
    views: 0,
    objects,
    avgObjSize: objects ? size / objects : 0,
    dataSize: size,
    storageSize: size,
    indexes: colls.reduce((n, c) => n + c.indexCount, 0),
    indexSize: 0,
    ok: 1,
  };
};

// ---- databases & collections ---------------------------------------------

const listDatabases: Handler = (cmd, ctx) => {
  let dbs: Doc[] = ctx.store.databases().map((name) => {
    const sizeOnDisk = cmd.nameOnly === true ? 0 : ctx.store.collections(name).reduce((n, c) => n + dataSize(c.all()), 0);
    return { name, sizeOnDisk, empty: false };
  });
  if (isPlainObject(cmd.filter)) {
    const m = compileFilter(cmd.filter);
    dbs = dbs.filter((d) => m.test(d));
  }
  if (cmd.nameOnly === true) return { databases: dbs.map((d) => ({ name: d.name })), ok: 1 };
  const totalSize = dbs.reduce((n, d) => n + (d.sizeOnDisk as number), 0);
  return { databases: dbs, totalSize, totalSizeMb: Math.floor(totalSize / 1024 / 1024), ok: 1 };
};

const listCollections: Handler = (cmd, ctx) => {
  let infos: Doc[] = ctx.store.collections(ctx.db).map((c) => ({
    name: c.name,
    type: 'collection',
    options: c.options,
    info: { readOnly: false, uuid: c.uuid },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  }));
  if (isPlainObject(cmd.filter)) {
    const m = compileFilter(cmd.filter);
    infos = infos.filter((i) => m.test(i));
  }
  if (cmd.nameOnly === true) infos = infos.map((i) => ({ name: i.name, type: i.type }));
  const batchSize = isPlainObject(cmd.cursor) ? num(cmd.cursor.batchSize) : undefined;
  return ctx.cursors.create(`${ctx.db}.$cmd.listCollections`, infos, { batchSize });
};

/** Command fields that are protocol/session plumbing, not collection options. */
const GENERIC_FIELDS = new Set([
  'lsid',
  'txnNumber',
  'writeConcern',
  'readConcern',
  'comment',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'maxTimeMS',
]);

const create: Handler = (cmd, ctx) => {
  const name = collectionArg(cmd, 'create');
  if (cmd.viewOn !== undefined) throw new ServerError('CommandNotSupported', 'views are not supported by mongo-wire');
  const options: Doc = {};
  for (const [k, v] of Object.entries(cmd)) if (k !== 'create' && !k.startsWith('$') && !GENERIC_FIELDS.has(k)) options[k] = v;
  ctx.store.create(ctx.db, name, options);
  return { ok: 1 };
};

const drop: Handler = (cmd, ctx) => {
  const name = collectionArg(cmd, 'drop');
  // Like mongod ≥ 7.0, dropping a missing collection succeeds.
  const dropped = ctx.store.drop(ctx.db, name);
  return { nIndexesWas: dropped?.indexCount ?? 0, ns: `${ctx.db}.${name}`, ok: 1 };
};

const dropDatabase: Handler = (_cmd, ctx) => {
  ctx.store.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

const renameCollection: Handler = (cmd, ctx) => {
  const split = (ns: unknown): [string, string] => {
    const s = typeof ns === 'string' ? ns : '';
    const dot = s.indexOf('.');
    if (dot <= 0) throw new ServerError('InvalidNamespace', `Invalid namespace specified '${s}'`);
    return [s.slice(0, dot), s.slice(dot + 1)];
  };
  const [fromDb, fromName] = split(cmd.renameCollection);
  const [toDb, toName] = split(cmd.to);
  const from = ctx.store.get(fromDb, fromName);
  if (!from) throw new ServerError('NamespaceNotFound', 'source namespace does not exist');
  ctx.store.rename(from, toDb, toName, cmd.dropTarget === true);
  return { ok: 1 };
};

// ---- indexes ----------------------------------------------------------------

const createIndexes: Handler = (cmd, ctx) => {
  const name = collectionArg(cmd, 'createIndexes');
  if (!Array.isArray(cmd.indexes) || !cmd.indexes.every(isPlainObject)) {
    throw new ServerError('FailedToParse', "BSON field 'createIndexes.indexes' must be an array of documents");
  }
  const existed = ctx.store.get(ctx.db, name) !== undefined;
  const coll = ctx.store.ensure(ctx.db, name);
  const before = coll.indexCount;
  let created = 0;
  for (const spec of cmd.indexes as Doc[]) if (coll.createIndex(spec)) created++;
  return {
    createdCollectionAutomatically: !existed,
    numIndexesBefore: before,
    numIndexesAfter: coll.indexCount,
    ...(created === 0 ? { note: 'all indexes already exist' } : {}),
    ok: 1,
  };
};

const listIndexes: Handler = (cmd, ctx) => {
  const name = collectionArg(cmd, 'listIndexes');
  const coll = ctx.store.get(ctx.db, name);
  if (!coll) throw new ServerError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  const batchSize = isPlainObject(cmd.cursor) ? num(cmd.cursor.batchSize) : undefined;
  return ctx.cursors.create(`${ctx.db}.${name}`, coll.indexSpecs(), { batchSize });
};

const dropIndexes: Handler = (cmd, ctx) => {
  const name = collectionArg(cmd, Object.keys(cmd)[0] as string);
  const coll = ctx.store.get(ctx.db, name);
  if (!coll) throw new ServerError('NamespaceNotFound', `ns not found ${ctx.db}.${name}`);
  return { nIndexesWas: coll.dropIndexes(cmd.index), ok: 1 };
};

export const adminCommands: Record<string, Handler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  endSessions: ok,
  killSessions: ok,
  killAllSessions: ok,
  refreshSessions: ok,
  collMod: ok,
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  whatsmyuri: (_cmd, ctx) => ({ you: ctx.peer, ok: 1 }),
  hostInfo: () => ({
    system: { hostname: os.hostname(), numCores: os.cpus().length, memSizeMB: Math.floor(os.totalmem() / 1048576) },
    os: { type: os.type() },
    ok: 1,
  }),
  getCmdLineOpts: () => ({ argv: ['mongo-wire'], parsed: {}, ok: 1 }),
  serverStatus,
  dbStats,
  listDatabases,
  listCollections,
  create,
  drop,
  dropDatabase,
  renameCollection,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
};
