// PROXY protocol version 2 (binary): encode, decode, and read a header off a socket.
//
// The gateway writes one header in front of every forwarded connection, as an AWS Network Load
// Balancer does with proxy protocol v2 enabled: the client's address and, in a TLV of type 0xEA
// subtype 0x01, the id of the VPC endpoint the connection came through. A node behind the gateway
// reads it to learn which private endpoint a connection belongs to (its horizon, its
// authorisation). Spec: https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt §2.2.
import { isIPv4, type Socket } from 'node:net';
import { bytesToIpv6, ipv6ToBytes } from './ipv6-text.js';

/** The 12-byte signature every v2 header starts with. */
export const PROXY_V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
/** Signature + version/command + family/transport + 2-byte length. */
const PROXY_V2_FIXED_LENGTH = 16;

/** TLV type AWS uses for its own values (PP2_TYPE_AWS); subtype 0x01 is the VPC endpoint id. */
const PP2_TYPE_AWS = 0xea;
const PP2_SUBTYPE_AWS_VPCE_ID = 0x01;
/** TLV type Azure Private Link uses (PP2_TYPE_AZURE); subtype 0x01 is the LinkID (uint32 LE). */
const PP2_TYPE_AZURE = 0xee;
const PP2_SUBTYPE_AZURE_PRIVATEENDPOINT_LINKID = 0x01;
/** TLV type Google Cloud Private Service Connect uses: the PSC connection id, uint64 big-endian, no subtype. */
const PP2_TYPE_GCP = 0xe0;

/** `PROXY`: the addresses are the real client's; `LOCAL`: a health check, use the socket's own. */
export type ProxyCommand = 'LOCAL' | 'PROXY';
/** Address family and transport, as the header's 14th byte says. */
export type ProxyTransport = 'UNSPEC' | 'TCP4' | 'UDP4' | 'TCP6' | 'UDP6' | 'UNIX_STREAM' | 'UNIX_DGRAM';

export interface ProxyEndpoint {
  /** IPv4 dotted quad, IPv6 (RFC 5952 text), or a UNIX socket path. */
  address: string;
  /** 0 for UNIX sockets. */
  port: number;
}

/** One type-length-value extension. `value` is the raw bytes after the 3-byte TLV header. */
export interface ProxyTlv {
  type: number;
  value: Buffer;
}

export interface ProxyHeader {
  command: ProxyCommand;
  transport: ProxyTransport;
  /** Absent when transport is UNSPEC. */
  source?: ProxyEndpoint;
  destination?: ProxyEndpoint;
  tlvs: ProxyTlv[];
}

export type ProxyProtocolErrorCode = 'BAD_SIGNATURE' | 'BAD_VERSION' | 'BAD_COMMAND' | 'BAD_FAMILY' | 'BAD_LENGTH' | 'BAD_TLV' | 'BAD_ADDRESS' | 'TIMEOUT' | 'CLOSED';

