// Secondary indexes. Only unique indexes hold data: a Map from the canonical
// key of the indexed values to the owning document's canonical _id, which both
// enforces uniqueness and serves equality lookups without a collection scan.
// Non-unique indexes are kept as metadata only (queries fall back to a scan).
import { ServerError } from './errors.ts';
import { compileFilter, type Matcher } from './mingo.ts';
import { canon, canonTuple, formatValue, isPlainObject, valuesAt, type Doc } from './values.ts';

export interface IndexKey {
  /** canonical string of the key tuple */
  key: string;
  /** the tuple itself, in key-pattern order (for error messages) */
  values: unknown[];
}

/** Default index name: `{ a: 1, b: -1 }` → `a_1_b_-1`. */
export function defaultIndexName(keyPattern: Doc): string {
  return Object.entries(keyPattern)
    .map(([k, v]) => `${k}_${String(v)}`)
    .join('_');
}

export class Index {
  readonly name: string;
  readonly keyPattern: Doc;
  readonly fields: string[];
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly partial: boolean;
  /** The spec as reported by listIndexes. */
  readonly spec: Doc;
  private readonly partialFilter: Matcher | undefined;
  private readonly entries = new Map<string, string>();

  constructor(spec: Doc) {
    if (!isPlainObject(spec.key) || Object.keys(spec.key).length === 0) {
      throw new ServerError('BadValue', "Index spec must have a non-empty 'key' document");
    }
    this.keyPattern = spec.key;
    this.fields = Object.keys(spec.key);
    this.name = typeof spec.name === 'string' && spec.name ? spec.name : defaultIndexName(spec.key);
    this.unique = spec.unique === true || spec.unique === 1;
    this.sparse = spec.sparse === true || spec.sparse === 1;
    this.partial = isPlainObject(spec.partialFilterExpression);
    this.partialFilter = this.partial ? compileFilter(spec.partialFilterExpression as Doc) : undefined;
    const { v: _v, key: _key, name: _name, ns: _ns, ...options } = spec;
    this.spec = { v: 2, key: spec.key, name: this.name, ...options };
  }

  /** Options that make two indexes with the same key different (for createIndexes conflicts). */
  optionsSignature(): string {
    return canon([this.unique, this.sparse, this.spec.partialFilterExpression ?? null]);
  }

  /** Keys this document contributes (none if sparse/partial exclude it). Arrays fan out (multikey). */
  keysOf(doc: Doc): IndexKey[] {
    if (this.partialFilter && !this.partialFilter.test(doc)) return [];
    const perField = this.fields.map((f) => valuesAt(doc, f));
    if (this.sparse && perField.every((vs) => vs.every((v) => v === undefined))) return [];
    let tuples: unknown[][] = [[]];
    for (const vs of perField) tuples = tuples.flatMap((t) => vs.map((v) => [...t, v]));
    const seen = new Map<string, IndexKey>();
    for (const values of tuples) {
      const key = canonTuple(values);
      if (!seen.has(key)) seen.set(key, { key, values });
    }
    return [...seen.values()];
  }

  /** The first of `keys` already owned by a different document, if any (unique indexes only). */
  findConflict(keys: IndexKey[], idKey: string): IndexKey | undefined {
    if (!this.unique) return undefined;
    return keys.find((k) => {
      const owner = this.entries.get(k.key);
      return owner !== undefined && owner !== idKey;
    });
  }

  add(keys: IndexKey[], idKey: string): void {
    if (!this.unique) return;
    for (const k of keys) this.entries.set(k.key, idKey);
  }

  remove(keys: IndexKey[], idKey: string): void {
    if (!this.unique) return;
    for (const k of keys) if (this.entries.get(k.key) === idKey) this.entries.delete(k.key);
  }

  clear(): void {
    this.entries.clear();
  }

  /**
   * Whether an equality query can be answered from the map. Partial indexes
   * may not contain a matching document, so they never answer lookups.
   */
  get canLookup(): boolean {
    return this.unique && !this.partial;
  }

  /** The _id key of the document holding exactly these values, if any. */
  lookup(values: unknown[]): string | undefined {
    return this.entries.get(canonTuple(values));
  }

  duplicateError(ns: string, key: IndexKey): ServerError {
    return duplicateKeyError(ns, this.name, this.keyPattern, key.values);
  }
}

/** The E11000 error, worded like mongod's so logs and error matching look familiar. */
export function duplicateKeyError(ns: string, indexName: string, keyPattern: Doc, values: unknown[]): ServerError {
  const keyValue: Doc = {};
  Object.keys(keyPattern).forEach((field, i) => {
    keyValue[field] = values[i] ?? null;
  });
  return new ServerError(
    'DuplicateKey',
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: ${formatValue(keyValue)}`,
    { keyPattern, keyValue },
  );
}
