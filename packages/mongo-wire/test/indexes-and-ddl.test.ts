// Compatibility checks: indexes, collections and databases through the official
// `mongodb` driver against the project's own wire-protocol server (not mongod).
import { MongoServerError, type Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { freshDbName, useWireServer, type AnyIdDoc } from './helpers.ts';

describe("mongo-wire (project's own MongoDB wire server, not mongod): indexes, collections, databases", () => {
  const h = useWireServer();
  const db = (): Db => h().client.db(freshDbName('ddl'));

  it('enforces a unique index on insert, update, upsert and findOneAndUpdate', async () => {
    const c = db().collection('users');
    expect(await c.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
    await c.insertMany([
      { email: 'a@x', n: 1 },
      { email: 'b@x', n: 2 },
    ]);

    const insertErr = await c.insertOne({ email: 'a@x' }).catch((e: unknown) => e);
    expect(insertErr).toBeInstanceOf(MongoServerError);
    expect(insertErr).toMatchObject({
      code: 11000,
      keyPattern: { email: 1 },
      keyValue: { email: 'a@x' },
    });
    expect((insertErr as Error).message).toMatch(
      /^E11000 duplicate key error collection: ddl_\d+\.users index: email_1 dup key: \{ email: "a@x" \}$/,
    );

    await expect(c.updateOne({ email: 'b@x' }, { $set: { email: 'a@x' } })).rejects.toMatchObject({ code: 11000 });
    await expect(c.updateOne({ email: 'new@x' }, { $set: { n: 3, email: 'a@x' } }, { upsert: true })).rejects.toMatchObject({
      code: 11000,
    });
    await expect(c.replaceOne({ email: 'b@x' }, { email: 'a@x' })).rejects.toMatchObject({ code: 11000 });
    await expect(c.findOneAndUpdate({ email: 'b@x' }, { $set: { email: 'a@x' } })).rejects.toMatchObject({ code: 11000 });
    // The failed writes changed nothing, and the old key is free again after a real change.
    expect(await c.findOne({ email: 'b@x' }, { projection: { _id: 0 } })).toEqual({ email: 'b@x', n: 2 });
    await c.updateOne({ email: 'b@x' }, { $set: { email: 'c@x' } });
    await c.insertOne({ email: 'b@x', n: 4 });
    expect(await c.countDocuments()).toBe(3);
    // Lookups through the unique index.
    expect((await c.findOne({ email: 'c@x' }))?.n).toBe(2);
    expect((await c.findOne({ email: { $eq: 'b@x' } }))?.n).toBe(4);
    expect(await c.findOne({ email: 'c@x', n: 99 })).toBeNull();
    expect((await c.find({ email: { $in: ['a@x', 'b@x', 'zz'] } }).toArray()).length).toBe(2);
    await c.deleteOne({ email: 'a@x' });
    await c.insertOne({ email: 'a@x', n: 5 });
  });

  it('fails to create a unique index over existing duplicates', async () => {
    const c = db().collection('dupdata');
    await c.insertMany([{ k: 1 }, { k: 2 }, { k: 1 }]);
    await expect(c.createIndex({ k: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    const names = (await c.indexes()).map((i) => i.name);
    expect(names).toEqual(['_id_']);
    await c.createIndex({ k: 1 }); // non-unique is fine
    expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_', 'k_1']);
  });

  it('compound, sparse and partial unique indexes', async () => {
    const c = db().collection('variants');
    await c.createIndex({ org: 1, slug: 1 }, { unique: true, name: 'org_slug' });
    await c.insertMany([
      { org: 'a', slug: 'x' },
      { org: 'b', slug: 'x' },
    ]);
    const err = await c.insertOne({ org: 'a', slug: 'x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 11000, keyValue: { org: 'a', slug: 'x' } });
    expect((err as Error).message).toContain('index: org_slug dup key: { org: "a", slug: "x" }');

    await c.createIndex({ nick: 1 }, { unique: true, sparse: true });
    await c.insertMany([
      { org: 'c', slug: '1' },
      { org: 'c', slug: '2' },
    ]); // both lack `nick`
    await c.insertOne({ org: 'c', slug: '3', nick: 'n' });
    await expect(c.insertOne({ org: 'c', slug: '4', nick: 'n' })).rejects.toMatchObject({ code: 11000 });

    await c.createIndex({ code: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await c.insertMany([
      { org: 'd', slug: '1', code: 7, active: false },
      { org: 'd', slug: '2', code: 7, active: true },
    ]);
    await expect(c.insertOne({ org: 'd', slug: '3', code: 7, active: true })).rejects.toMatchObject({ code: 11000 });
    expect(await c.countDocuments({ code: 7 })).toBe(2);

    const spec = (await c.indexes()).find((i) => i.name === 'code_1');
    expect(spec).toMatchObject({ unique: true, partialFilterExpression: { active: true } });
  });

  it('listIndexes / dropIndex / dropIndexes', async () => {
    const c = db().collection('idx');
    await c.insertOne({ a: 1, b: 1 });
    await c.createIndexes([{ key: { a: 1 } }, { key: { b: -1 }, name: 'b_desc' }]);
    expect(await c.indexExists('b_desc')).toBe(true);
    await c.dropIndex('b_desc');
    expect(await c.indexExists('b_desc')).toBe(false);
    await expect(c.dropIndex('nope')).rejects.toMatchObject({ code: 27 });
    await c.dropIndexes();
    expect((await c.indexes()).map((i) => i.name)).toEqual(['_id_']);
    await expect(db().collection('missing').indexes()).rejects.toMatchObject({ code: 26 });
  });

  it('listCollections (filter, nameOnly) / createCollection / drop / renameCollection', async () => {
    const d = db();
    await d.collection('alpha').insertOne({ x: 1 });
    await d.createCollection('beta');
    await expect(d.createCollection('beta')).rejects.toMatchObject({ code: 48 });
    expect((await d.listCollections().toArray()).map((c) => c.name).sort()).toEqual(['alpha', 'beta']);
    const filtered = await d.listCollections({ name: 'alpha' }, { nameOnly: true }).toArray();
    expect(filtered).toEqual([{ name: 'alpha', type: 'collection' }]);
    expect(await d.collection('alpha').drop()).toBe(true);
    expect((await d.listCollections().toArray()).map((c) => c.name)).toEqual(['beta']);
    await d.collection('gamma').insertOne({ g: 1 });
    await d.renameCollection('gamma', 'delta');
    expect(await d.collection('delta').findOne({}, { projection: { _id: 0 } })).toEqual({ g: 1 });
    expect(await d.collection('gamma').countDocuments()).toBe(0);
  });

  it('dropDatabase and listDatabases; two databases are isolated', async () => {
    const client = h().client;
    const one = client.db(freshDbName('iso'));
    const two = client.db(freshDbName('iso'));
    await one.collection<AnyIdDoc>('things').insertOne({ _id: 'same', owner: 'one' });
    await two.collection<AnyIdDoc>('things').insertOne({ _id: 'same', owner: 'two' });
    expect((await one.collection<AnyIdDoc>('things').findOne({ _id: 'same' }))?.owner).toBe('one');
    expect((await two.collection<AnyIdDoc>('things').findOne({ _id: 'same' }))?.owner).toBe('two');
    await one.collection<AnyIdDoc>('things').createIndex({ owner: 1 }, { unique: true });
    expect((await two.collection<AnyIdDoc>('things').indexes()).map((i) => i.name)).toEqual(['_id_']);

    const names = (await client.db('admin').admin().listDatabases()).databases.map((d) => d.name);
    expect(names).toEqual(expect.arrayContaining([one.databaseName, two.databaseName]));
    expect(await one.dropDatabase()).toBe(true);
    expect(await one.collection<AnyIdDoc>('things').countDocuments()).toBe(0);
    expect(await two.collection<AnyIdDoc>('things').countDocuments()).toBe(1);
    const after = (await client.db('admin').admin().listDatabases({ nameOnly: true })).databases.map((d) => d.name);
    expect(after).not.toContain(one.databaseName);
  });

  it('findOne by _id and by a unique field on a 20k-document collection', async () => {
    const c = db().collection<AnyIdDoc>('large');
    await c.createIndex({ code: 1 }, { unique: true });
    const docs = Array.from({ length: 20_000 }, (_, i) => ({ _id: `id-${i}`, code: i, payload: 'x'.repeat(20) }));
    await c.insertMany(docs);
    expect(await c.estimatedDocumentCount()).toBe(20_000);
    for (const i of [0, 9_999, 19_999]) {
      expect((await c.findOne({ _id: `id-${i}` }))?.code).toBe(i);
      expect((await c.findOne({ code: i }))?._id).toBe(`id-${i}`);
    }
    expect(await c.findOne({ _id: 'id-20000' })).toBeNull();
    expect(await c.countDocuments({ code: { $gte: 19_990 } })).toBe(10);
  });
});
