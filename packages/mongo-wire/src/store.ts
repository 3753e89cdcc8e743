// All databases of one server instance. Databases and collections spring into
// existence on first write, as in MongoDB, and a database with no collections
// does not exist (listDatabases omits it).
import { ServerError } from './errors.ts';
import { Collection } from './collection.ts';
import type { Doc } from './values.ts';

export class Store {
  private readonly dbs = new Map<string, Map<string, Collection>>();

  databases(): string[] {
    return [...this.dbs.entries()].filter(([, colls]) => colls.size > 0).map(([name]) => name);
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  get(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** Returns the collection, creating it (implicitly, as on first insert) if needed. */
  ensure(db: string, name: string, options: Doc = {}): Collection {
    validateName(db, name);
    let colls = this.dbs.get(db);
    if (!colls) {
      colls = new Map();
      this.dbs.set(db, colls);
    }
    let coll = colls.get(name);
    if (!coll) {
      coll = new Collection(db, name, options);
      colls.set(name, coll);
    }
    return coll;
  }

  create(db: string, name: string, options: Doc): Collection {
    if (this.get(db, name)) throw new ServerError('NamespaceExists', `Collection ${db}.${name} already exists.`);
    return this.ensure(db, name, options);
  }

  drop(db: string, name: string): Collection | undefined {
    const coll = this.get(db, name);
    if (coll) this.dbs.get(db)?.delete(name);
    return coll;
  }

  dropDatabase(db: string): void {
    this.dbs.delete(db);
  }

  /** Runs TTL expiry over every collection. */
  expire(now: number): number {
    let removed = 0;
    for (const colls of this.dbs.values()) for (const c of colls.values()) removed += c.expire(now);
    return removed;
  }

  rename(from: Collection, toDb: string, toName: string, dropTarget: boolean): void {
    if (this.get(toDb, toName)) {
      if (!dropTarget) throw new ServerError('NamespaceExists', 'target namespace exists');
      this.drop(toDb, toName);
    }
    const target = this.ensure(toDb, toName, from.options);
    for (const spec of from.indexSpecs().slice(1)) target.createIndex(spec);
    for (const doc of from.all()) target.insert(doc);
    this.drop(from.db, from.name);
  }
}

function validateName(db: string, name: string): void {
  if (!db || /[/\\. "$\0]/.test(db)) throw new ServerError('InvalidNamespace', `Invalid database name: '${db}'`);
  if (!name || name.includes('\0') || name.startsWith('.') || name.includes('$')) {
    throw new ServerError('InvalidNamespace', `Invalid collection name: '${name}'`);
  }
}
