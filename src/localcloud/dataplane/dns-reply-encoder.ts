// Encodes the replies of the authoritative DNS server (RFC 1035 §4.1): header, the question, and
// answer records of the types privlink serves, with name compression (§4.1.4). One pass over one
// 64 KiB buffer, so a reply costs time linear in its size.
import { isIPv4 } from 'node:net';
import type { DnsQueryHeader, DnsQuestion } from './dns-query-decoder.js';
import { ipv6ToBytes } from './ipv6-text.js';

export type DnsRecord =
  | { type: 'A'; address: string; ttl?: number }
  | { type: 'AAAA'; address: string; ttl?: number }
  | { type: 'SRV'; target: string; port: number; priority?: number; weight?: number; ttl?: number }
  /** One TXT record; a string longer than 255 bytes is split into several character-strings. */
  | { type: 'TXT'; data: string | string[]; ttl?: number }
  | { type: 'CNAME'; domain: string; ttl?: number }
  /** A zone's start of authority (RFC 1035 §3.3.13); sent in the authority section of NODATA and NXDOMAIN replies (RFC 2308 §3). */
  | { type: 'SOA'; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number; ttl?: number };

export type DnsRecordType = DnsRecord['type'];

/** Type codes by name (IANA DNS parameters), for the types queries commonly ask. */
const DNS_TYPE_CODES: Readonly<Record<DnsRecordType, number> & Record<string, number>> = Object.freeze({
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  OPT: 41,
  DS: 43,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  SVCB: 64,
  HTTPS: 65,
  ANY: 255,
  CAA: 257,
});
const TYPE_NAMES = new Map<number, string>(Object.entries(DNS_TYPE_CODES).map(([name, code]) => [code, name]));

/** A question type's name: 'A', 'SRV', 'ANY', …, or `TYPE<n>` (RFC 3597) for the others. */
export function dnsTypeName(code: number): string {
  return TYPE_NAMES.get(code) ?? `TYPE${code}`;
}

export const DNS_RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export interface DnsReply {
  /** The query's header (id, opcode, rd are echoed). */
  header: DnsQueryHeader;
  rcode: number;
  question: DnsQuestion;
  /** Answer records, owned by `name` (written as the question spells it), TTL already chosen. */
  answers: Array<{ name: string; ttl: number; record: DnsRecord }>;
  /** Authority records (the zone's SOA on NODATA and NXDOMAIN), owner name and TTL chosen. */
  authority?: Array<{ name: string; ttl: number; record: DnsRecord }>;
  /** The `aa` bit; default true. A REFUSED reply for a name outside our zones is not authoritative. */
  authoritative?: boolean;
}

/** The largest message this encoder writes (a TCP length prefix's maximum). */
const MAX_MESSAGE = 0xffff;
const CLASS_IN = 1;

class MessageOverflow extends Error {}

/**
 * Encodes `reply` within `limit` bytes (≤ 65535). A reply that does not fit is sent as RFC 1035
 * §4.2.1 says: TC set, the question only, so the client retries over TCP. Answers are
 * authoritative (`aa`), recursion not available. Throws on a record that cannot be encoded
 * (an invalid address), which the server turns into SERVFAIL.
 */
export function encodeDnsReply(reply: DnsReply, limit: number): Buffer {
  const max = Math.min(limit, MAX_MESSAGE);
  try {
    const writer = new MessageWriter(max);
    const authority = reply.authority ?? [];
    writeHeader(writer, reply, reply.answers.length, authority.length, false);
    writeQuestion(writer, reply.question);
    for (const answer of reply.answers) writeRecord(writer, answer.name, answer.ttl, answer.record);
    for (const record of authority) writeRecord(writer, record.name, record.ttl, record.record);
    return writer.bytes();
  } catch (error) {
    if (!(error instanceof MessageOverflow)) throw error;
  }
  const writer = new MessageWriter(MAX_MESSAGE);
  writeHeader(writer, reply, 0, 0, true);
  writeQuestion(writer, reply.question);
  return writer.bytes().subarray(0, max);
}

function writeHeader(writer: MessageWriter, reply: DnsReply, answers: number, authority: number, truncated: boolean): void {
  const { header } = reply;
  writer.u16(header.id);
  // qr=1, opcode, aa (default 1), tc, rd echoed, ra=0, z=0, rcode
  const aa = reply.authoritative === false ? 0 : 0x0400;
  writer.u16(0x8000 | (header.opcode << 11) | aa | (truncated ? 0x0200 : 0) | (header.rd << 8) | (reply.rcode & 0x0f));
  writer.u16(1);
  writer.u16(answers);
  writer.u16(authority);
  writer.u16(0);
}

