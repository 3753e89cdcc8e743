// One collection: documents in a Map keyed by canonical _id (so _id lookups
// and duplicate checks are O(1), and Map order gives a stable natural order),
// plus secondary indexes. Stored documents are never mutated in place: writes
// copy in (insert clones its input, updates build a new document and swap it
// in), so cursors and replies can hold stored documents without seeing later
// writes. Everything leaving the server is serialized to BSON, which is the
// copy-out.
import { UUID } from 'bson';
import { ServerError } from './errors.ts';
import { duplicateKeyError, Index, type IndexKey } from './indexes.ts';
import { compileFilter, sortDocs } from './mingo.ts';
import { canon, cloneDoc, isOperatorObject, isPlainObject, valuesAt, withIdFirst, type Doc } from './values.ts';

export interface SelectOptions {
  sort?: Doc | undefined;
  skip?: number | undefined;
  limit?: number | undefined;
  collation?: Doc | undefined;
}

const ID_INDEX_SPEC: Doc = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  readonly uuid = new UUID();
  private readonly docs = new Map<string, Doc>();
  private readonly indexes = new Map<string, Index>();

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Doc = {},
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get size(): number {
    return this.docs.size;
  }

  /** Stored documents in natural (insertion) order. Read-only by contract. */
  all(): IterableIterator<Doc> {
    return this.docs.values();
  }

  // ---- writes -------------------------------------------------------------

  /** Inserts a copy of `input` (adding an ObjectId _id if missing); returns the stored document. */
  insert(input: Doc): Doc {
    const doc = withIdFirst(cloneDoc(input));
    validateId(doc._id);
    const idKey = canon(doc._id);
    if (this.docs.has(idKey)) throw duplicateKeyError(this.ns, '_id_', { _id: 1 }, [doc._id]);
    const planned = this.planKeys(doc, idKey);
    for (const [index, keys] of planned) index.add(keys, idKey);
    this.docs.set(idKey, doc);
    return doc;
  }

  /** Swaps a stored document for its updated version (same _id), enforcing unique indexes. */
  replace(old: Doc, next: Doc): void {
    const idKey = canon(old._id);
    if (canon(next._id) !== idKey) {
      throw new ServerError('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
    }
    const planned = this.planKeys(next, idKey);
    for (const [index, keys] of planned) {
      index.remove(index.keysOf(old), idKey);
      index.add(keys, idKey);
    }
    this.docs.set(idKey, next);
  }

  delete(doc: Doc): boolean {
    const idKey = canon(doc._id);
    const stored = this.docs.get(idKey);
    if (!stored) return false;
    for (const index of this.indexes.values()) index.remove(index.keysOf(stored), idKey);
    this.docs.delete(idKey);
    return true;
  }

  /**
   * Deletes documents whose TTL index date is older than expireAfterSeconds
   * (mongod's TTL monitor does the same about once a minute). Returns how many.
   */
  expire(now: number): number {
    let removed = 0;
    for (const index of this.indexes.values()) {
      const seconds = index.spec.expireAfterSeconds;
      const field = index.fields[0];
      if (typeof seconds !== 'number' || index.fields.length !== 1 || field === undefined) continue;
      const cutoff = now - seconds * 1000;
      for (const doc of [...this.docs.values()]) {
        const times = valuesAt(doc, field).flatMap((v) => (v instanceof Date ? [v.getTime()] : []));
        if (times.length && Math.min(...times) <= cutoff && this.delete(doc)) removed++;
      }
    }
    return removed;
  }

  /** Replaces the whole content (aggregate $out); all-or-nothing on unique violations. */
  replaceAll(docs: Doc[]): void {
    const saved = [...this.docs.values()];
    this.clearData();
    try {
      for (const d of docs) this.insert(d);
    } catch (err) {
      this.clearData();
      for (const d of saved) this.insert(d);
      throw err;
    }
  }

  private clearData(): void {
    this.docs.clear();
    for (const index of this.indexes.values()) index.clear();
  }

  /** Computes index keys for `doc` and checks unique constraints before anything is changed. */
  private planKeys(doc: Doc, idKey: string): Array<[Index, IndexKey[]]> {
    const planned: Array<[Index, IndexKey[]]> = [];
    for (const index of this.indexes.values()) {
      const keys = index.keysOf(doc);
      const conflict = index.findConflict(keys, idKey);
      if (conflict) throw index.duplicateError(this.ns, conflict);
      planned.push([index, keys]);
    }
    return planned;
  }

  // ---- reads --------------------------------------------------------------

  /** Documents matching `filter`, sorted/skipped/limited. Returns stored objects (do not mutate). */
  select(filter: Doc | undefined, opts: SelectOptions = {}): Doc[] {
    // (A collation only affects sorting here: mingo matches without it, and so do the index maps.)
    const plan = this.plan(filter);
    // Skip compiling a matcher when an index lookup already answered the whole filter.
    const query = plan.exact || !filter || Object.keys(filter).length === 0 ? undefined : compileFilter(filter, opts.collation);
    const skip = Math.max(0, opts.skip ?? 0);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : undefined;
    const sort = opts.sort && Object.keys(opts.sort).length ? opts.sort : undefined;
    const natural = sort?.$natural;
    // Without a sort we can stop as soon as skip+limit documents matched.
    const cap = sort === undefined || natural !== undefined ? (limit === undefined ? Infinity : skip + limit) : Infinity;
    let out: Doc[] = [];
    const source = natural === -1 ? [...plan.docs].reverse() : plan.docs;
    for (const doc of source) {
      if (query && !query.test(doc)) continue;
      out.push(doc);
      if (out.length >= cap) break;
    }
    if (sort && natural === undefined) out = sortDocs(out, sort, opts.collation);
    return out.slice(skip, limit === undefined ? undefined : skip + limit);
  }

  /**
   * Documents that may match `filter`: answered from the _id map or a unique
   * index when the filter pins those fields by equality, else every document.
   * `exact` means the lookup consumed every clause, so no further test is needed.
   */
  private plan(filter: Doc | undefined): { docs: Iterable<Doc>; exact: boolean } {
    if (!filter) return { docs: this.docs.values(), exact: true };
    const clauses = Object.keys(filter).length;
    const ids = equalityValues(filter._id);
    if (ids) return { docs: this.byIdKeys(ids.map(canon)), exact: clauses === 1 };
    for (const index of this.indexes.values()) {
      if (!index.canLookup) continue;
      const exact = clauses === index.fields.length;
      if (index.fields.length === 1) {
        const values = equalityValues(filter[index.fields[0] as string]);
        if (!values) continue;
        return { docs: this.byIdKeys(values.flatMap((v) => index.lookup([v]) ?? [])), exact };
      }
      const tuple: unknown[] = [];
      for (const field of index.fields) {
        const values = equalityValues(filter[field]);
        if (!values || values.length !== 1) break;
        tuple.push(values[0]);
      }
      if (tuple.length !== index.fields.length) continue;
      return { docs: this.byIdKeys([index.lookup(tuple)].flatMap((k) => k ?? [])), exact };
    }
    return { docs: this.docs.values(), exact: false };
  }

  private byIdKeys(idKeys: string[]): Doc[] {
    const out: Doc[] = [];
    for (const k of new Set(idKeys)) {
      const d = this.docs.get(k);
      if (d) out.push(d);
    }
    return out;
  }

  // ---- indexes ------------------------------------------------------------

  indexSpecs(): Doc[] {
    return [ID_INDEX_SPEC, ...[...this.indexes.values()].map((i) => i.spec)];
  }

  get indexCount(): number {
    return this.indexes.size + 1;
  }

  /** Returns false when an identical index already exists. */
  createIndex(spec: Doc): boolean {
    const index = new Index(spec);
    const sameKey = (i: { keyPattern: Doc }) => canon(i.keyPattern) === canon(index.keyPattern);
    // The _id index always exists and cannot be redefined.
    if (sameKey({ keyPattern: { _id: 1 } }) && !index.partial) return false;
    if (index.name === '_id_') throw new ServerError('BadValue', "The index name '_id_' is reserved for the _id index");
    const existing = this.indexes.get(index.name);
    if (existing) {
      const sameOptions = existing.optionsSignature() === index.optionsSignature();
      if (sameKey(existing) && sameOptions) return false;
      if (sameKey(existing)) {
        throw new ServerError(
          'IndexOptionsConflict',
          `An existing index has the same name as the requested index but different options: ${index.name}`,
        );
      }
      throw new ServerError(
        'IndexKeySpecsConflict',
        `An existing index has the same name as the requested index but a different key: ${index.name}`,
      );
    }
    for (const other of this.indexes.values()) {
      // Same key under another name is only allowed when the partial filters differ (as in MongoDB ≥ 5).
      if (sameKey(other) && canon(other.spec.partialFilterExpression) === canon(index.spec.partialFilterExpression)) {
        throw new ServerError('IndexOptionsConflict', `Index already exists with a different name: ${other.name}`);
      }
    }
    // Build over existing documents; a duplicate aborts the build (E11000).
    for (const doc of this.docs.values()) {
      const idKey = canon(doc._id);
      const keys = index.keysOf(doc);
      const conflict = index.findConflict(keys, idKey);
      if (conflict) throw index.duplicateError(this.ns, conflict);
      index.add(keys, idKey);
    }
    this.indexes.set(index.name, index);
    return true;
  }

  /** Drops by name, key pattern, or '*' (all but _id_). Returns the number of indexes before. */
  dropIndexes(which: unknown): number {
    const before = this.indexCount;
    const names = Array.isArray(which) ? which : [which];
    for (const w of names) {
      if (w === '*') {
        this.indexes.clear();
        continue;
      }
      const index =
        typeof w === 'string'
          ? this.indexes.get(w)
          : [...this.indexes.values()].find((i) => isPlainObject(w) && canon(i.keyPattern) === canon(w));
      if (!index) {
        if (w === '_id_' || (isPlainObject(w) && canon(w) === canon({ _id: 1 }))) {
          throw new ServerError('InvalidOptions', 'cannot drop _id index');
        }
        throw new ServerError('IndexNotFound', `index not found with name [${typeof w === 'string' ? w : JSON.stringify(w)}]`);
      }
      this.indexes.delete(index.name);
    }
    return before;
  }
}

