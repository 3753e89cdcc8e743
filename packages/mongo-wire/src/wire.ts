// MongoDB wire protocol framing: splitting a TCP byte stream into messages,
// decoding OP_MSG / OP_QUERY requests and encoding OP_MSG / OP_REPLY replies.
// Layout reference: every message starts with a 16-byte header
// (messageLength, requestID, responseTo, opCode), all little-endian int32.
import { deserialize, serialize } from 'bson';
import { normalizeIncoming, type Doc } from './values.ts';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

/** OP_MSG flag bits. */
export const FLAG_CHECKSUM_PRESENT = 1 << 0;
export const FLAG_MORE_TO_COME = 1 << 1;

export const MAX_MESSAGE_SIZE = 48_000_000;
const HEADER_SIZE = 16;

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export class ProtocolError extends Error {}

/**
 * Accumulates socket chunks and yields complete messages. TCP may split a
 * message across chunks or pack several into one; chunks are only
 * concatenated once a whole message is available.
 */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private total = 0;

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.total += chunk.length;
    const messages: Buffer[] = [];
    while (this.total >= 4) {
      const length = this.peekLength();
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
        throw new ProtocolError(`invalid message length ${length}`);
      }
      if (this.total < length) break;
      const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.total);
      messages.push(all.subarray(0, length));
      const rest = all.subarray(length);
      this.chunks = rest.length ? [rest] : [];
      this.total = rest.length;
    }
    return messages;
  }

  private peekLength(): number {
    let first = this.chunks[0] as Buffer;
    if (first.length < 4) {
      first = Buffer.concat(this.chunks, this.total);
      this.chunks = [first];
    }
    return first.readInt32LE(0);
  }
}

export function readHeader(msg: Buffer): Header {
  return {
    length: msg.readInt32LE(0),
    requestId: msg.readInt32LE(4),
    responseTo: msg.readInt32LE(8),
    opCode: msg.readInt32LE(12),
  };
}

function readDoc(buf: Buffer, offset: number): { doc: Doc; end: number } {
  if (offset + 4 > buf.length) throw new ProtocolError('truncated BSON document');
  const size = buf.readInt32LE(offset);
  const end = offset + size;
  if (size < 5 || end > buf.length) throw new ProtocolError('invalid BSON document size');
  const doc = normalizeIncoming(deserialize(buf.subarray(offset, end))) as Doc;
  return { doc, end };
}

function readCString(buf: Buffer, offset: number): { value: string; end: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0) throw new ProtocolError('unterminated cstring');
  return { value: buf.toString('utf8', offset, zero), end: zero + 1 };
}

export interface OpMsgRequest {
  flags: number;
  /** The kind-0 body with every kind-1 document sequence merged in as an array field. */
  command: Doc;
}

export function parseOpMsg(msg: Buffer): OpMsgRequest {
  const flags = msg.readUInt32LE(HEADER_SIZE);
  // The optional CRC-32C trailer is not verified (TCP on loopback); just skip it.
  const end = flags & FLAG_CHECKSUM_PRESENT ? msg.length - 4 : msg.length;
  let offset = HEADER_SIZE + 4;
  let command: Doc | undefined;
  const sequences: Array<[string, Doc[]]> = [];
  while (offset < end) {
    const kind = msg[offset];
    offset += 1;
    if (kind === 0) {
      const r = readDoc(msg, offset);
      command = r.doc;
      offset = r.end;
    } else if (kind === 1) {
      const size = msg.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new ProtocolError('invalid document sequence size');
      const id = readCString(msg, offset + 4);
      const docs: Doc[] = [];
      let p = id.end;
      while (p < sectionEnd) {
        const r = readDoc(msg, p);
        docs.push(r.doc);
        p = r.end;
      }
      sequences.push([id.value, docs]);
      offset = sectionEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${String(kind)}`);
    }
  }
  if (!command) throw new ProtocolError('OP_MSG without a body section');
  for (const [field, docs] of sequences) command[field] = docs;
  return { flags, command };
}

export interface OpQueryRequest {
  flags: number;
  fullCollectionName: string;
  query: Doc;
}

export function parseOpQuery(msg: Buffer): OpQueryRequest {
  const flags = msg.readInt32LE(HEADER_SIZE);
  const name = readCString(msg, HEADER_SIZE + 4);
  // numberToSkip and numberToReturn (2 × int32) are irrelevant for commands.
  const { doc } = readDoc(msg, name.end + 8);
  return { flags, fullCollectionName: name.value, query: doc };
}

let nextRequestId = 1;
function requestId(): number {
  nextRequestId = (nextRequestId + 1) & 0x7fffffff;
  return nextRequestId;
}

const SERIALIZE_OPTIONS = { ignoreUndefined: true } as const;

/** OP_MSG reply: header, flagBits 0, one kind-0 section. */
export function encodeOpMsg(responseTo: number, doc: Doc): Buffer {
  const body = serialize(doc, SERIALIZE_OPTIONS);
  const out = Buffer.allocUnsafe(HEADER_SIZE + 4 + 1 + body.length);
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(requestId(), 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(OP_MSG, 12);
  out.writeUInt32LE(0, 16);
  out.writeUInt8(0, 20);
  out.set(body, 21);
  return out;
}

/** OP_REPLY (legacy handshake reply): header, flags, cursorId 0, startingFrom 0, numberReturned 1, doc. */
export function encodeOpReply(responseTo: number, doc: Doc, responseFlags = 0): Buffer {
  const body = serialize(doc, SERIALIZE_OPTIONS);
  const out = Buffer.allocUnsafe(HEADER_SIZE + 20 + body.length);
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(requestId(), 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(OP_REPLY, 12);
  out.writeInt32LE(responseFlags, 16);
  out.writeBigInt64LE(0n, 20);
  out.writeInt32LE(0, 28);
  out.writeInt32LE(1, 32);
  out.set(body, 36);
  return out;
}
