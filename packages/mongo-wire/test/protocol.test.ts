// Wire-level checks of the project's own MongoDB wire server (not mongod):
// framing across TCP chunk boundaries, OP_QUERY handshake, OP_MSG document
// sequences, requestID/responseTo, and the driver's heartbeat monitor.
import net from 'node:net';
import { BSON, Long } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoWireServer, type MongoWireServer } from '../src/index.ts';
import { MessageFramer, OP_MSG, OP_QUERY, OP_REPLY } from '../src/wire.ts';

function header(length: number, requestId: number, opCode: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32LE(length, 0);
  b.writeInt32LE(requestId, 4);
  b.writeInt32LE(0, 8);
  b.writeInt32LE(opCode, 12);
  return b;
}

function opMsg(requestId: number, body: BSON.Document, sequences: Record<string, BSON.Document[]> = {}): Buffer {
  const parts: Buffer[] = [Buffer.alloc(4), Buffer.from([0]), Buffer.from(BSON.serialize(body))];
  for (const [id, docs] of Object.entries(sequences)) {
    const payload = Buffer.concat([Buffer.from(`${id}\0`), ...docs.map((d) => Buffer.from(BSON.serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + payload.length);
    parts.push(Buffer.from([1]), size, payload);
  }
  const rest = Buffer.concat(parts);
  return Buffer.concat([header(16 + rest.length, requestId, OP_MSG), rest]);
}

function opQuery(requestId: number, ns: string, query: BSON.Document): Buffer {
  const flags = Buffer.alloc(4);
  const skipReturn = Buffer.alloc(8);
  skipReturn.writeInt32LE(-1, 4);
  const rest = Buffer.concat([flags, Buffer.from(`${ns}\0`), skipReturn, Buffer.from(BSON.serialize(query))]);
  return Buffer.concat([header(16 + rest.length, requestId, OP_QUERY), rest]);
}

interface Reply {
  requestId: number;
  responseTo: number;
  opCode: number;
  doc: BSON.Document;
}

/** Raw TCP client: writes bytes in arbitrary chunks and collects decoded replies. */
class RawClient {
  private readonly framer = new MessageFramer();
  private readonly replies: Reply[] = [];
  private waiters: Array<() => void> = [];
  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const m of this.framer.push(chunk)) {
        const opCode = m.readInt32LE(12);
        const docStart = opCode === OP_MSG ? 21 : 36;
        this.replies.push({
          requestId: m.readInt32LE(4),
          responseTo: m.readInt32LE(8),
          opCode,
          doc: BSON.deserialize(m.subarray(docStart), { promoteLongs: false }),
        });
      }
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawClient(socket);
  }

  async write(...chunks: Buffer[]): Promise<void> {
    for (const c of chunks) {
      await new Promise<void>((resolve) => this.socket.write(c, () => resolve()));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async waitFor(count: number): Promise<Reply[]> {
    while (this.replies.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.replies.splice(0, count);
  }

  close(): void {
    this.socket.destroy();
  }
}

describe("mongo-wire (project's own MongoDB wire server, not mongod): wire protocol", () => {
  let server: MongoWireServer;
  beforeAll(async () => {
    server = await startMongoWireServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('MessageFramer splits and joins messages across chunk boundaries', () => {
    const a = opMsg(1, { ping: 1, $db: 'admin' });
    const b = opMsg(2, { ping: 1, $db: 'admin' });
    const framer = new MessageFramer();
    const joined = Buffer.concat([a, b]);
    const out: Buffer[] = [];
    for (let i = 0; i < joined.length; i += 3) out.push(...framer.push(joined.subarray(i, i + 3)));
    expect(out.map((m) => m.readInt32LE(4))).toEqual([1, 2]);
    expect(Buffer.concat(out).equals(joined)).toBe(true);
    expect(new MessageFramer().push(joined)).toHaveLength(2);
  });

  it('answers a legacy OP_QUERY isMaster with OP_REPLY', async () => {
    const raw = await RawClient.connect(server.port);
    try {
      await raw.write(opQuery(77, 'admin.$cmd', { isMaster: 1, helloOk: true, client: { driver: { name: 'raw' } } }));
      const [reply] = await raw.waitFor(1);
      expect(reply).toMatchObject({ responseTo: 77, opCode: OP_REPLY });
      expect(reply?.doc).toMatchObject({ ismaster: true, helloOk: true, ok: 1, maxWireVersion: expect.any(Number) });
      expect(reply?.doc.localTime).toBeInstanceOf(Date);
    } finally {
      raw.close();
    }
  });

  it('handles byte-at-a-time writes and several messages in one chunk', async () => {
    const raw = await RawClient.connect(server.port);
    try {
      const first = opMsg(10, { ping: 1, $db: 'admin' });
      await raw.write(...[...first].map((byte) => Buffer.from([byte])));
      const [r1] = await raw.waitFor(1);
      expect(r1).toMatchObject({ responseTo: 10, opCode: OP_MSG, doc: { ok: 1 } });

      await raw.write(
        Buffer.concat([opMsg(11, { ping: 1, $db: 'admin' }), opMsg(12, { nope: 1, $db: 'admin' }), opMsg(13, { ping: 1, $db: 'admin' })]),
      );
      const replies = await raw.waitFor(3);
      expect(replies.map((r) => r.responseTo)).toEqual([11, 12, 13]);
      expect(replies[1]?.doc).toEqual({ ok: 0, errmsg: "no such command: 'nope'", code: 59, codeName: 'CommandNotFound' });
      expect(new Set(replies.map((r) => r.requestId)).size).toBe(3);
    } finally {
      raw.close();
    }
  });

  it('accepts kind-1 document sequences (e.g. insert documents) and returns Int64 cursor ids', async () => {
    const raw = await RawClient.connect(server.port);
    try {
      const docs = Array.from({ length: 5 }, (_, i) => ({ _id: i, v: `d${i}` }));
      await raw.write(opMsg(20, { insert: 'seq', $db: 'rawdb' }, { documents: docs }));
      const [ins] = await raw.waitFor(1);
      expect(ins?.doc).toEqual({ n: 5, ok: 1 });
      await raw.write(opMsg(21, { find: 'seq', filter: {}, batchSize: 2, $db: 'rawdb' }));
      const [found] = await raw.waitFor(1);
      const cursor = found?.doc.cursor as { id: unknown; ns: string; firstBatch: unknown[] };
      expect(cursor.ns).toBe('rawdb.seq');
      expect(cursor.firstBatch).toHaveLength(2);
      // Replies are decoded without Long promotion, so this checks the id is an Int64 on the wire.
      expect(cursor.id).toBeInstanceOf(Long);
      expect((cursor.id as Long).isZero()).toBe(false);
      await raw.write(opMsg(22, { getMore: cursor.id, collection: 'seq', $db: 'rawdb' }));
      const [more] = await raw.waitFor(1);
      const next = more?.doc.cursor as { id: unknown; nextBatch: unknown[] };
      expect(next.nextBatch).toHaveLength(3);
      expect(next.id).toBeInstanceOf(Long);
      expect((next.id as Long).isZero()).toBe(true);
    } finally {
      raw.close();
    }
  });

  it('keeps serving the driver across heartbeat (hello over OP_MSG) cycles', async () => {
    const client = new MongoClient(server.url, { heartbeatFrequencyMS: 500, serverSelectionTimeoutMS: 5_000 });
    const heartbeats: unknown[] = [];
    client.on('serverHeartbeatSucceeded', (e) => heartbeats.push(e));
    await client.connect();
    try {
      await expect.poll(() => heartbeats.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
      expect(await client.db('hb').command({ ping: 1 })).toEqual({ ok: 1 });
    } finally {
      await client.close();
    }
  });

  it('close() disconnects clients', async () => {
    const other = await startMongoWireServer();
    const raw = await RawClient.connect(other.port);
    const closed = new Promise<void>((resolve) => (raw as unknown as { socket: net.Socket }).socket.once('close', () => resolve()));
    await other.close();
    await closed;
  });
});
