// Unit checks of the storage layer of the project's own wire server (not mongod):
// canonical keys, TTL expiry and copy-on-write storage.
import { Binary, ObjectId, UUID } from 'bson';
import { describe, expect, it } from 'vitest';
import { Collection } from '../src/collection.ts';
import { canon, ExactBinary, normalizeIncoming } from '../src/values.ts';

describe("mongo-wire (project's own MongoDB wire server, not mongod): storage layer", () => {
  it('canonical keys compare BSON values by value', () => {
    const oid = new ObjectId();
    expect(canon(new ObjectId(oid.toHexString()))).toBe(canon(oid));
    expect(canon(new ObjectId())).not.toBe(canon(oid));
    const u = new UUID();
    expect(canon(new UUID(u.toHexString()))).toBe(canon(u));
    expect(canon(1)).toBe(canon(1.0));
    expect(canon('1')).not.toBe(canon(1));
    expect(canon(null)).toBe(canon(undefined));
    expect(canon({ a: 1, b: 2 })).not.toBe(canon({ b: 2, a: 1 })); // field order matters, as in MongoDB
    expect(canon(new Date(5))).toBe(canon(new Date(5)));
  });

  it('replaces Binary with an exact-comparing subclass', () => {
    const doc = normalizeIncoming({ a: new Binary(Buffer.from([0x80])), b: [new Binary(Buffer.from([0x81]))] }) as {
      a: Binary;
      b: Binary[];
    };
    expect(doc.a).toBeInstanceOf(ExactBinary);
    expect(String(doc.a)).not.toBe(String(doc.b[0]));
  });

  it('copies documents in and expires TTL-indexed documents', () => {
    const c = new Collection('db', 'sessions');
    c.createIndex({ key: { at: 1 }, name: 'at_1', expireAfterSeconds: 60 });
    const input = { _id: 's1', at: new Date(1_000), nested: { x: 1 } };
    const stored = c.insert(input);
    input.nested.x = 2;
    expect(stored.nested).toEqual({ x: 1 });
    c.insert({ _id: 's2', at: new Date(100_000) });
    c.insert({ _id: 's3' });
    expect(c.expire(61_000)).toBe(1);
    expect([...c.all()].map((d) => d._id)).toEqual(['s2', 's3']);
  });
});
