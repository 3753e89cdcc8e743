// Applying an update spec to a document without touching the stored copy.
// Three forms, as in MongoDB: operator updates ({ $set: ... }, run by mingo's
// updater), replacement documents, and aggregation-pipeline updates ([...]).
import { Aggregator } from 'mingo';
import { applyModifier } from './mingo.ts';
import { ServerError } from './errors.ts';
import { canon, cloneDoc, formatValue, isOperatorObject, isPlainObject, setPath, withIdFirst, type Doc } from './values.ts';

export type UpdateSpec = Doc | Doc[];

export interface UpdateOutcome {
  doc: Doc;
  changed: boolean;
}

export function checkUpdateSpec(u: unknown): UpdateSpec {
  if (Array.isArray(u)) {
    if (!u.every(isPlainObject)) throw new ServerError('FailedToParse', 'Update pipeline stages must be documents');
    return u;
  }
  if (!isPlainObject(u)) throw new ServerError('FailedToParse', 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$')).length;
  if (ops > 0 && ops !== keys.length) {
    const bad = keys.find((k) => !k.startsWith('$')) as string;
    throw new ServerError(
      'FailedToParse',
      `Unknown modifier: ${bad}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  if (ops === 0 && keys.some((k) => k.startsWith('$'))) {
    throw new ServerError('BadValue', 'The dollar ($) prefixed field is not valid for storage.');
  }
  return u;
}

const isOperatorUpdate = (u: UpdateSpec): u is Doc => !Array.isArray(u) && isOperatorObject(u);

/** Updates an existing document: returns the new version (the input is left untouched). */
export function applyUpdate(old: Doc, u: UpdateSpec, filter: Doc, arrayFilters?: Doc[]): UpdateOutcome {
  let next: Doc;
  if (Array.isArray(u)) {
    next = runPipeline(old, u);
  } else if (isOperatorUpdate(u)) {
    return applyOperators(old, u, filter, arrayFilters, false);
  } else {
    next = { _id: old._id, ...cloneDoc(u as Doc) };
  }
  if (next._id === undefined) next = withIdFirst(next, old._id);
  assertSameId(old, next);
  return { doc: next, changed: canon(next) !== canon(old) };
}

/** The document an upsert inserts: equality fields of the filter, then the update applied. */
export function buildUpsert(filter: Doc, u: UpdateSpec, arrayFilters?: Doc[]): Doc {
  const seed: Doc = {};
  seedFromFilter(filter, seed);
  let doc: Doc;
  if (Array.isArray(u)) doc = runPipeline(seed, u);
  else if (isOperatorUpdate(u)) doc = applyOperators(seed, u, filter, arrayFilters, true).doc;
  else doc = cloneDoc(u);
  if (seed._id !== undefined && doc._id !== undefined && canon(seed._id) !== canon(doc._id)) {
    throw new ServerError('ImmutableField', "The _id field cannot be changed by an upsert replacement that differs from the query's _id");
  }
  return withIdFirst(doc, seed._id);
}

function applyOperators(old: Doc, modifier: Doc, filter: Doc, arrayFilters: Doc[] | undefined, inserting: boolean): UpdateOutcome {
  // mingo has no $setOnInsert: it only applies when the update inserts, as a $set.
  const { $setOnInsert, ...rest } = modifier;
  const mod: Doc = rest;
  let doc = cloneDoc(old);
  if (inserting && isPlainObject($setOnInsert)) {
    // mongod lets an upsert's $setOnInsert choose the new document's _id (mingo's updater refuses any _id path).
    const { _id, ...fields } = $setOnInsert;
    if (_id !== undefined && doc._id === undefined) doc = withIdFirst(doc, _id);
    if (Object.keys(fields).length) mod.$set = { ...(isPlainObject(mod.$set) ? mod.$set : {}), ...fields };
  }
  if (Object.keys(mod).length === 0) return { doc, changed: doc._id !== old._id };
  // mingo only needs the query condition to resolve the positional `$` operator.
  const condition = !inserting && usesPositional(mod) ? filter : undefined;
  const changedFields = applyModifier(doc, mod, arrayFilters, condition);
  assertSameId(old, doc);
  const changed = changedFields.length > 0 || doc._id !== old._id;
  return { doc: changed ? doc : old, changed };
}

function runPipeline(doc: Doc, pipeline: Doc[]): Doc {
  const [out] = new Aggregator(pipeline, {}).run<Doc>([cloneDoc(doc)]);
  return out ?? {};
}

function usesPositional(mod: Doc): boolean {
  return Object.values(mod).some((fields) => isPlainObject(fields) && Object.keys(fields).some((p) => /(^|\.)\$(\.|$)/.test(p)));
}

function assertSameId(old: Doc, next: Doc): void {
  if (old._id !== undefined && canon(old._id) !== canon(next._id)) {
    throw new ServerError(
      'ImmutableField',
      `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(next._id)}`,
    );
  }
}

/** Copies `field: value` / `field: { $eq: value }` clauses (and those inside $and) into `out`. */
function seedFromFilter(filter: Doc, out: Doc): void {
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) seedFromFilter(sub, out);
      continue;
    }
    if (k.startsWith('$') || v instanceof RegExp) continue;
    if (isOperatorObject(v)) {
      if (Object.keys(v).length === 1 && '$eq' in v) setPath(out, k, cloneDoc(v.$eq));
      continue;
    }
    setPath(out, k, cloneDoc(v));
  }
}