/** Thrown (or rejected) when bytes are not a valid v2 header, or the socket gave up before one arrived. */
export class ProxyProtocolError extends Error {
  override readonly name = 'ProxyProtocolError';
  constructor(
    readonly code: ProxyProtocolErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const TRANSPORT_BYTES: Record<ProxyTransport, number> = {
  UNSPEC: 0x00,
  TCP4: 0x11,
  UDP4: 0x12,
  TCP6: 0x21,
  UDP6: 0x22,
  UNIX_STREAM: 0x31,
  UNIX_DGRAM: 0x32,
};
const TRANSPORT_BY_BYTE = new Map<number, ProxyTransport>(Object.entries(TRANSPORT_BYTES).map(([name, byte]) => [byte, name as ProxyTransport]));
const ADDRESS_LENGTH: Record<ProxyTransport, number> = {
  UNSPEC: 0,
  TCP4: 12,
  UDP4: 12,
  TCP6: 36,
  UDP6: 36,
  UNIX_STREAM: 216,
  UNIX_DGRAM: 216,
};

/**
 * Encodes a v2 header. Pure; throws ProxyProtocolError('BAD_ADDRESS') when an address does not
 * fit the transport (e.g. an IPv6 text for TCP4) and ('BAD_LENGTH') when TLVs exceed 64 KiB.
 *
 * @example encodeProxyV2({ command: 'PROXY', transport: 'TCP4', source: { address: '10.0.0.5',
 *   port: 51000 }, destination: { address: '10.0.1.9', port: 1024 }, tlvs: [awsVpceIdTlv('vpce-0a1b2c3d4e5f60718')] })
 */
export function encodeProxyV2(header: ProxyHeader): Buffer {
  const addressLength = ADDRESS_LENGTH[header.transport];
  const tlvLength = header.tlvs.reduce((sum, tlv) => sum + 3 + tlv.value.length, 0);
  const bodyLength = addressLength + tlvLength;
  if (bodyLength > 0xffff) throw new ProxyProtocolError('BAD_LENGTH', `PROXY v2 body of ${bodyLength} bytes exceeds 65535`);
  const out = Buffer.alloc(PROXY_V2_FIXED_LENGTH + bodyLength);
  PROXY_V2_SIGNATURE.copy(out, 0);
  out[12] = 0x20 | (header.command === 'PROXY' ? 0x01 : 0x00);
  out[13] = TRANSPORT_BYTES[header.transport];
  out.writeUInt16BE(bodyLength, 14);
  let at = PROXY_V2_FIXED_LENGTH;
  if (addressLength > 0) {
    const { source, destination } = header;
    if (!source || !destination) throw new ProxyProtocolError('BAD_ADDRESS', `${header.transport} needs source and destination`);
    if (header.transport === 'TCP4' || header.transport === 'UDP4') {
      writeIPv4(out, at, source.address);
      writeIPv4(out, at + 4, destination.address);
      out.writeUInt16BE(checkPort(source.port), at + 8);
      out.writeUInt16BE(checkPort(destination.port), at + 10);
    } else if (header.transport === 'TCP6' || header.transport === 'UDP6') {
      ipv6Bytes(source.address).copy(out, at);
      ipv6Bytes(destination.address).copy(out, at + 16);
      out.writeUInt16BE(checkPort(source.port), at + 32);
      out.writeUInt16BE(checkPort(destination.port), at + 34);
    } else {
      writeUnixPath(out, at, source.address);
      writeUnixPath(out, at + 108, destination.address);
    }
    at += addressLength;
  }
  for (const tlv of header.tlvs) {
    if (tlv.type < 0 || tlv.type > 0xff) throw new ProxyProtocolError('BAD_TLV', `TLV type ${tlv.type} is not a byte`);
    out[at] = tlv.type;
    out.writeUInt16BE(tlv.value.length, at + 1);
    tlv.value.copy(out, at + 3);
    at += 3 + tlv.value.length;
  }
  return out;
}

/** Result of decoding from the front of a buffer: the header and how many bytes it took. */
export interface DecodedProxyHeader {
  header: ProxyHeader;
  length: number;
}

/**
 * Decodes a v2 header from the start of `bytes`. Returns `undefined` while the bytes are a valid
 * but incomplete prefix (read more), and throws ProxyProtocolError as soon as they cannot be a v2
 * header — garbage is rejected on its first wrong byte, without waiting for more data.
 */
export function decodeProxyV2(bytes: Buffer): DecodedProxyHeader | undefined {
  const signatureBytes = Math.min(bytes.length, PROXY_V2_SIGNATURE.length);
  for (let i = 0; i < signatureBytes; i++) {
    if (bytes[i] !== PROXY_V2_SIGNATURE[i]) {
      throw new ProxyProtocolError('BAD_SIGNATURE', 'connection did not start with a PROXY protocol v2 signature');
    }
  }
  if (bytes.length < 13) return undefined;
  const versionCommand = bytes.readUInt8(12);
  if (versionCommand >> 4 !== 2) throw new ProxyProtocolError('BAD_VERSION', `PROXY protocol version ${versionCommand >> 4} (expected 2)`);
  const commandNibble = versionCommand & 0x0f;
  if (commandNibble > 1) throw new ProxyProtocolError('BAD_COMMAND', `PROXY protocol command ${commandNibble} is neither LOCAL nor PROXY`);
  const command: ProxyCommand = commandNibble === 1 ? 'PROXY' : 'LOCAL';
  if (bytes.length < 14) return undefined;
  const transportByte = bytes.readUInt8(13);
  const transport = TRANSPORT_BY_BYTE.get(transportByte);
  if (!transport) throw new ProxyProtocolError('BAD_FAMILY', `PROXY protocol family/transport byte 0x${transportByte.toString(16)} is unknown`);
  if (bytes.length < PROXY_V2_FIXED_LENGTH) return undefined;
  const bodyLength = bytes.readUInt16BE(14);
  const addressLength = ADDRESS_LENGTH[transport];
  if (bodyLength < addressLength) {
    throw new ProxyProtocolError('BAD_LENGTH', `PROXY header length ${bodyLength} is shorter than a ${transport} address block (${addressLength})`);
  }
  const total = PROXY_V2_FIXED_LENGTH + bodyLength;
  if (bytes.length < total) return undefined;

  const header: ProxyHeader = { command, transport, tlvs: [] };
  const at = PROXY_V2_FIXED_LENGTH;
  if (transport === 'TCP4' || transport === 'UDP4') {
    header.source = { address: readIPv4(bytes, at), port: bytes.readUInt16BE(at + 8) };
    header.destination = { address: readIPv4(bytes, at + 4), port: bytes.readUInt16BE(at + 10) };
  } else if (transport === 'TCP6' || transport === 'UDP6') {
    header.source = { address: bytesToIpv6(bytes.subarray(at, at + 16)), port: bytes.readUInt16BE(at + 32) };
    header.destination = { address: bytesToIpv6(bytes.subarray(at + 16, at + 32)), port: bytes.readUInt16BE(at + 34) };
  } else if (transport === 'UNIX_STREAM' || transport === 'UNIX_DGRAM') {
    header.source = { address: readUnixPath(bytes, at), port: 0 };
    header.destination = { address: readUnixPath(bytes, at + 108), port: 0 };
  }
  let tlvAt = at + addressLength;
  while (tlvAt < total) {
    if (total - tlvAt < 3) throw new ProxyProtocolError('BAD_TLV', 'truncated TLV header');
    const type = bytes.readUInt8(tlvAt);
    const length = bytes.readUInt16BE(tlvAt + 1);
    if (tlvAt + 3 + length > total) throw new ProxyProtocolError('BAD_TLV', `TLV 0x${type.toString(16)} overruns the header`);
    header.tlvs.push({ type, value: Buffer.from(bytes.subarray(tlvAt + 3, tlvAt + 3 + length)) });
    tlvAt += 3 + length;
  }
  return { header, length: total };
}

/**
 * Incremental decoder for a header arriving in pieces. `push` each chunk in order: it returns
 * `undefined` until the header is complete, then the header and the bytes after it (`rest`,
 * application data that arrived in the same chunk). Throws ProxyProtocolError on garbage. Not
 * reusable once it has returned a header. Linear in the bytes pushed: once the 16 fixed bytes
 * give the header's length (at most 65,551 bytes), chunks are only collected until it is there.
 */
export class ProxyV2Parser {
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  /** The whole header's length, once the fixed part has been read. */
  private needed: number | undefined;

  push(chunk: Buffer): { header: ProxyHeader; rest: Buffer } | undefined {
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
    if (this.needed === undefined) {
      // Still in the first 16 bytes: check them as they come, so garbage fails on its first wrong byte.
      const prefix = this.joined();
      const decoded = decodeProxyV2(prefix);
      if (decoded) return this.finish(prefix, decoded);
      if (prefix.length < PROXY_V2_FIXED_LENGTH) return undefined;
      this.needed = PROXY_V2_FIXED_LENGTH + prefix.readUInt16BE(14);
    }
    if (this.bufferedBytes < this.needed) return undefined;
    const all = this.joined();
    const decoded = decodeProxyV2(all);
    if (!decoded) throw new ProxyProtocolError('BAD_LENGTH', 'PROXY header incomplete at its announced length');
    return this.finish(all, decoded);
  }

  private joined(): Buffer {
    const [only] = this.chunks;
    const all = only && this.chunks.length === 1 ? only : Buffer.concat(this.chunks, this.bufferedBytes);
    this.chunks = [all];
    return all;
  }

  private finish(all: Buffer, decoded: DecodedProxyHeader): { header: ProxyHeader; rest: Buffer } {
    this.chunks = [];
    this.bufferedBytes = 0;
    return { header: decoded.header, rest: all.subarray(decoded.length) };
  }
}

export interface ReadProxyHeaderOptions {
  /** Give up (ProxyProtocolError 'TIMEOUT') when the header is not complete after this long. Default 5000. */
  timeoutMs?: number;
}

/**
 * Reads a v2 header off the first bytes of `socket` (however they are split into chunks).
 * Resolves with the header and `rest`, the bytes that followed it in the last chunk; the socket is
 * left paused with no listeners of ours, so the caller decides what to do with `rest` (feed its
 * own parser, or `socket.unshift(rest)`). Rejects with ProxyProtocolError on garbage ('BAD_…'),
 * on timeout ('TIMEOUT'), or when the socket ends or fails first ('CLOSED'); it never destroys
 * the socket itself — the caller does.
 */
export function readProxyHeader(socket: Socket, options: ReadProxyHeaderOptions = {}): Promise<{ header: ProxyHeader; rest: Buffer }> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const parser = new ProxyV2Parser();
  return new Promise((resolve, reject) => {
    let settled = false;
    const cleanup = (): void => {
      settled = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onClosed);
      socket.off('close', onClosed);
      socket.off('error', onError);
      socket.pause();
    };
    const fail = (error: Error): void => {
      if (settled) return;
      cleanup();
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      let result: { header: ProxyHeader; rest: Buffer } | undefined;
      try {
        result = parser.push(chunk);
      } catch (error) {
        fail(error as Error);
        return;
      }
      if (result) {
        cleanup();
        resolve(result);
      }
    };
    const onClosed = (): void => fail(new ProxyProtocolError('CLOSED', 'connection closed before a complete PROXY header arrived'));
    const onError = (error: Error): void => fail(new ProxyProtocolError('CLOSED', `connection failed before a complete PROXY header arrived: ${error.message}`));
    const timer = setTimeout(() => fail(new ProxyProtocolError('TIMEOUT', `no complete PROXY header within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', onData);
    socket.on('end', onClosed);
    socket.on('close', onClosed);
    socket.on('error', onError);
    socket.resume();
  });
}

/** The AWS VPC-endpoint-id TLV exactly as an NLB sends it: type 0xEA, value = 0x01 + ASCII id. */
export function awsVpceIdTlv(vpceId: string): ProxyTlv {
  return { type: PP2_TYPE_AWS, value: Buffer.concat([Buffer.from([PP2_SUBTYPE_AWS_VPCE_ID]), Buffer.from(vpceId, 'ascii')]) };
}

/** The `vpce-…` id carried by the header, or undefined when it has no AWS VPC-endpoint TLV. */
export function awsVpceIdOf(header: ProxyHeader): string | undefined {
  const tlv = header.tlvs.find((t) => t.type === PP2_TYPE_AWS && t.value[0] === PP2_SUBTYPE_AWS_VPCE_ID);
  return tlv ? tlv.value.subarray(1).toString('ascii') : undefined;
}

/** The Azure Private Link TLV: type 0xEE, value = 0x01 + LinkID as uint32 little-endian. */
export function azureLinkIdTlv(linkId: number): ProxyTlv {
  const value = Buffer.alloc(5);
  value[0] = PP2_SUBTYPE_AZURE_PRIVATEENDPOINT_LINKID;
  value.writeUInt32LE(linkId, 1);
  return { type: PP2_TYPE_AZURE, value };
}

/** The Azure LinkID carried by the header, or undefined. */
export function azureLinkIdOf(header: ProxyHeader): number | undefined {
  const tlv = header.tlvs.find((t) => t.type === PP2_TYPE_AZURE && t.value[0] === PP2_SUBTYPE_AZURE_PRIVATEENDPOINT_LINKID && t.value.length === 5);
  return tlv ? tlv.value.readUInt32LE(1) : undefined;
}

/** The Private Service Connect TLV: type 0xE0, value = the PSC connection id (decimal text) as uint64 big-endian. Throws RangeError for a non-uint64. */
export function gcpPscConnectionIdTlv(pscConnectionId: string): ProxyTlv {
  if (!/^\d{1,20}$/.test(pscConnectionId) || BigInt(pscConnectionId) > 0xffff_ffff_ffff_ffffn) throw new RangeError(`Not a PSC connection id: ${pscConnectionId}`);
  const value = Buffer.alloc(8);
  value.writeBigUInt64BE(BigInt(pscConnectionId));
  return { type: PP2_TYPE_GCP, value };
}

/** The PSC connection id (decimal text) carried by the header, or undefined. */
export function gcpPscConnectionIdOf(header: ProxyHeader): string | undefined {
  const tlv = header.tlvs.find((t) => t.type === PP2_TYPE_GCP && t.value.length === 8);
  return tlv ? tlv.value.readBigUInt64BE(0).toString() : undefined;
}

/**
 * A PROXY header describing an accepted TCP socket as the gateway sees it: source = the client's
 * address, destination = the address the client dialled (the listener). IPv4-mapped IPv6 addresses
 * (`::ffff:a.b.c.d`) are written as IPv4. Returns a LOCAL header when the socket has no addresses
 * (already closed).
 */
export function proxyHeaderForSocket(socket: Socket, tlvs: ProxyTlv[] = []): ProxyHeader {
  const source = normaliseAddress(socket.remoteAddress);
  const destination = normaliseAddress(socket.localAddress);
  if (!source || !destination || socket.remotePort === undefined || socket.localPort === undefined) {
    return { command: 'LOCAL', transport: 'UNSPEC', tlvs };
  }
  if (isIPv4(source) && isIPv4(destination)) {
    return { command: 'PROXY', transport: 'TCP4', source: { address: source, port: socket.remotePort }, destination: { address: destination, port: socket.localPort }, tlvs };
  }
  return {
    command: 'PROXY',
    transport: 'TCP6',
    source: { address: isIPv4(source) ? `::ffff:${source}` : source, port: socket.remotePort },
    destination: { address: isIPv4(destination) ? `::ffff:${destination}` : destination, port: socket.localPort },
    tlvs,
  };
}

function normaliseAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

function ipv6Bytes(address: string): Buffer {
  try {
    return ipv6ToBytes(address);
  } catch (error) {
    throw new ProxyProtocolError('BAD_ADDRESS', (error as Error).message);
  }
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw new ProxyProtocolError('BAD_ADDRESS', `port ${port} out of range`);
  return port;
}

function writeIPv4(out: Buffer, at: number, address: string): void {
  if (!isIPv4(address)) throw new ProxyProtocolError('BAD_ADDRESS', `${address} is not an IPv4 address`);
  address.split('.').forEach((part, i) => (out[at + i] = Number(part)));
}

function readIPv4(bytes: Buffer, at: number): string {
  return `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`;
}

function writeUnixPath(out: Buffer, at: number, path: string): void {
  const bytes = Buffer.from(path, 'utf8');
  if (bytes.length > 107) throw new ProxyProtocolError('BAD_ADDRESS', 'UNIX socket path longer than 107 bytes');
  bytes.copy(out, at);
}

function readUnixPath(bytes: Buffer, at: number): string {
  const field = bytes.subarray(at, at + 108);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? 108 : end).toString('utf8');
}
