// Data commands: insert, update, delete, find/getMore/killCursors,
// findAndModify, count, distinct, aggregate. Reply shapes follow mongod's,
// because the driver reads specific fields (n, nModified, upserted,
// writeErrors, cursor.firstBatch, lastErrorObject, value...).
import { Aggregator, ProcessingMode } from 'mingo';
import type { Options } from 'mingo/types';
import { compare } from 'mingo/util';
import { Long } from 'bson';
import type { Handler } from './commands.ts';
import type { Collection } from './collection.ts';
import { collationOption, projectDocs } from './mingo.ts';
import { describeError, ServerError } from './errors.ts';
import { applyUpdate, buildUpsert, checkUpdateSpec } from './update.ts';
import { canon, cloneDoc, isPlainObject, valuesAt, type Doc } from './values.ts';

// ---- argument helpers -------------------------------------------------------

export function collectionArg(cmd: Doc, field: string): string {
  const name = cmd[field];
  if (typeof name !== 'string' || !name) {
    throw new ServerError('InvalidNamespace', `collection name has invalid type ${typeof name}`);
  }
  return name;
}

/** Numbers may arrive as int32, double or (unpromoted) Long. */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof Long) return v.toNumber();
  return undefined;
}

const docArg = (v: unknown): Doc | undefined => (isPlainObject(v) ? v : undefined);
const docsArg = (v: unknown): Doc[] | undefined => (Array.isArray(v) ? v.filter(isPlainObject) : undefined);

function project(docs: Doc[], filter: Doc | undefined, projection: Doc | undefined, collation: unknown): Doc[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  return projectDocs(docs, filter ?? {}, projection, collation);
}

function writeError(index: number, err: unknown): Doc {
  const { code, errmsg, extra } = describeError(err);
  return { index, code, errmsg, ...extra };
}

function withWriteErrors(reply: Doc, errors: Doc[]): Doc {
  if (errors.length) reply.writeErrors = errors;
  return reply;
}

// ---- writes ---------------------------------------------------------------

const insert: Handler = (cmd, ctx) => {
  const name = collectionArg(cmd, 'insert');
  const docs = cmd.documents;
  if (!Array.isArray(docs)) throw new ServerError('FailedToParse', "BSON field 'insert.documents' is missing but a required field");
  const ordered = cmd.ordered !== false;
  const coll = ctx.store.ensure(ctx.db, name);
  let n = 0;
  const errors: Doc[] = [];
  docs.forEach((doc, i) => {
    if (ordered && errors.length) return;
    try {
      if (!isPlainObject(doc)) throw new ServerError('BadValue', 'document to insert must be an object');
      coll.insert(doc);
      n++;
    } catch (err) {
      errors.push(writeError(i, err));
    }
  });
  return withWriteErrors({ n, ok: 1 }, errors);
};

