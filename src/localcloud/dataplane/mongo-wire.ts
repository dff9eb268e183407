// The slice of the MongoDB wire protocol the simulated nodes speak: framing, OP_QUERY in,
// OP_REPLY out (the legacy handshake), OP_MSG both ways (everything else).
// Reference: https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/
import { deserialize, serialize, type Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

/** OP_MSG flagBits. */
const MSG_CHECKSUM_PRESENT = 1 << 0;
export const MSG_MORE_TO_COME = 1 << 1;
export const MSG_EXHAUST_ALLOWED = 1 << 16;

/** OP_REPLY responseFlags: AwaitCapable, as every mongod since 3.2 sets it. */
const REPLY_AWAIT_CAPABLE = 8;

const HEADER_LENGTH = 16;
/** Largest message a node accepts (mongod's maxMessageSizeBytes). */
export const MAX_MESSAGE_SIZE = 48_000_000;

export class WireProtocolError extends Error {
  override readonly name = 'WireProtocolError';
}

export interface MessageHeader {
  messageLength: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

/** A decoded request: a command document plus what the reply must echo or honour. */
export interface WireRequest {
  header: MessageHeader;
  /** OP_QUERY or OP_MSG. */
  opCode: typeof OP_QUERY | typeof OP_MSG;
  /** The command document (OP_QUERY's query, unwrapped from `$query`; OP_MSG's kind-0 body). */
  command: Document;
  /** OP_MSG flagBits (0 for OP_QUERY). */
  flagBits: number;
  /** OP_QUERY's full collection name (e.g. `admin.$cmd`); OP_MSG's `$db`. */
  namespace: string;
  /** Kind-1 document sequences of an OP_MSG, by identifier (accepted, unused by the simulated node). */
  sequences: Map<string, Document[]>;
}

/**
 * Splits a byte stream into whole messages. `push` bytes as they arrive; it returns every complete
 * message (header included) and keeps the remainder. Throws WireProtocolError as soon as a length
 * is impossible (below the 16-byte header, or above `maxMessageSize`), after which the connection
 * must be closed. Linear in the bytes pushed: chunks are kept in a list and each message is copied
 * once, when it is complete (a message inside one chunk is not copied at all).
 */
export class MessageFramer {
  private readonly chunks: Buffer[] = [];
  private bufferedBytes = 0;

  /** @param maxMessageSize the largest message accepted; default mongod's 48,000,000 bytes */
  constructor(private readonly maxMessageSize = MAX_MESSAGE_SIZE) {}

  /** Bytes held of a message not yet complete (0 between messages). */
  get buffered(): number {
    return this.bufferedBytes;
  }

  push(chunk: Buffer): Buffer[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.length;
    }
    const messages: Buffer[] = [];
    while (this.bufferedBytes >= 4) {
      const length = this.peekLength();
      if (length < HEADER_LENGTH || length > this.maxMessageSize) throw new WireProtocolError(`invalid message length ${length}`);
      if (this.bufferedBytes < length) break;
      messages.push(this.take(length));
    }
    return messages;
  }

  /** The int32 length at the front, which may straddle chunks. */
  private peekLength(): number {
    const first = this.chunks[0];
    if (first && first.length >= 4) return first.readInt32LE(0);
    const head = Buffer.alloc(4);
    let filled = 0;
    for (const chunk of this.chunks) {
      filled += chunk.copy(head, filled, 0, Math.min(chunk.length, 4 - filled));
      if (filled === 4) break;
    }
    return head.readInt32LE(0);
  }

  /** Removes the first `length` bytes (all buffered) as one Buffer. */
  private take(length: number): Buffer {
    this.bufferedBytes -= length;
    const first = this.chunks[0];
    if (first && first.length >= length) {
      if (first.length === length) this.chunks.shift();
      else this.chunks[0] = first.subarray(length);
      return first.subarray(0, length);
    }
    const out = Buffer.allocUnsafe(length);
    let filled = 0;
    let used = 0;
    while (filled < length) {
      const chunk = this.chunks[used];
      if (!chunk) throw new Error(`wire framing: ${length} bytes taken with only ${filled} buffered`);
      const n = Math.min(chunk.length, length - filled);
      chunk.copy(out, filled, 0, n);
      filled += n;
      if (n === chunk.length) used++;
      else this.chunks[used] = chunk.subarray(n);
    }
    this.chunks.splice(0, used);
    return out;
  }
}

function readHeader(message: Buffer): MessageHeader {
  return {
    messageLength: message.readInt32LE(0),
    requestId: message.readInt32LE(4),
    responseTo: message.readInt32LE(8),
    opCode: message.readInt32LE(12),
  };
}

/**
 * Decodes one framed request. Throws WireProtocolError for opcodes the simulated node does not
 * speak (OP_COMPRESSED is never negotiated: the node advertises no compressors), malformed
 * sections, or a wrong OP_MSG checksum.
 */
export function decodeRequest(message: Buffer): WireRequest {
  const header = readHeader(message);
  if (header.opCode === OP_QUERY) return decodeOpQuery(message, header);
  if (header.opCode === OP_MSG) return decodeOpMsg(message, header);
  throw new WireProtocolError(`unsupported opCode ${header.opCode}`);
}

function decodeOpQuery(message: Buffer, header: MessageHeader): WireRequest {
  let at = HEADER_LENGTH + 4; // flags
  const nameEnd = message.indexOf(0, at);
  if (nameEnd < 0) throw new WireProtocolError('OP_QUERY without a collection name');
  const namespace = message.toString('utf8', at, nameEnd);
  at = nameEnd + 1 + 8; // numberToSkip, numberToReturn
  const query = readDocument(message, at);
  const command = typeof query.$query === 'object' && query.$query !== null ? (query.$query as Document) : query;
  return { header, opCode: OP_QUERY, command, flagBits: 0, namespace, sequences: new Map() };
}

function decodeOpMsg(message: Buffer, header: MessageHeader): WireRequest {
  const flagBits = message.readUInt32LE(HEADER_LENGTH);
  let end = message.length;
  if (flagBits & MSG_CHECKSUM_PRESENT) {
    end -= 4;
    const expected = message.readUInt32LE(end);
    if (crc32c(message.subarray(0, end)) !== expected) throw new WireProtocolError('OP_MSG checksum mismatch');
  }
  let at = HEADER_LENGTH + 4;
  let body: Document | undefined;
  const sequences = new Map<string, Document[]>();
  while (at < end) {
    const kind = message[at++];
    if (kind === 0) {
      if (body) throw new WireProtocolError('OP_MSG with two kind-0 sections');
      body = readDocument(message, at);
      at += message.readInt32LE(at);
    } else if (kind === 1) {
      const size = message.readInt32LE(at);
      const sectionEnd = at + size;
      if (size < 5 || sectionEnd > end) throw new WireProtocolError('OP_MSG kind-1 section overruns the message');
      const nameEnd = message.indexOf(0, at + 4);
      if (nameEnd < 0 || nameEnd >= sectionEnd) throw new WireProtocolError('OP_MSG kind-1 section without an identifier');
      const documents: Document[] = [];
      let docAt = nameEnd + 1;
      while (docAt < sectionEnd) {
        documents.push(readDocument(message, docAt));
        docAt += message.readInt32LE(docAt);
      }
      sequences.set(message.toString('utf8', at + 4, nameEnd), documents);
      at = sectionEnd;
    } else {
      throw new WireProtocolError(`OP_MSG section kind ${kind} is unknown`);
    }
  }
  if (!body) throw new WireProtocolError('OP_MSG without a kind-0 body');
  const namespace = typeof body.$db === 'string' ? body.$db : '';
  return { header, opCode: OP_MSG, command: body, flagBits, namespace, sequences };
}

function readDocument(message: Buffer, at: number): Document {
  if (at + 5 > message.length) throw new WireProtocolError('document overruns the message');
  const size = message.readInt32LE(at);
  if (size < 5 || at + size > message.length) throw new WireProtocolError('document overruns the message');
  try {
    return deserialize(message.subarray(at, at + size), { promoteLongs: false });
  } catch (error) {
    throw new WireProtocolError(`invalid BSON: ${(error as Error).message}`);
  }
}

/** An OP_REPLY carrying one document (the answer to an OP_QUERY). */
export function encodeOpReply(requestId: number, responseTo: number, document: Document): Buffer {
  const body = serialize(document);
  const out = Buffer.alloc(HEADER_LENGTH + 20 + body.length);
  writeHeader(out, requestId, responseTo, OP_REPLY);
  out.writeInt32LE(REPLY_AWAIT_CAPABLE, 16);
  out.writeBigInt64LE(0n, 20); // cursorID
  out.writeInt32LE(0, 28); // startingFrom
  out.writeInt32LE(1, 32); // numberReturned
  out.set(body, 36);
  return out;
}

/** An OP_MSG with one kind-0 section (no checksum). */
export function encodeOpMsg(requestId: number, responseTo: number, document: Document, flagBits = 0): Buffer {
  const body = serialize(document);
  const out = Buffer.alloc(HEADER_LENGTH + 5 + body.length);
  writeHeader(out, requestId, responseTo, OP_MSG);
  out.writeUInt32LE(flagBits, 16);
  out[20] = 0;
  out.set(body, 21);
  return out;
}

/** An OP_MSG request (the same framing a driver uses); for tests and probes. */
export function encodeOpMsgRequest(requestId: number, document: Document, flagBits = 0, withChecksum = false): Buffer {
  const message = encodeOpMsg(requestId, 0, document, flagBits | (withChecksum ? MSG_CHECKSUM_PRESENT : 0));
  if (!withChecksum) return message;
  const out = Buffer.alloc(message.length + 4);
  message.copy(out);
  out.writeInt32LE(out.length, 0);
  out.writeUInt32LE(crc32c(out.subarray(0, message.length)), message.length);
  return out;
}

/** An OP_QUERY on `namespace` (what a driver sends for the legacy handshake); for tests and probes. */
export function encodeOpQuery(requestId: number, namespace: string, query: Document): Buffer {
  const name = Buffer.from(`${namespace}\0`, 'utf8');
  const body = serialize(query);
  const out = Buffer.alloc(HEADER_LENGTH + 4 + name.length + 8 + body.length);
  writeHeader(out, requestId, 0, OP_QUERY);
  out.writeInt32LE(0, 16);
  name.copy(out, 20);
  out.writeInt32LE(0, 20 + name.length);
  out.writeInt32LE(-1, 24 + name.length);
  out.set(body, 28 + name.length);
  return out;
}

/** Decodes a reply (OP_REPLY or OP_MSG) into its header, flags and first document; for tests and probes. */
export function decodeReply(message: Buffer): { header: MessageHeader; flagBits: number; document: Document } {
  const header = readHeader(message);
  if (header.opCode === OP_REPLY) {
    return { header, flagBits: message.readInt32LE(16), document: readDocument(message, 36) };
  }
  if (header.opCode === OP_MSG) return { header, flagBits: message.readUInt32LE(16), document: readDocument(message, 21) };
  throw new WireProtocolError(`unexpected reply opCode ${header.opCode}`);
}

function writeHeader(out: Buffer, requestId: number, responseTo: number, opCode: number): void {
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(opCode, 12);
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli), the OP_MSG checksum. */
function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  // The table has 256 entries and the index is masked to a byte.
  for (const byte of bytes) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
