// Compatibility checks: the official `mongodb` driver against the project's own
// wire-protocol server (packages/mongo-wire), not against a real mongod.
import { ObjectId, UUID, type Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { freshDbName, useWireServer, type AnyIdDoc } from './helpers.ts';

describe("mongo-wire (project's own MongoDB wire server, not mongod): CRUD through the mongodb driver", () => {
  const h = useWireServer();
  const db = (): Db => h().client.db(freshDbName('crud'));

  it('connects and answers ping / hello / buildInfo', async () => {
    const admin = h().client.db('admin');
    expect(await admin.command({ ping: 1 })).toEqual({ ok: 1 });
    const hello = await admin.command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(hello.topologyVersion).toBeUndefined();
    const info = await admin.command({ buildInfo: 1 });
    expect(info.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('insertOne / insertMany / findOne / find with sort, skip, limit, projection', async () => {
    const c = db().collection('people');
    const one = await c.insertOne({ name: 'ann', age: 30, tags: ['a'] });
    expect(one.insertedId).toBeInstanceOf(ObjectId);
    const many = await c.insertMany([
      { name: 'bob', age: 25 },
      { name: 'cid', age: 35 },
      { name: 'dee', age: 28 },
    ]);
    expect(many.insertedCount).toBe(3);

    const ann = await c.findOne({ _id: one.insertedId });
    expect(ann).toMatchObject({ name: 'ann', age: 30, tags: ['a'] });
    expect(ann?._id.equals(one.insertedId)).toBe(true);
    expect(await c.findOne({ name: 'nobody' })).toBeNull();

    const sorted = await c.find({}, { sort: { age: -1 }, skip: 1, limit: 2, projection: { _id: 0, name: 1 } }).toArray();
    expect(sorted).toEqual([{ name: 'ann' }, { name: 'dee' }]);
    const filtered = await c
      .find({ age: { $gte: 28 } })
      .sort({ name: 1 })
      .toArray();
    expect(filtered.map((d) => d.name)).toEqual(['ann', 'cid', 'dee']);
    await c.insertOne({ name: 'Bea', age: 1 });
    // With a collation 'Bea' sorts between 'ann' and 'bob' (binary order would put it first).
    const ci = await c.find({}, { sort: { name: 1 }, collation: { locale: 'en', strength: 1 }, projection: { _id: 0, name: 1 } }).toArray();
    expect(ci.map((d) => d.name)).toEqual(['ann', 'Bea', 'bob', 'cid', 'dee']);
    await c.deleteOne({ name: 'Bea' });
    const excl = await c.findOne({ name: 'bob' }, { projection: { age: 0 } });
    expect(Object.keys(excl ?? {}).sort()).toEqual(['_id', 'name']);
  });

  it('stored documents cannot be changed through returned objects', async () => {
    const c = db().collection<AnyIdDoc>('copies');
    const doc = { _id: 'x', nested: { v: 1 } };
    await c.insertOne(doc);
    doc.nested.v = 2;
    const got = await c.findOne({ _id: 'x' });
    expect(got?.nested).toEqual({ v: 1 });
  });

  it('iterates a cursor over more than 101 documents with getMore', async () => {
    const c = db().collection('many');
    await c.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    const all = await c.find({}).sort({ i: 1 }).toArray();
    expect(all).toHaveLength(250);
    expect(all.map((d) => d.i)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    const small = await c.find({}, { batchSize: 7 }).toArray();
    expect(small).toHaveLength(250);
    // An abandoned cursor is killed by the driver on close.
    const cursor = c.find({}, { batchSize: 10 });
    await cursor.next();
    await cursor.close();
    const limited = await c.find({}).limit(120).toArray();
    expect(limited).toHaveLength(120);
  });

  it('updateOne / updateMany with operators, and upsert', async () => {
    interface Counter {
      _id: number;
      n?: number;
      list?: number[];
      tags?: string[];
      obj?: { a?: number; b?: boolean };
      peak?: number;
      at?: Date;
      key?: string;
      v?: number;
      created?: boolean;
      items?: Array<{ id: string; q: number }>;
    }
    const c = db().collection<Counter>('counters');
    await c.insertMany([
      { _id: 1, n: 1, list: [1, 2], tags: ['x'], obj: { a: 1 } },
      { _id: 2, n: 5, list: [3], tags: [], obj: { a: 2 } },
    ]);
    const r1 = await c.updateOne(
      { _id: 1 },
      { $inc: { n: 2 }, $push: { list: 9 }, $addToSet: { tags: 'x' }, $set: { 'obj.b': true }, $unset: { 'obj.a': '' } },
    );
    expect(r1).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, n: 3, list: [1, 2, 9], tags: ['x'], obj: { b: true } });

    const r2 = await c.updateMany({}, { $mul: { n: 10 }, $pull: { list: 2 }, $max: { peak: 7 }, $currentDate: { at: true } });
    expect(r2).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    const docs = await c.find({}).sort({ _id: 1 }).toArray();
    expect(docs.map((d) => d.n)).toEqual([30, 50]);
    expect(docs[0]?.list).toEqual([1, 9]);
    expect(docs[0]?.at).toBeInstanceOf(Date);

    const noop = await c.updateOne({ _id: 1 }, { $set: { n: 30 } });
    expect(noop).toMatchObject({ matchedCount: 1, modifiedCount: 0 });

    const up = await c.updateOne({ key: 'k1' }, { $set: { v: 1 }, $setOnInsert: { created: true } }, { upsert: true });
    expect(up.upsertedCount).toBe(1);
    expect(up.upsertedId).toBeInstanceOf(ObjectId);
    expect(await c.findOne({ key: 'k1' }, { projection: { _id: 0 } })).toEqual({ key: 'k1', v: 1, created: true });
    const again = await c.updateOne({ key: 'k1' }, { $set: { v: 2 }, $setOnInsert: { created: false } }, { upsert: true });
    expect(again).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await c.findOne({ key: 'k1' }, { projection: { _id: 0 } })).toEqual({ key: 'k1', v: 2, created: true });

    await c.insertOne({
      _id: 3,
      items: [
        { id: 'a', q: 1 },
        { id: 'b', q: 1 },
      ],
    });
    await c.updateOne({ _id: 3, 'items.id': 'b' }, { $inc: { 'items.$.q': 5 } });
    await c.updateOne({ _id: 3 }, { $inc: { 'items.$[].q': 1 } });
    expect((await c.findOne({ _id: 3 }))?.items).toEqual([
      { id: 'a', q: 2 },
      { id: 'b', q: 7 },
    ]);

    await c.updateOne({ _id: 3 }, { $set: { 'items.$[it].q': 0 } }, { arrayFilters: [{ 'it.id': 'a' }] });
    expect((await c.findOne({ _id: 3 }))?.items).toEqual([
      { id: 'a', q: 0 },
      { id: 'b', q: 7 },
    ]);

    await expect(c.updateOne({ _id: 3 }, { $set: { _id: 4 } })).rejects.toMatchObject({ code: 66 });
  });

  it('pipeline-style updates', async () => {
    const c = db().collection<AnyIdDoc>('pipe');
    await c.insertOne({ _id: 'p', a: 2, b: 3 });
    await c.updateOne({ _id: 'p' }, [{ $set: { sum: { $add: ['$a', '$b'] } } }]);
    expect(await c.findOne({ _id: 'p' })).toEqual({ _id: 'p', a: 2, b: 3, sum: 5 });
  });

  it('replaceOne keeps _id and supports upsert', async () => {
    const c = db().collection<AnyIdDoc>('rep');
    const { insertedId } = await c.insertOne({ a: 1, b: 2 });
    const r = await c.replaceOne({ _id: insertedId }, { c: 3 });
    expect(r).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await c.findOne({ _id: insertedId })).toEqual({ _id: insertedId, c: 3 });
    const up = await c.replaceOne({ _id: 'new' }, { z: 1 }, { upsert: true });
    expect(up.upsertedId).toBe('new');
    expect(await c.findOne({ _id: 'new' })).toEqual({ _id: 'new', z: 1 });
  });

  it('deleteOne / deleteMany', async () => {
    const c = db().collection('del');
    await c.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }, { k: 3 }]);
    expect((await c.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await c.deleteMany({ k: { $in: [1, 2] } })).deletedCount).toBe(2);
    expect((await c.deleteMany({ k: 99 })).deletedCount).toBe(0);
    expect(await c.countDocuments()).toBe(1);
  });

  it('findOneAndUpdate / findOneAndReplace / findOneAndDelete', async () => {
    const c = db().collection('fam');
    await c.insertMany([
      { name: 'a', score: 1 },
      { name: 'b', score: 5 },
    ]);
    const after = await c.findOneAndUpdate({ name: 'a' }, { $inc: { score: 10 } }, { returnDocument: 'after' });
    expect(after).toMatchObject({ name: 'a', score: 11 });
    const before = await c.findOneAndUpdate({ name: 'a' }, { $inc: { score: 1 } });
    expect(before).toMatchObject({ score: 11 });
    const top = await c.findOneAndUpdate(
      {},
      { $set: { top: true } },
      { sort: { score: -1 }, returnDocument: 'after', projection: { _id: 0, name: 1, top: 1 } },
    );
    expect(top).toEqual({ name: 'a', top: true });
    const upserted = await c.findOneAndUpdate({ name: 'c' }, { $set: { score: 0 } }, { upsert: true, returnDocument: 'after' });
    expect(upserted).toMatchObject({ name: 'c', score: 0 });
    const meta = await c.findOneAndUpdate({ name: 'zz' }, { $set: { x: 1 } }, { includeResultMetadata: true });
    expect(meta.value).toBeNull();
    const replaced = await c.findOneAndReplace({ name: 'b' }, { name: 'b2' }, { returnDocument: 'after' });
    expect(replaced).toMatchObject({ name: 'b2' });
    const deleted = await c.findOneAndDelete({ name: 'b2' });
    expect(deleted).toMatchObject({ name: 'b2' });
    expect(await c.countDocuments({ name: 'b2' })).toBe(0);
  });

  it('countDocuments / estimatedDocumentCount', async () => {
    const c = db().collection('cnt');
    expect(await c.countDocuments()).toBe(0);
    expect(await c.estimatedDocumentCount()).toBe(0);
    await c.insertMany(Array.from({ length: 12 }, (_, i) => ({ even: i % 2 === 0 })));
    expect(await c.countDocuments()).toBe(12);
    expect(await c.countDocuments({ even: true })).toBe(6);
    expect(await c.countDocuments({}, { skip: 10 })).toBe(2);
    expect(await c.countDocuments({}, { limit: 5 })).toBe(5);
    expect(await c.estimatedDocumentCount()).toBe(12);
  });

  it('aggregate with $match / $group / $sort / $project / $unwind / $lookup / $count', async () => {
    const d = db();
    const orders = d.collection('orders');
    await orders.insertMany([
      { cust: 'x', amount: 5, items: ['a', 'b'] },
      { cust: 'y', amount: 7, items: ['a'] },
      { cust: 'x', amount: 3, items: [] },
    ]);
    await d.collection<AnyIdDoc>('customers').insertMany([
      { _id: 'x', name: 'Xavier' },
      { _id: 'y', name: 'Yolanda' },
    ]);
    const totals = await orders
      .aggregate([{ $match: { amount: { $gt: 1 } } }, { $group: { _id: '$cust', total: { $sum: '$amount' } } }, { $sort: { total: -1 } }])
      .toArray();
    expect(totals).toEqual([
      { _id: 'x', total: 8 },
      { _id: 'y', total: 7 },
    ]);
    const items = await orders.aggregate([{ $unwind: '$items' }, { $count: 'n' }]).toArray();
    expect(items).toEqual([{ n: 3 }]);
    const joined = await orders
      .aggregate([
        { $lookup: { from: 'customers', localField: 'cust', foreignField: '_id', as: 'c' } },
        { $project: { _id: 0, amount: 1, name: { $first: '$c.name' } } },
        { $sort: { amount: 1 } },
      ])
      .toArray();
    expect(joined).toEqual([
      { amount: 3, name: 'Xavier' },
      { amount: 5, name: 'Xavier' },
      { amount: 7, name: 'Yolanda' },
    ]);
    // An $addFields stage must not leak into the stored documents.
    await orders.aggregate([{ $addFields: { amount: 0 } }]).toArray();
    expect((await orders.find({}).toArray()).map((o) => o.amount)).toEqual([5, 7, 3]);
    await orders.aggregate([{ $match: { cust: 'x' } }, { $project: { amount: 1 } }, { $out: 'x_orders' }]).toArray();
    expect(await d.collection('x_orders').countDocuments()).toBe(2);
    const big = d.collection('big');
    await big.insertMany(Array.from({ length: 150 }, (_, i) => ({ i })));
    expect(await big.aggregate([{ $sort: { i: -1 } }], { batchSize: 20 }).toArray()).toHaveLength(150);
  });

  it('aggregate: the usage pipeline learning runs (two $group stages, $addToSet, $dateToString, $reduce/$setUnion, $size, $concat)', async () => {
    const c = db().collection('sessions');
    const at = (iso: string) => new Date(iso);
    await c.insertMany([
      { user: 'u1', item: 'a', at: at('2026-10-03T10:00:00Z'), s: 60 },
      { user: 'u1', item: 'a', at: at('2026-11-04T10:00:00Z'), s: 30 },
      { user: 'u2', item: 'a', at: at('2026-11-05T10:00:00Z'), s: 10 },
      { user: 'u2', item: 'b', at: at('2026-11-05T11:00:00Z'), s: 5 },
    ]);
    const rows = await c
      .aggregate([
        {
          $group: {
            _id: { item: '$item', month: { $dateToString: { format: '%Y-%m', date: '$at' } } },
            users: { $addToSet: '$user' },
            n: { $sum: 1 },
            s: { $sum: '$s' },
            last: { $max: '$at' },
          },
        },
        { $sort: { '_id.month': 1 } },
        {
          $group: {
            _id: '$_id.item',
            sets: { $push: '$users' },
            n: { $sum: '$n' },
            s: { $sum: '$s' },
            last: { $max: '$last' },
            months: { $push: { month: '$_id.month', people: { $size: '$users' } } },
          },
        },
        {
          $project: {
            key: { $concat: ['item:', '$_id'] },
            people: { $size: { $reduce: { input: '$sets', initialValue: [], in: { $setUnion: ['$$value', '$$this'] } } } },
            n: 1,
            s: 1,
            last: 1,
            months: 1,
          },
        },
        { $match: { key: { $gt: 'item:' } } },
        { $sort: { key: 1 } },
        { $limit: 5 },
      ])
      .toArray();
    expect(rows).toEqual([
      {
        _id: 'a',
        key: 'item:a',
        people: 2,
        n: 3,
        s: 100,
        last: at('2026-11-05T10:00:00Z'),
        months: [
          { month: '2026-10', people: 1 },
          { month: '2026-11', people: 2 },
        ],
      },
      { _id: 'b', key: 'item:b', people: 1, n: 1, s: 5, last: at('2026-11-05T11:00:00Z'), months: [{ month: '2026-11', people: 1 }] },
    ]);
  });

  it('an upsert takes its new _id from $setOnInsert (as mongod does), and leaves an existing document alone', async () => {
    const c = db().collection<AnyIdDoc>('placements');
    const first = await c.updateOne({ cat: 'a', item: 1 }, { $setOnInsert: { _id: 'p1', at: 1 } }, { upsert: true });
    expect(first.upsertedCount).toBe(1);
    expect(first.upsertedId).toBe('p1');
    const again = await c.updateOne({ cat: 'a', item: 1 }, { $setOnInsert: { _id: 'p2', at: 2 } }, { upsert: true });
    expect(again).toMatchObject({ upsertedCount: 0, matchedCount: 1, modifiedCount: 0 });
    expect(await c.find({}).toArray()).toEqual([{ _id: 'p1', cat: 'a', item: 1, at: 1 }]);
    const onlyId = await c.updateOne({ cat: 'b' }, { $setOnInsert: { _id: 'p3' } }, { upsert: true });
    expect(onlyId.upsertedId).toBe('p3');
  });

  it('distinct', async () => {
    const c = db().collection('dist');
    await c.insertMany([{ k: 'b', t: [1, 2] }, { k: 'a', t: [2, 3] }, { k: 'b' }, { other: 1 }]);
    expect(await c.distinct('k')).toEqual(['a', 'b']);
    expect(await c.distinct('t')).toEqual([1, 2, 3]);
    expect(await c.distinct('k', { t: 3 })).toEqual(['a']);
  });

  it('string, number and UUID _ids; ObjectId and UUID compare by value', async () => {
    const c = db().collection<AnyIdDoc>('ids');
    const u = new UUID();
    await c.insertMany([
      { _id: 'str-id', v: 1 },
      { _id: 42, v: 2 },
      { _id: u, v: 3 },
    ]);
    expect(await c.findOne({ _id: 'str-id' })).toEqual({ _id: 'str-id', v: 1 });
    expect(await c.findOne({ _id: 42 })).toEqual({ _id: 42, v: 2 });
    const byUuid = await c.findOne({ _id: new UUID(u.toHexString()) });
    expect(byUuid?.v).toBe(3);
    expect(await c.findOne({ _id: new UUID() })).toBeNull();
    await expect(c.insertOne({ _id: new UUID(u.toHexString()) })).rejects.toMatchObject({ code: 11000 });
    await expect(c.insertOne({ _id: 'str-id' })).rejects.toMatchObject({ code: 11000 });

    const oid = new ObjectId();
    const refs = db().collection('refs');
    await refs.insertMany([
      { owner: oid, n: 1 },
      { owner: new ObjectId(), n: 2 },
    ]);
    expect((await refs.find({ owner: new ObjectId(oid.toHexString()) }).toArray()).map((d) => d.n)).toEqual([1]);
    const bin = db().collection('bin');
    await bin.insertMany([
      { h: Buffer.from([0x80, 1]), n: 1 },
      { h: Buffer.from([0x81, 1]), n: 2 },
    ]);
    expect((await bin.find({ h: Buffer.from([0x81, 1]) }).toArray()).map((d) => d.n)).toEqual([2]);
  });

  it('duplicate _id in insertMany: ordered stops at the first error, unordered continues', async () => {
    const c = db().collection<AnyIdDoc>('dups');
    await c.insertOne({ _id: 'a' });
    const ordered = c.insertMany([{ _id: 'b' }, { _id: 'a' }, { _id: 'c' }]);
    await expect(ordered).rejects.toMatchObject({ code: 11000, writeErrors: [expect.objectContaining({ index: 1 })] });
    expect(await c.countDocuments()).toBe(2);
    const unordered = c.insertMany([{ _id: 'a' }, { _id: 'd' }, { _id: 'b' }], { ordered: false });
    await expect(unordered).rejects.toMatchObject({ code: 11000 });
    await unordered.catch((e: { writeErrors: Array<{ index: number }> }) => {
      expect(e.writeErrors.map((w) => w.index)).toEqual([0, 2]);
    });
    expect((await c.find({}).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual(['a', 'b', 'd']);
  });

  it('bulkWrite with mixed operations, and _id range pagination', async () => {
    const c = db().collection('bulk');
    const res = await c.bulkWrite([
      { insertOne: { document: { k: 1 } } },
      { insertOne: { document: { k: 2 } } },
      { updateOne: { filter: { k: 1 }, update: { $set: { seen: true } } } },
      { updateMany: { filter: {}, update: { $inc: { k: 10 } } } },
      { replaceOne: { filter: { k: 12 }, replacement: { k: 20 } } },
      { updateOne: { filter: { k: 99 }, update: { $set: { k: 99 } }, upsert: true } },
      { deleteOne: { filter: { k: 11 } } },
    ]);
    expect(res).toMatchObject({ insertedCount: 2, matchedCount: 4, modifiedCount: 4, deletedCount: 1, upsertedCount: 1 });
    expect((await c.find({}, { projection: { _id: 0 } }).toArray()).map((d) => d.k).sort()).toEqual([20, 99]);

    const page = db().collection('page');
    await page.insertMany(Array.from({ length: 10 }, (_, i) => ({ i })));
    const first = await page.find({}).sort({ _id: 1 }).limit(4).toArray();
    const last = first[first.length - 1];
    const next = await page
      .find({ _id: { $gt: last?._id } })
      .sort({ _id: 1 })
      .limit(4)
      .toArray();
    expect(next.map((d) => d.i)).toEqual([4, 5, 6, 7]);
  });

  it('admin helpers: serverStatus, getParameter, dbStats', async () => {
    const admin = h().client.db('admin');
    expect(await admin.command({ getParameter: 1, featureCompatibilityVersion: 1 })).toMatchObject({
      featureCompatibilityVersion: { version: expect.any(String) },
      ok: 1,
    });
    expect(await admin.admin().serverStatus()).toMatchObject({ ok: 1, connections: { current: expect.any(Number) } });
    const d = db();
    await d.collection('s').insertMany([{ a: 1 }, { a: 2 }]);
    expect(await d.stats()).toMatchObject({ collections: 1, objects: 2, ok: 1 });
    await expect(d.collection('s').watch().next()).rejects.toMatchObject({ code: 40573 });
  });

  it('unacknowledged (w: 0) writes are applied', async () => {
    const c = db().collection('w0');
    await c.insertOne({ x: 1 }, { writeConcern: { w: 0 } });
    await expect.poll(() => c.countDocuments()).toBe(1);
  });

  it('rejects unknown commands with CommandNotFound and transactions like a standalone mongod', async () => {
    const d = db();
    await expect(d.command({ frobnicate: 1 })).rejects.toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
      message: "no such command: 'frobnicate'",
    });
    await d.collection('tx').insertOne({ a: 1 });
    const session = h().client.startSession();
    try {
      session.startTransaction();
      // The driver rewrites mongod's code-20 reply into its "does not support retryable writes" hint.
      await expect(d.collection('tx').insertOne({ a: 2 }, { session })).rejects.toMatchObject({
        originalError: { code: 20, codeName: 'IllegalOperation' },
      });
    } finally {
      await session.endSession();
    }
  });
});