const update: Handler = (cmd, ctx) => {
  const name = collectionArg(cmd, 'update');
  const specs = docsArg(cmd.updates);
  if (!specs) throw new ServerError('FailedToParse', "BSON field 'update.updates' is missing but a required field");
  const ordered = cmd.ordered !== false;
  let n = 0;
  let nModified = 0;
  const upserted: Doc[] = [];
  const errors: Doc[] = [];
  for (const [i, spec] of specs.entries()) {
    try {
      const filter = docArg(spec.q) ?? {};
      const u = checkUpdateSpec(spec.u);
      const multi = spec.multi === true;
      if (multi && !Array.isArray(u) && !Object.keys(u)[0]?.startsWith('$') && Object.keys(u).length > 0) {
        throw new ServerError('FailedToParse', 'multi update is not supported for replacement-style update');
      }
      const arrayFilters = docsArg(spec.arrayFilters);
      const coll = ctx.store.get(ctx.db, name);
      const matched = coll
        ? coll.select(filter, {
            limit: multi ? undefined : 1,
            sort: multi ? undefined : docArg(spec.sort),
            collation: spec.collation as Doc,
          })
        : [];
      if (matched.length === 0 && spec.upsert === true) {
        const stored = ctx.store.ensure(ctx.db, name).insert(buildUpsert(filter, u, arrayFilters));
        n++;
        upserted.push({ index: i, _id: stored._id });
        continue;
      }
      for (const doc of matched) {
        const outcome = applyUpdate(doc, u, filter, arrayFilters);
        if (outcome.changed) {
          (coll as Collection).replace(doc, outcome.doc);
          nModified++;
        }
        n++;
      }
    } catch (err) {
      errors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  const reply: Doc = { n, nModified };
  if (upserted.length) reply.upserted = upserted;
  withWriteErrors(reply, errors);
  reply.ok = 1;
  return reply;
};

const del: Handler = (cmd, ctx) => {
  const name = collectionArg(cmd, 'delete');
  const specs = docsArg(cmd.deletes);
  if (!specs) throw new ServerError('FailedToParse', "BSON field 'delete.deletes' is missing but a required field");
  const ordered = cmd.ordered !== false;
  const coll = ctx.store.get(ctx.db, name);
  let n = 0;
  const errors: Doc[] = [];
  for (const [i, spec] of specs.entries()) {
    try {
      const limit = num(spec.limit) ?? 0;
      const matched = coll
        ? coll.select(docArg(spec.q) ?? {}, { limit: limit === 1 ? 1 : undefined, collation: spec.collation as Doc })
        : [];
      for (const doc of matched) if (coll?.delete(doc)) n++;
    } catch (err) {
      errors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  return withWriteErrors({ n, ok: 1 }, errors);
};

const findAndModify: Handler = (cmd, ctx) => {
  const name = collectionArg(cmd, Object.keys(cmd)[0] as string);
  const query = docArg(cmd.query) ?? {};
  const fields = docArg(cmd.fields);
  const arrayFilters = docsArg(cmd.arrayFilters);
  const coll = ctx.store.get(ctx.db, name);
  const [found] = coll ? coll.select(query, { sort: docArg(cmd.sort), limit: 1, collation: cmd.collation as Doc }) : [];
  // The query only serves a positional projection (`arr.$`); the new version of the document may no
  // longer match it and is still returned, as by mongod.
  const projectionFilter = fields && Object.keys(fields).some((k) => k.endsWith('.$')) ? query : {};
  const shape = (doc: Doc | undefined | null): Doc | null =>
    doc ? (project([doc], projectionFilter, fields, cmd.collation)[0] ?? null) : null;

  if (cmd.remove === true) {
    if (cmd.update !== undefined) throw new ServerError('FailedToParse', 'Cannot specify both an update and remove=true');
    if (found) coll?.delete(found);
    return { lastErrorObject: { n: found ? 1 : 0 }, value: shape(found), ok: 1 };
  }
  if (cmd.update === undefined) throw new ServerError('FailedToParse', 'Either an update or remove=true must be specified');
  const u = checkUpdateSpec(cmd.update);
  const returnNew = cmd.new === true;
  if (found) {
    const outcome = applyUpdate(found, u, query, arrayFilters);
    if (outcome.changed) (coll as Collection).replace(found, outcome.doc);
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: shape(returnNew ? outcome.doc : found), ok: 1 };
  }
  if (cmd.upsert === true) {
    const stored = ctx.store.ensure(ctx.db, name).insert(buildUpsert(query, u, arrayFilters));
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: stored._id },
      value: returnNew ? shape(stored) : null,
      ok: 1,
    };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
};

// ---- reads ----------------------------------------------------------------

const find: Handler = (cmd, ctx) => {
  const name = collectionArg(cmd, 'find');
  const filter = docArg(cmd.filter) ?? {};
  const limit = num(cmd.limit) ?? 0;
  const coll = ctx.store.get(ctx.db, name);
  const docs = coll
    ? coll.select(filter, {
        sort: docArg(cmd.sort),
        skip: num(cmd.skip),
        limit: Math.abs(limit) || undefined,
        collation: cmd.collation as Doc,
      })
    : [];
  const out = project(docs, filter, docArg(cmd.projection), cmd.collation);
  // A negative limit is the legacy spelling of "one batch, then close".
  return ctx.cursors.create(`${ctx.db}.${name}`, out, {
    batchSize: num(cmd.batchSize),
    singleBatch: cmd.singleBatch === true || limit < 0,
  });
};

const getMore: Handler = (cmd, ctx) => {
  const collection = collectionArg(cmd, 'collection');
  return ctx.cursors.getMore(cmd.getMore, `${ctx.db}.${collection}`, num(cmd.batchSize));
};

const killCursors: Handler = (cmd, ctx) => {
  const { killed, notFound } = ctx.cursors.kill(Array.isArray(cmd.cursors) ? cmd.cursors : []);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

const count: Handler = (cmd, ctx) => {
  const coll = ctx.store.get(ctx.db, collectionArg(cmd, 'count'));
  const query = docArg(cmd.query) ?? {};
  const skip = Math.max(0, num(cmd.skip) ?? 0);
  const limit = Math.abs(num(cmd.limit) ?? 0);
  let n: number;
  if (!coll) n = 0;
  else if (Object.keys(query).length === 0)
    n = Math.max(0, coll.size - skip); // estimatedDocumentCount: no scan
  else n = coll.select(query, { skip, collation: cmd.collation as Doc }).length;
  if (limit > 0) n = Math.min(n, limit);
  return { n, ok: 1 };
};

const distinct: Handler = (cmd, ctx) => {
  const coll = ctx.store.get(ctx.db, collectionArg(cmd, 'distinct'));
  const key = cmd.key;
  if (typeof key !== 'string') throw new ServerError('FailedToParse', "BSON field 'distinct.key' is missing but a required field");
  const seen = new Map<string, unknown>();
  for (const doc of coll ? coll.select(docArg(cmd.query), { collation: cmd.collation as Doc }) : []) {
    for (const v of valuesAt(doc, key)) if (v !== undefined && !seen.has(canon(v))) seen.set(canon(v), v);
  }
  // mongod collects distinct values in an ordered set, so they come back sorted.
  return { values: [...seen.values()].sort(compare), ok: 1 };
};

/** Stages that never modify their input documents, so stored documents can be fed to mingo as is. */
const NON_MUTATING_STAGES = new Set([
  '$match',
  '$sort',
  '$skip',
  '$limit',
  '$count',
  '$group',
  '$sortByCount',
  '$project',
  '$unwind',
  '$lookup',
  '$replaceRoot',
  '$replaceWith',
  '$bucket',
  '$bucketAuto',
  '$sample',
]);

const aggregate: Handler = (cmd, ctx) => {
  if (!Array.isArray(cmd.pipeline) || !cmd.pipeline.every(isPlainObject)) {
    throw new ServerError('FailedToParse', "'pipeline' option must be specified as an array");
  }
  if (cmd.explain === true) throw new ServerError('CommandNotSupported', 'explain is not supported by mongo-wire');
  let pipeline = cmd.pipeline as Doc[];
  const stageNames = pipeline.map((s) => Object.keys(s)[0] ?? '');
  if (stageNames.includes('$changeStream')) {
    throw new ServerError('Location40573', 'The $changeStream stage is only supported on replica sets');
  }
  if (stageNames.includes('$merge')) throw new ServerError('CommandNotSupported', '$merge is not supported by mongo-wire');
  let outTarget: { db: string; coll: string } | undefined;
  const last = pipeline[pipeline.length - 1];
  if (last && '$out' in last) {
    const out = last.$out;
    outTarget =
      typeof out === 'string'
        ? { db: ctx.db, coll: out }
        : isPlainObject(out)
          ? { db: String(out.db ?? ctx.db), coll: String(out.coll) }
          : undefined;
    if (!outTarget) throw new ServerError('FailedToParse', '$out must be a string or a document');
    pipeline = pipeline.slice(0, -1);
  }

  let input: Doc[] = [];
  const collName = typeof cmd.aggregate === 'string' ? cmd.aggregate : undefined;
  const coll = collName ? ctx.store.get(ctx.db, collName) : undefined;
  if (coll) {
    // A leading $match goes through Collection.select so _id/unique-index equality avoids a scan.
    const first = pipeline[0];
    if (first && isPlainObject(first.$match)) {
      input = coll.select(first.$match, { collation: cmd.collation as Doc });
      pipeline = pipeline.slice(1);
    } else input = [...coll.all()];
  }
  const mutating = pipeline.some((s) => !NON_MUTATING_STAGES.has(Object.keys(s)[0] ?? ''));
  const options: Partial<Options> = {
    ...collationOption(cmd.collation),
    processingMode: mutating ? ProcessingMode.CLONE_INPUT : ProcessingMode.CLONE_OFF,
    collectionResolver: (name: string) => [...(ctx.store.get(ctx.db, name)?.all() ?? [])].map(cloneDoc),
    ...(isPlainObject(cmd.let) ? { variables: cmd.let } : {}),
  };
  let results = new Aggregator(pipeline, options).run<Doc>(input);
  if (outTarget) {
    ctx.store.ensure(outTarget.db, outTarget.coll).replaceAll(results);
    results = [];
  }
  const ns = collName ? `${ctx.db}.${collName}` : `${ctx.db}.$cmd.aggregate`;
  return ctx.cursors.create(ns, results, { batchSize: num(docArg(cmd.cursor)?.batchSize) });
};

export const crudCommands: Record<string, Handler> = {
  insert,
  update,
  delete: del,
  findAndModify,
  findandmodify: findAndModify,
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate,
};
