// A strict decoder for the DNS queries an authoritative server receives (RFC 1035 §4.1). It does
// a bounded amount of work per byte of input: the section counts are checked against the message
// length before anything else is read, every name is decoded with at most 128 labels or pointer
// jumps, and records other than the questions are only skipped over (the OPT record is the one
// read, for the client's UDP payload size). A message that does not decode is a format error.

/** The header fields a reply echoes. */
export interface DnsQueryHeader {
  id: number;
  /** 1 when the message is itself a response (a server never answers those). */
  qr: number;
  opcode: number;
  rd: number;
}

export interface DnsQuestion {
  /** As sent (case kept), without the trailing dot; '' for the root. */
  name: string;
  type: number;
  class: number;
}

export interface DnsQuery {
  header: DnsQueryHeader;
  /** Exactly one: a query with any other count is refused as malformed. */
  questions: [DnsQuestion];
  /** The EDNS UDP payload size (RFC 6891 §6.2.3) when the query carries an OPT record. */
  udpPayloadSize?: number;
}

/**
 * The outcome of decoding: the query, or why the bytes are not one. `header` is set when at least
 * the 12-byte header was there, so the server can answer FORMERR with the query's id; without it,
 * drop. (A result rather than an exception: a flood of garbage must cost no stack traces.)
 */
export type DnsQueryDecoding = { ok: true; query: DnsQuery } | { ok: false; reason: string; header?: DnsQueryHeader };

const DNS_HEADER_LENGTH = 12;
/** Smallest question: the root name (1 byte) + type + class. */
const MIN_QUESTION_LENGTH = 5;
/** Smallest resource record: root name + type + class + TTL + rdlength. */
const MIN_RECORD_LENGTH = 11;
const TYPE_OPT = 41;
/** RFC 1035 §2.3.4: a name is at most 255 bytes, so at most 127 labels; a few more allows for pointers. */
const MAX_NAME_STEPS = 128;
const MAX_NAME_LENGTH = 255;

/**
 * Decodes one query. Pure, never throws, O(length of `bytes`). Not a query when the header's
 * counts cannot fit in the message, when a name or record overruns it or loops, when the question
 * count is not exactly 1 (as BIND and most authoritative servers require), or when bytes are left
 * over.
 */
export function decodeDnsQuery(bytes: Buffer): DnsQueryDecoding {
  if (bytes.length < DNS_HEADER_LENGTH) return { ok: false, reason: `DNS message of ${bytes.length} bytes is shorter than a header` };
  const flags = bytes.readUInt16BE(2);
  const header: DnsQueryHeader = { id: bytes.readUInt16BE(0), qr: flags >> 15, opcode: (flags >> 11) & 0x0f, rd: (flags >> 8) & 1 };
  const fail = (reason: string): DnsQueryDecoding => ({ ok: false, reason, header });
  const qdcount = bytes.readUInt16BE(4);
  const answerAndAuthority = bytes.readUInt16BE(6) + bytes.readUInt16BE(8);
  const recordCount = answerAndAuthority + bytes.readUInt16BE(10);
  // The bound that keeps a 12-byte header claiming 4 × 65535 records from costing anything.
  if (qdcount * MIN_QUESTION_LENGTH + recordCount * MIN_RECORD_LENGTH > bytes.length - DNS_HEADER_LENGTH) {
    return fail('DNS header counts more records than the message can hold');
  }
  if (qdcount !== 1) return fail(`DNS query with ${qdcount} questions (exactly 1 is supported)`);
  const name = readName(bytes, DNS_HEADER_LENGTH);
  if (typeof name === 'string') return fail(name);
  let at = name.next;
  if (at + 4 > bytes.length) return fail('DNS question overruns the message');
  const questions: [DnsQuestion] = [{ name: name.text, type: bytes.readUInt16BE(at), class: bytes.readUInt16BE(at + 2) }];
  at += 4;
  let udpPayloadSize: number | undefined;
  for (let i = 0; i < recordCount; i++) {
    const owner = readName(bytes, at);
    if (typeof owner === 'string') return fail(owner);
    at = owner.next;
    if (at + 10 > bytes.length) return fail('DNS record overruns the message');
    const type = bytes.readUInt16BE(at);
    const rdLength = bytes.readUInt16BE(at + 8);
    if (type === TYPE_OPT && i >= answerAndAuthority) udpPayloadSize = bytes.readUInt16BE(at + 2);
    at += 10 + rdLength;
    if (at > bytes.length) return fail('DNS record data overruns the message');
  }
  if (at !== bytes.length) return fail(`${bytes.length - at} bytes after the last DNS record`);
  return { ok: true, query: { header, questions, ...(udpPayloadSize !== undefined ? { udpPayloadSize } : {}) } };
}

/**
 * Reads a (possibly compressed) name at `start`: its text and the offset after it in the message,
 * or why it is not a name. A pointer must point strictly backwards, so a chain of them cannot loop.
 */
function readName(bytes: Buffer, start: number): { text: string; next: number } | string {
  const labels: string[] = [];
  let at = start;
  let next: number | undefined;
  let length = 1;
  let lowestTarget = start;
  for (let step = 0; step < MAX_NAME_STEPS; step++) {
    if (at >= bytes.length) return 'DNS name overruns the message';
    const size = bytes.readUInt8(at);
    if (size === 0) return { text: labels.join('.'), next: next ?? at + 1 };
    if ((size & 0xc0) === 0xc0) {
      if (at + 2 > bytes.length) return 'DNS name pointer overruns the message';
      const target = bytes.readUInt16BE(at) & 0x3fff;
      if (target >= lowestTarget) return 'DNS name pointer does not point backwards';
      next ??= at + 2;
      lowestTarget = target;
      at = target;
      continue;
    }
    if ((size & 0xc0) !== 0) return `DNS label type 0x${(size & 0xc0).toString(16)} is not supported`;
    length += size + 1;
    if (length > MAX_NAME_LENGTH) return 'DNS name longer than 255 bytes';
    if (at + 1 + size > bytes.length) return 'DNS label overruns the message';
    labels.push(bytes.toString('latin1', at + 1, at + 1 + size));
    at += 1 + size;
  }
  return 'DNS name has too many labels';
}

/**
 * The FORMERR reply (RFC 1035 §4.1.1, RCODE 1) to a query whose header could be read: same id
 * and opcode, `qr` set, no sections. Pure.
 */
export function encodeFormatErrorReply(header: DnsQueryHeader): Buffer {
  const out = Buffer.alloc(DNS_HEADER_LENGTH);
  out.writeUInt16BE(header.id, 0);
  out.writeUInt16BE(0x8000 | (header.opcode << 11) | (header.rd << 8) | 1, 2);
  return out;
}