function validateId(id: unknown): void {
  if (Array.isArray(id)) throw new ServerError('BadValue', "can't use an array for _id");
  if (id instanceof RegExp) throw new ServerError('BadValue', "can't use a regex for _id");
  if (isOperatorObject(id))
    throw new ServerError('BadValue', `_id fields may not contain '$'-prefixed fields: ${Object.keys(id)[0]} is not valid for storage.`);
}

/**
 * Values a filter clause pins a field to by plain equality — `x`, `{ $eq: x }`
 * or `{ $in: [...] }` — or undefined when the clause needs a real query
 * (operators, regexes, null which also matches missing, arrays which also
 * match by element).
 */
function equalityValues(clause: unknown): unknown[] | undefined {
  if (clause === undefined) return undefined;
  if (isOperatorObject(clause)) {
    const keys = Object.keys(clause);
    if (keys.length !== 1) return undefined;
    if (keys[0] === '$eq') return isLiteral(clause.$eq) ? [clause.$eq] : undefined;
    if (keys[0] === '$in' && Array.isArray(clause.$in) && clause.$in.every(isLiteral)) return clause.$in;
    return undefined;
  }
  return isLiteral(clause) ? [clause] : undefined;
}

function isLiteral(v: unknown): boolean {
  if (v === null || v === undefined || Array.isArray(v) || v instanceof RegExp) return false;
  if (typeof v === 'object' && (v as { _bsontype?: unknown })._bsontype === 'BSONRegExp') return false;
  return !isOperatorObject(v);
}