function writeQuestion(writer: MessageWriter, question: DnsQuestion): void {
  writer.name(question.name, true);
  writer.u16(question.type);
  writer.u16(question.class);
}

function writeRecord(writer: MessageWriter, name: string, ttl: number, record: DnsRecord): void {
  writer.name(name, true);
  writer.u16(DNS_TYPE_CODES[record.type]);
  writer.u16(CLASS_IN);
  writer.u32(Math.max(0, Math.min(Math.trunc(ttl), 0x7fffffff)));
  const lengthAt = writer.reserve16();
  switch (record.type) {
    case 'A':
      if (!isIPv4(record.address)) throw new Error(`A record address ${record.address} is not IPv4`);
      for (const part of record.address.split('.')) writer.u8(Number(part));
      break;
    case 'AAAA':
      writer.raw(ipv6ToBytes(record.address));
      break;
    case 'CNAME':
      writer.name(record.domain, true);
      break;
    case 'SRV':
      writer.u16(record.priority ?? 0);
      writer.u16(record.weight ?? 0);
      writer.u16(record.port);
      // RFC 2782: the target is not compressed.
      writer.name(record.target, false);
      break;
    case 'SOA':
      writer.name(record.mname, true);
      writer.name(record.rname, true);
      for (const value of [record.serial, record.refresh, record.retry, record.expire, record.minimum]) writer.u32(value);
      break;
    case 'TXT':
      for (const text of Array.isArray(record.data) ? record.data : [record.data]) {
        for (const part of characterStrings(text)) {
          writer.u8(part.length);
          writer.raw(part);
        }
      }
      break;
  }
  writer.patch16(lengthAt, writer.length - lengthAt - 2);
}

/** RFC 1035 §3.3: a character-string holds at most 255 bytes. */
function characterStrings(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 255) parts.push(bytes.subarray(at, at + 255));
  return parts.length > 0 ? parts : [Buffer.alloc(0)];
}

/** Scratch space shared by every reply: encoding is synchronous, and `bytes()` copies out. */
const SCRATCH = Buffer.allocUnsafe(MAX_MESSAGE);

/** Appends to the scratch buffer; throws MessageOverflow past `max`. Remembers name suffixes for compression. */
class MessageWriter {
  private readonly buffer = SCRATCH;
  private at = 0;
  private readonly suffixes = new Map<string, number>();

  constructor(private readonly max: number) {}

  get length(): number {
    return this.at;
  }

  bytes(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.at));
  }

  private room(size: number): void {
    if (this.at + size > this.max) throw new MessageOverflow();
  }

  u8(value: number): void {
    this.room(1);
    this.buffer[this.at++] = value & 0xff;
  }

  u16(value: number): void {
    this.room(2);
    this.buffer.writeUInt16BE(value & 0xffff, this.at);
    this.at += 2;
  }

  u32(value: number): void {
    this.room(4);
    this.buffer.writeUInt32BE(value >>> 0, this.at);
    this.at += 4;
  }

  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buffer.set(bytes, this.at);
    this.at += bytes.length;
  }

  reserve16(): number {
    this.u16(0);
    return this.at - 2;
  }

  patch16(at: number, value: number): void {
    this.buffer.writeUInt16BE(value, at);
  }

  /** Writes a name (no trailing dot needed); with `compress`, reuses an earlier suffix spelled the same way by pointer. */
  name(name: string, compress: boolean): void {
    const labels = name
      .replace(/\.$/, '')
      .split('.')
      .filter((label) => label.length > 0);
    for (const [i, label] of labels.entries()) {
      const suffix = labels.slice(i).join('.');
      const earlier = compress ? this.suffixes.get(suffix) : undefined;
      if (earlier !== undefined) {
        this.u16(0xc000 | earlier);
        return;
      }
      if (compress && this.at < 0x4000) this.suffixes.set(suffix, this.at);
      const bytes = Buffer.from(label, 'latin1');
      if (bytes.length > 63) throw new Error(`DNS label "${label}" is longer than 63 bytes`);
      this.u8(bytes.length);
      this.raw(bytes);
    }
    this.u8(0);
  }
}
