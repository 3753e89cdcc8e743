// @pathway/mongo-wire: an in-memory MongoDB stand-in that speaks the wire
// protocol, so the official `mongodb` driver connects with a plain
// mongodb://host:port URL. Used where no real mongod can be installed.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { runCommand, type CommandContext, type ServerState } from './commands.ts';
import { CursorRegistry } from './cursors.ts';
import { errorReply } from './errors.ts';
import { Store } from './store.ts';
import { isPlainObject, type Doc } from './values.ts';
import {
  encodeOpMsg,
  encodeOpReply,
  FLAG_MORE_TO_COME,
  MessageFramer,
  OP_MSG,
  OP_QUERY,
  parseOpMsg,
  parseOpQuery,
  readHeader,
} from './wire.ts';

export interface MongoWireServerOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
}

export interface MongoWireServer {
  /** mongodb:// URL for the driver. */
  url: string;
  port: number;
  /** Closes the listener and every open connection; data is discarded. */
  close(): Promise<void>;
}

const OP_REPLY_QUERY_FAILURE = 1 << 1;

export async function startMongoWireServer(opts: MongoWireServerOptions = {}): Promise<MongoWireServer> {
  const host = opts.host ?? '127.0.0.1';
  const state: ServerState = {
    store: new Store(),
    cursors: new CursorRegistry(),
    startedAt: Date.now(),
    connections: { current: 0, totalCreated: 0 },
  };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      state.connections.current--;
    });
    state.connections.current++;
    serveConnection(socket, state, ++state.connections.totalCreated);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    state.cursors.dispose();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  // TTL indexes (expireAfterSeconds) are enforced on mongod's schedule: a sweep every 60 s.
  const ttlMonitor = setInterval(() => state.store.expire(Date.now()), 60_000);
  ttlMonitor.unref();

  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `mongodb://${urlHost}:${port}`,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        clearInterval(ttlMonitor);
        state.cursors.dispose();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      })),
  };
}

function serveConnection(socket: net.Socket, state: ServerState, connectionId: number): void {
  socket.setNoDelay(true);
  const framer = new MessageFramer();
  const peer = `${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`;
  const context = (db: string): CommandContext => ({ ...state, db, connectionId, peer });

  socket.on('data', (chunk: Buffer) => {
    try {
      for (const msg of framer.push(chunk)) {
        const reply = handleMessage(msg, context);
        if (reply) socket.write(reply);
      }
    } catch {
      // Unparseable framing: the stream can't be resynchronised, so drop the connection.
      socket.destroy();
    }
  });
  socket.on('error', () => socket.destroy());
}

/** Decodes one request and returns the encoded reply, or undefined when none is expected. */
function handleMessage(msg: Buffer, context: (db: string) => CommandContext): Buffer | undefined {
  const header = readHeader(msg);
  if (header.opCode === OP_MSG) {
    const { flags, command } = parseOpMsg(msg);
    const db = command.$db;
    const reply =
      typeof db === 'string' && db
        ? runCommand(command, context(db))
        : errorReply(new Error("OP_MSG command is missing the required '$db' field"));
    // moreToCome on a request (w:0 writes) means the client does not read a reply.
    if (flags & FLAG_MORE_TO_COME) return undefined;
    try {
      return encodeOpMsg(header.requestId, reply);
    } catch (err) {
      // e.g. a reply document over the BSON size limit: report it instead of dropping the connection.
      return encodeOpMsg(header.requestId, errorReply(err));
    }
  }
  if (header.opCode === OP_QUERY) {
    // Legacy OP_QUERY is only used for the first handshake (isMaster on admin.$cmd).
    const { fullCollectionName, query } = parseOpQuery(msg);
    const dot = fullCollectionName.indexOf('.');
    const db = fullCollectionName.slice(0, dot);
    if (dot <= 0 || fullCollectionName.slice(dot + 1) !== '$cmd') {
      return encodeOpReply(header.requestId, { $err: 'OP_QUERY is only supported for commands', code: 352, ok: 0 }, OP_REPLY_QUERY_FAILURE);
    }
    const cmd: Doc = isPlainObject(query.$query) ? query.$query : query;
    return encodeOpReply(header.requestId, runCommand(cmd, context(db)));
  }
  // OP_COMPRESSED is never negotiated (no `compression` in hello); legacy CRUD opcodes were removed in MongoDB 6.
  throw new Error(`unsupported opcode ${header.opCode}`);
}
