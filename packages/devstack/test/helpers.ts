import { execFileSync, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Snapshot process.env; the returned function restores it exactly. */
export function snapshotEnv(): () => void {
  const saved = { ...process.env };
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
}

/** Removes the given variables from process.env (call snapshotEnv first). */
export function unsetEnv(...names: string[]): void {
  for (const name of names) delete process.env[name];
}

/**
 * A fresh temp dir. Mode 0755 so that, when the tests run as root, the `postgres` OS user
 * (which runs the embedded server) can traverse it.
 */
export async function tempStateDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'devstack-test-'));
  await chmod(dir, 0o755);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Collects log lines. */
export function collectLog(): { log: (m: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { log: (m) => lines.push(m), lines };
}

/** Resolves true when a TCP connection to host:port succeeds. */
export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Sends raw bytes and resolves with what came back once `done(received)` says so. */
export function exchange(port: number, payload: Buffer | string, done: (received: Buffer) => boolean, host = '127.0.0.1'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host });
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete reply from ${host}:${port}; got ${JSON.stringify(received.toString('latin1'))}`));
    }, 5_000);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (done(received)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(received);
      }
    });
    socket.write(payload);
  });
}

export function portOf(url: string): number {
  const port = Number.parseInt(new URL(url).port, 10);
  if (!Number.isInteger(port)) throw new Error(`no port in ${url}`);
  return port;
}

/**
 * Spawns `sleep` and returns its pid plus a killer: a live process that is not postgres. When running as
 * root it runs as the `postgres` OS user, because postgres itself treats a pid it may not signal (EPERM)
 * as stale; only a same-user pid makes postgres refuse to start.
 */
export function liveUnrelatedProcess(): { pid: number; kill: () => void } {
  const asPostgres =
    process.getuid?.() === 0
      ? {
          uid: Number.parseInt(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }), 10),
          gid: Number.parseInt(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }), 10),
        }
      : {};
  const child = spawn('sleep', ['120'], { stdio: 'ignore', ...asPostgres });
  if (child.pid === undefined) throw new Error('could not spawn sleep');
  return { pid: child.pid, kill: () => child.kill('SIGKILL') };
}

/** A pid that no longer exists (a process that has already exited). */
export async function deadPid(): Promise<number> {
  const child = spawn('true', { stdio: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn true');
  await new Promise((r) => child.once('exit', r));
  return pid;
}

// ---------------------------------------------------------------------------------------------
// A hand-rolled MongoDB wire-protocol `ping` (OP_MSG), so the tests need no driver.

function bsonDocument(elements: Buffer[]): Buffer {
  const body = Buffer.concat([...elements, Buffer.from([0])]);
  const len = Buffer.alloc(4);
  len.writeInt32LE(body.length + 4);
  return Buffer.concat([len, body]);
}

function bsonInt32(key: string, value: number): Buffer {
  const v = Buffer.alloc(4);
  v.writeInt32LE(value);
  return Buffer.concat([Buffer.from([0x10]), Buffer.from(`${key}\0`), v]);
}

function bsonString(key: string, value: string): Buffer {
  const s = Buffer.from(`${value}\0`);
  const len = Buffer.alloc(4);
  len.writeInt32LE(s.length);
  return Buffer.concat([Buffer.from([0x02]), Buffer.from(`${key}\0`), len, s]);
}

/** Reads the top-level numeric field `key` of a BSON document (double / int32 / int64). */
function bsonNumber(doc: Buffer, key: string): number | undefined {
  let i = 4;
  while (i < doc.length && doc[i] !== 0) {
    const type = doc[i] as number;
    const nameEnd = doc.indexOf(0, i + 1);
    const name = doc.toString('utf8', i + 1, nameEnd);
    let p = nameEnd + 1;
    const fixed: Record<number, number> = { 0x01: 8, 0x07: 12, 0x08: 1, 0x09: 8, 0x0a: 0, 0x10: 4, 0x11: 8, 0x12: 8, 0x13: 16 };
    if (name === key) {
      if (type === 0x01) return doc.readDoubleLE(p);
      if (type === 0x10) return doc.readInt32LE(p);
      if (type === 0x12) return Number(doc.readBigInt64LE(p));
      return undefined;
    }
    if (type in fixed) p += fixed[type] as number;
    else if (type === 0x02 || type === 0x0d || type === 0x0e) p += 4 + doc.readInt32LE(p);
    else if (type === 0x03 || type === 0x04) p += doc.readInt32LE(p);
    else if (type === 0x05) p += 5 + doc.readInt32LE(p);
    else return undefined;
    i = p;
  }
  return undefined;
}

/** Sends `{ ping: 1, $db: 'admin' }` as OP_MSG and returns the reply's `ok` value. */
export async function mongoPing(port: number): Promise<number | undefined> {
  const doc = bsonDocument([bsonInt32('ping', 1), bsonString('$db', 'admin')]);
  const header = Buffer.alloc(16);
  const flagsAndKind = Buffer.from([0, 0, 0, 0, 0]);
  header.writeInt32LE(16 + flagsAndKind.length + doc.length, 0);
  header.writeInt32LE(1, 4); // requestID
  header.writeInt32LE(0, 8); // responseTo
  header.writeInt32LE(2013, 12); // OP_MSG
  const reply = await exchange(port, Buffer.concat([header, flagsAndKind, doc]), (b) => b.length >= 4 && b.length >= b.readInt32LE(0));
  if (reply.readInt32LE(12) !== 2013) throw new Error(`expected an OP_MSG reply, got opCode ${reply.readInt32LE(12)}`);
  if (reply.readInt32LE(8) !== 1) throw new Error('reply does not answer request 1');
  if (reply[20] !== 0) throw new Error(`expected a body section, got kind ${reply[20]}`);
  return bsonNumber(reply.subarray(21), 'ok');
}
