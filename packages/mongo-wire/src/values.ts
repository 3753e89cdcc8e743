// Helpers for BSON values held in memory: canonical keys (index maps), deep
// copies, dotted-path access and MongoDB-style formatting for error messages.
import { Binary, ObjectId, UUID } from 'bson';

export type Doc = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** True for `{ $op: ... }`-style objects (query/update operator expressions). */
export function isOperatorObject(v: unknown): v is Doc {
  if (!isPlainObject(v)) return false;
  const first = Object.keys(v)[0];
  return first !== undefined && first.startsWith('$');
}

function bsonType(v: object): string | undefined {
  const t = (v as { _bsontype?: unknown })._bsontype;
  return typeof t === 'string' ? t : undefined;
}

/**
 * A string that is equal for two values exactly when MongoDB considers them
 * equal as index keys: numbers by value (int 1 == double 1.0), ObjectId/Binary
 * by bytes, embedded documents by ordered fields. Missing and null collapse to
 * the same key, as in a (non-sparse) MongoDB index.
 */
export function canon(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  switch (typeof v) {
    case 'number':
      return Object.is(v, -0) ? 'n:0' : `n:${v}`;
    case 'bigint':
      return `n:${v}`;
    case 'string':
      return `s:${v}`;
    case 'boolean':
      return v ? 'b:1' : 'b:0';
    case 'object':
      break;
    default:
      return `?:${String(v)}`;
  }
  if (Array.isArray(v)) return `[${JSON.stringify(v.map(canon))}`;
  if (v instanceof Date) return `d:${v.getTime()}`;
  if (v instanceof RegExp) return `r:${v.source}/${v.flags}`;
  if (isPlainObject(v)) return `{${JSON.stringify(Object.entries(v).map(([k, x]) => [k, canon(x)]))}`;
  switch (bsonType(v)) {
    case 'ObjectId':
      return `o:${(v as ObjectId).toHexString()}`;
    case 'Binary': {
      const b = v as Binary;
      return `x:${b.sub_type}:${b.toString('hex')}`;
    }
    case 'Long':
    case 'Int32':
    case 'Double':
      return `n:${String(v)}`;
    case 'Decimal128':
      return `n:${Number(String(v))}`;
    case 'MinKey':
      return 'min';
    case 'MaxKey':
      return 'max';
    default:
      return `${bsonType(v) ?? 'obj'}:${JSON.stringify(v)}`;
  }
}

/** Canonical key of a tuple of index values (compound keys). */
export function canonTuple(values: readonly unknown[]): string {
  return values.length === 1 ? canon(values[0]) : JSON.stringify(values.map(canon));
}

/**
 * Deep copy of a document. Plain objects, arrays and Dates are copied; BSON
 * value classes (ObjectId, Binary, Long, ...) are immutable in practice and
 * are shared.
 */
export function cloneDoc<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneDoc) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (!isPlainObject(v)) return v;
  const out: Doc = {};
  for (const k of Object.keys(v)) {
    const x = cloneDoc(v[k]);
    if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out as T;
}

/**
 * mingo compares class instances through `toString()`, and `Binary.toString()`
 * is a lossy UTF-8 decode, so two different binaries could compare equal.
 * Incoming Binary values are swapped for this subclass whose `toString()` is
 * exact (subtype + hex). It serializes exactly like a Binary. UUIDs (subtype 4,
 * which bson deserializes as UUID) already have an exact `toString()`.
 */
export class ExactBinary extends Binary {
  override toString(encoding?: 'hex' | 'base64' | 'utf8' | 'utf-8'): string {
    return encoding ? super.toString(encoding) : `${this.sub_type}:${super.toString('hex')}`;
  }
}

/** Walks a freshly deserialized value and replaces plain Binary instances (see ExactBinary). */
export function normalizeIncoming(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = normalizeIncoming(v[i]);
    return v;
  }
  if (isPlainObject(v)) {
    for (const k of Object.keys(v)) v[k] = normalizeIncoming(v[k]);
    return v;
  }
  if (v.constructor === Binary) {
    const b = v as Binary;
    return new ExactBinary(b.value(), b.sub_type);
  }
  return v;
}

/**
 * All values at a dotted path, MongoDB multikey style: arrays met on the way
 * are traversed and a leaf array contributes its elements. Missing → [undefined].
 */
export function valuesAt(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out);
  return out.length ? out : [undefined];
}

function collect(v: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(v)) {
      if (v.length === 0) out.push(undefined);
      else out.push(...v);
    } else out.push(v);
    return;
  }
  const part = parts[i] as string;
  if (Array.isArray(v)) {
    if (/^\d+$/.test(part)) {
      collect(v[Number(part)], parts, i + 1, out);
      return;
    }
    for (const el of v) if (isPlainObject(el)) collect(el, parts, i, out);
    return;
  }
  if (isPlainObject(v)) {
    collect(v[part], parts, i + 1, out);
    return;
  }
  out.push(undefined);
}

/** Sets a dotted path, creating intermediate objects (used to seed upserts). */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Doc = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i] as string;
    const next = cur[p];
    if (isPlainObject(next)) cur = next;
    else {
      const created: Doc = {};
      cur[p] = created;
      cur = created;
    }
  }
  cur[parts[parts.length - 1] as string] = value;
}

/** Returns the document with `_id` as its first field, generating an ObjectId when missing. */
export function withIdFirst(doc: Doc, fallbackId?: unknown): Doc {
  const id = doc._id !== undefined ? doc._id : fallbackId !== undefined ? fallbackId : new ObjectId();
  if (Object.keys(doc)[0] === '_id' && doc._id !== undefined) return doc;
  const out: Doc = { _id: id };
  for (const k of Object.keys(doc)) if (k !== '_id') out[k] = doc[k];
  return out;
}

/** Formats a value the way mongod prints it in error messages (`dup key: { name: "x" }`). */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[ ${v.map(formatValue).join(', ')} ]`;
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (isPlainObject(v)) {
    const parts = Object.entries(v).map(([k, x]) => `${k}: ${formatValue(x)}`);
    return parts.length ? `{ ${parts.join(', ')} }` : '{}';
  }
  if (v instanceof UUID) return `UUID("${v.toHexString(true)}")`;
  switch (bsonType(v)) {
    case 'ObjectId':
      return `ObjectId('${(v as ObjectId).toHexString()}')`;
    case 'Binary': {
      const b = v as Binary;
      return `BinData(${b.sub_type}, ${b.toString('hex').toUpperCase()})`;
    }
    default:
      return String(v);
  }
}
