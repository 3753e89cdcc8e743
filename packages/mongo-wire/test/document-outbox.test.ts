// Compatibility checks: the official `mongodb` driver against the project's own wire-protocol
// server (packages/mongo-wire), not against a real mongod. These are the operations of the kit's
// document outbox (events waiting on the document they are about, see packages/kit/src/outbox.ts),
// with the answers mongod gives.
import type { Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { freshDbName, useWireServer } from './helpers.ts';

interface Pending {
  id: string;
  at: Date;
  event: Record<string, unknown>;
}
interface Doc {
  _id: string;
  name: string;
  history?: string[];
  pendingEvents?: Pending[];
}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
const pending = (id: string, minute: number): Pending => ({ id, at: at(minute), event: { type: 't', entityId: id } });

describe("mongo-wire (project's own MongoDB wire server, not mongod): the document outbox's operations", () => {
  const h = useWireServer();
  const db = (): Db => h().client.db(freshDbName('outbox'));

  it('pushes to two arrays in one findOneAndUpdate and returns the new document, though it no longer matches the filter, without the excluded field', async () => {
    const c = db().collection<Doc>('things');
    await c.insertOne({ _id: 'a', name: 'a' });
    const after = await c.findOneAndUpdate(
      { _id: 'a', name: 'a' },
      { $set: { name: 'b' }, $push: { history: 'renamed', pendingEvents: pending('e1', 1) } },
      { returnDocument: 'after', projection: { pendingEvents: 0 } },
    );
    expect(after).toEqual({ _id: 'a', name: 'b', history: ['renamed'] });
    expect((await c.findOne({ _id: 'a' }))?.pendingEvents).toEqual([pending('e1', 1)]);
  });

  it('finds documents with a non-empty array, oldest element first (an array sorts ascending by its smallest value)', async () => {
    const c = db().collection<Doc>('things');
    await c.insertMany([
      { _id: 'none', name: 'x' },
      { _id: 'empty', name: 'x', pendingEvents: [] },
      { _id: 'late', name: 'x', pendingEvents: [pending('l1', 9)] },
      { _id: 'later', name: 'x', pendingEvents: [pending('l2', 10)] },
      { _id: 'early', name: 'x', pendingEvents: [pending('e1', 2), pending('e2', 20)] },
      { _id: 'middle', name: 'x', pendingEvents: [pending('m2', 30), pending('m1', 5)] },
    ]);
    const found = await c
      .find({ 'pendingEvents.0': { $exists: true } }, { projection: { pendingEvents: 1 } })
      .sort({ 'pendingEvents.at': 1 })
      .limit(2)
      .toArray();
    expect(found.map((d) => d._id)).toEqual(['early', 'middle']);
    expect(found[0]).toEqual({ _id: 'early', pendingEvents: [pending('e1', 2), pending('e2', 20)] });
  });

  it('pulls one array element by a field of it, leaving the others in order', async () => {
    const c = db().collection<Doc>('things');
    await c.insertOne({ _id: 'a', name: 'a', pendingEvents: [pending('e1', 1), pending('e2', 2), pending('e3', 3)] });
    const pulled = await c.updateOne({ _id: 'a' }, { $pull: { pendingEvents: { id: 'e2' } } });
    expect(pulled.modifiedCount).toBe(1);
    expect((await c.findOne({ _id: 'a' }))?.pendingEvents?.map((p) => p.id)).toEqual(['e1', 'e3']);
    const again = await c.updateOne({ _id: 'a' }, { $pull: { pendingEvents: { id: 'e2' } } });
    expect(again.modifiedCount).toBe(0);
  });

  it('drops a field in an aggregation with $project exclusion before grouping $$ROOT', async () => {
    const c = db().collection<Doc>('things');
    await c.insertMany([
      { _id: 'a', name: 'n', pendingEvents: [pending('e1', 1)] },
      { _id: 'b', name: 'n' },
    ]);
    const groups = await c
      .aggregate([
        { $match: { name: 'n' } },
        { $project: { pendingEvents: 0 } },
        { $sort: { _id: 1 } },
        { $group: { _id: '$name', docs: { $push: '$$ROOT' } } },
      ])
      .toArray();
    expect(groups).toEqual([
      {
        _id: 'n',
        docs: [
          { _id: 'a', name: 'n' },
          { _id: 'b', name: 'n' },
        ],
      },
    ]);
  });

  it('creates a sparse index on an array-element path', async () => {
    const c = db().collection<Doc>('things');
    await c.createIndexes([{ key: { 'pendingEvents.at': 1 }, name: 'pending_events', sparse: true }]);
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toContain('pending_events');
  });
});
