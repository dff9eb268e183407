// Authoritative DNS for the private names (DESIGN.md §7): A records for `pl-<n>-<region>.<id>.<domain>`,
// SRV `_mongodb._tcp.<cluster>-pl-<n>.<id>.<domain>` listing host:port per node, and the one TXT
// record drivers accept (`authSource=…&replicaSet=…`). UDP and TCP on the same port. Queries are
// decoded by our own strict decoder (bounded work per byte, FORMERR for anything malformed) and
// answers encoded with dns2 3.0 (3.1 needs Node 22). The records come from a function the caller
// supplies, read on every query, so changes apply at once.
import DNS from 'dns2';
import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { decodeDnsQuery, encodeFormatErrorReply, type DnsQuery } from './dns-query-decoder.js';
import { MAX_TCP_MESSAGE, serveDnsTcpConnection, type DnsTcpCounters, type DnsTcpLimits } from './dns-tcp-connection.js';

export type DnsRecord =
  | { type: 'A'; address: string; ttl?: number }
  | { type: 'AAAA'; address: string; ttl?: number }
  | { type: 'SRV'; target: string; port: number; priority?: number; weight?: number; ttl?: number }
  /** One TXT record; a string longer than 255 bytes is split into several character-strings. */
  | { type: 'TXT'; data: string | string[]; ttl?: number }
  | { type: 'CNAME'; domain: string; ttl?: number };

export type DnsRecordType = DnsRecord['type'];
/** A question type: one of ours, 'ANY', or another type's name/number (which we have no records of). */
export type DnsQueryType = DnsRecordType | 'ANY' | (string & {});

/**
 * Where answers come from. Called for each question with the name lower-cased and without a
 * trailing dot. Return `undefined` when the name does not exist at all (→ NXDOMAIN), `[]` when it
 * exists but has nothing of that type (→ NOERROR, no answers), else the records (several per
 * query allowed). 'ANY' asks for every record of the name. May be async; a throw → SERVFAIL.
 */
export type DnsRecordSource = (name: string, type: DnsQueryType) => DnsRecord[] | undefined | Promise<DnsRecord[] | undefined>;

export interface DnsServerOptions {
  resolve: DnsRecordSource;
  /** TTL for records that carry none. Default 60 (as Atlas's SRV/TXT). */
  ttl?: number;
  /** Address to bind both transports to. Default '127.0.0.1'. */
  address?: string;
  /** Port for both UDP and TCP; 0 (default) picks one free on both. */
  port?: number;
  /** Queries over UDP being answered at once; more are dropped (the client retries). Default 1024. */
  maxUdpQueriesInFlight?: number;
  /** Close a TCP connection after this long without traffic either way (RFC 7766 §6.2.3). Default 10000. */
  tcpIdleTimeoutMs?: number;
  /** Pipelined queries answered at once per TCP connection; past it the server stops reading. Default 16. */
  tcpMaxQueriesInFlight?: number;
  /** Reply bytes a TCP client may leave unread before the server stops reading its queries. Default 131072. */
  tcpMaxUnreadReplyBytes?: number;
  /** TCP connections open at once; more are refused. Default 512. */
  tcpMaxConnections?: number;
  /**
   * Called once per failed query (the source threw, a reply could not be sent) and for malformed
   * messages at most once per second (all of them are counted in `stats().formatErrors`). Must not throw.
   */
  onError?: (error: Error) => void;
  /** Called for every question answered (for logs and tests). Must not throw. */
  onQuery?: (query: { transport: 'udp' | 'tcp'; name: string; type: string; rcode: number; answers: number }) => void;
}

/** A running server; `stop()` is idempotent. */
export interface RunningDnsServer {
  readonly address: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** What the server refused or cut short since it started. */
export interface DnsServerStats {
  /** Messages that were not well-formed queries (answered FORMERR when their header was readable, else dropped). */
  formatErrors: number;
  /** UDP queries dropped because too many were being answered already. */
  udpDropped: number;
  /** Open TCP connections. */
  tcpConnections: number;
  /** Times a TCP connection stopped reading (too many queries in flight, or replies left unread). */
  tcpReadsPaused: number;
  /** TCP connections closed for idleness. */
  tcpIdleClosed: number;
}

/** What `startDnsServer` returns: a running server plus its counters. */
export interface DnsServerHandle extends RunningDnsServer {
  stats(): DnsServerStats;
}

const { Packet } = DNS;
type Packet = DNS.Packet;

const TYPE_NAMES = new Map<number, string>(Object.entries(Packet.TYPE).map(([name, code]) => [code as number, name]));
const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4 } as const;
const OPCODE_QUERY = 0;
/** RFC 1035 §4.2.1: without EDNS a UDP reply is at most 512 bytes. */
const CLASSIC_UDP_LIMIT = 512;
/** The largest UDP payload over IPv4. */
const MAX_UDP_PAYLOAD = 65_507;

/**
 * A map-backed record source: `staticRecords({ 'a.example': [{ type: 'A', address: '127.0.0.1' }] })`.
 * Keys are matched case-insensitively. The map is read on every query (mutate it to change answers).
 */
export function staticRecords(table: Map<string, DnsRecord[]> | Record<string, DnsRecord[]>): DnsRecordSource {
  const lookup = (name: string): DnsRecord[] | undefined => {
    if (table instanceof Map) {
      for (const [key, records] of table) if (key.toLowerCase().replace(/\.$/, '') === name) return records;
      return undefined;
    }
    for (const [key, records] of Object.entries(table)) if (key.toLowerCase().replace(/\.$/, '') === name) return records;
    return undefined;
  };
  return (name, type) => {
    const records = lookup(name);
    if (!records) return undefined;
    return type === 'ANY' ? records : records.filter((r) => r.type === type || r.type === 'CNAME');
  };
}

/** Starts the server on UDP and TCP (same port) and resolves once both listen. */
export async function startDnsServer(options: DnsServerOptions): Promise<DnsServerHandle> {
  const address = options.address ?? '127.0.0.1';
  const defaultTtl = options.ttl ?? 60;
  const maxUdpInFlight = options.maxUdpQueriesInFlight ?? 1024;
  const tcpLimits: DnsTcpLimits = {
    idleTimeoutMs: options.tcpIdleTimeoutMs ?? 10_000,
    maxQueriesInFlight: options.tcpMaxQueriesInFlight ?? 16,
    maxUnreadReplyBytes: options.tcpMaxUnreadReplyBytes ?? 128 * 1024,
  };
  const tcpCounters: DnsTcpCounters = { readsPaused: 0, idleClosed: 0 };
  const tcpSockets = new Set<Socket>();
  let formatErrors = 0;
  let reportedFormatErrors = 0;
  let lastFormatErrorReport = -Infinity;
  let udpDropped = 0;
  let udpInFlight = 0;

  /** Decodes and answers one message; undefined = send nothing. Never rejects. */
  const reply = async (transport: 'udp' | 'tcp', message: Buffer, limit: number): Promise<Buffer | undefined> => {
    const decoded = decodeDnsQuery(message);
    if (!decoded.ok) {
      formatErrors++;
      // A flood of garbage must not become a flood of log lines: one report per second at most.
      const now = Date.now();
      if (now - lastFormatErrorReport >= 1000) {
        options.onError?.(new Error(`malformed DNS message: ${decoded.reason} (${formatErrors - reportedFormatErrors} since the last report)`));
        lastFormatErrorReport = now;
        reportedFormatErrors = formatErrors;
      }
      return decoded.header && decoded.header.qr === 0 ? encodeFormatErrorReply(decoded.header) : undefined;
    }
    const { query } = decoded;
    if (query.header.qr === 1) return undefined; // a response is never answered (no reflection loops)
    const request = Packet.createResponseFromRequest({ header: query.header, questions: query.questions } as unknown as Packet);
    let response: Packet;
    try {
      response = await answer(request, query, options.resolve, defaultTtl);
    } catch (error) {
      options.onError?.(error as Error);
      response = Packet.createResponseFromRequest(request);
      response.header.rcode = RCODE.SERVFAIL;
    }
    for (const question of query.questions) {
      options.onQuery?.({ transport, name: question.name, type: typeName(question.type), rcode: response.header.rcode, answers: response.answers.length });
    }
    const udpLimit = Math.min(Math.max(query.udpPayloadSize ?? CLASSIC_UDP_LIMIT, CLASSIC_UDP_LIMIT), limit);
    return fitReply(response, transport === 'udp' ? udpLimit : limit);
  };

  for (let attempt = 0; ; attempt++) {
    const tcp = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
      tcpSockets.add(socket);
      socket.on('close', () => tcpSockets.delete(socket));
      serveDnsTcpConnection(socket, tcpLimits, tcpCounters, (message) => reply('tcp', message, MAX_TCP_MESSAGE));
    });
    tcp.maxConnections = options.tcpMaxConnections ?? 512;
    const udp = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    udp.on('message', (message, peer) => {
      if (udpInFlight >= maxUdpInFlight) {
        udpDropped++;
        return;
      }
      udpInFlight++;
      void reply('udp', message, MAX_UDP_PAYLOAD)
        .then((bytes) => {
          if (bytes) udp.send(bytes, peer.port, peer.address, (error) => error && options.onError?.(error));
        })
        .catch((error: Error) => options.onError?.(error))
        .finally(() => udpInFlight--);
    });
    const port = await listenTcp(tcp, address, options.port ?? 0);
    try {
      await bindUdp(udp, address, port);
    } catch (error) {
      tcp.close();
      try {
        udp.close();
      } catch {
        // never bound: nothing to close
      }
      // With port 0, the free TCP port may be taken on UDP: try another pair a few times.
      if ((options.port ?? 0) === 0 && (error as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < 20) continue;
      throw error;
    }
    udp.on('error', (error: Error) => options.onError?.(error));
    tcp.on('error', (error: Error) => options.onError?.(error));
    let stopped: Promise<void> | undefined;
    return {
      address,
      port,
      stats: () => ({ formatErrors, udpDropped, tcpConnections: tcpSockets.size, tcpReadsPaused: tcpCounters.readsPaused, tcpIdleClosed: tcpCounters.idleClosed }),
      stop: () => {
        stopped ??= (async () => {
          for (const socket of tcpSockets) socket.destroy();
          await Promise.all([
            new Promise<void>((resolve) => tcp.close(() => resolve())),
            new Promise<void>((resolve) => udp.close(() => resolve())),
          ]);
        })();
        return stopped;
      },
    };
  }
}

function typeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `TYPE${type}`;
}

async function answer(response: Packet, query: DnsQuery, resolve: DnsRecordSource, defaultTtl: number): Promise<Packet> {
  response.header.aa = 1;
  response.header.ra = 0;
  if (query.header.opcode !== OPCODE_QUERY) {
    response.header.rcode = RCODE.NOTIMP;
    return response;
  }
  let nameExists = query.questions.length > 0;
  for (const question of query.questions) {
    const records = await resolve(question.name.toLowerCase(), typeName(question.type));
    if (!records) {
      nameExists = false;
      continue;
    }
    for (const record of records) response.answers.push(toResource(question.name, record, defaultTtl));
  }
  if (!nameExists && response.answers.length === 0) response.header.rcode = RCODE.NXDOMAIN;
  return response;
}

/**
 * Encodes a reply within `limit` bytes. RFC 1035 §4.2.1: a reply that does not fit has TC set and
 * keeps only its question, so the client retries over TCP.
 */
function fitReply(response: Packet, limit: number): Buffer {
  const bytes = response.toBuffer();
  if (bytes.length <= limit) return bytes;
  const truncated = new Packet();
  truncated.header = new Packet.Header({ ...response.header, tc: 1 });
  truncated.questions = response.questions.slice();
  return truncated.toBuffer().subarray(0, limit);
}

function toResource(name: string, record: DnsRecord, defaultTtl: number): DNS.Packet.Resource {
  const base = { name, class: Packet.CLASS.IN, ttl: record.ttl ?? defaultTtl, type: Packet.TYPE[record.type] };
  let fields: Record<string, unknown>;
  switch (record.type) {
    case 'A':
    case 'AAAA':
      fields = { address: record.address };
      break;
    case 'CNAME':
      fields = { domain: record.domain };
      break;
    case 'SRV':
      fields = { priority: record.priority ?? 0, weight: record.weight ?? 0, port: record.port, target: record.target };
      break;
    case 'TXT':
      fields = { data: (Array.isArray(record.data) ? record.data : [record.data]).flatMap(splitCharacterStrings) };
      break;
  }
  // dns2 encodes answers with its static encoders, which read plain fields (no prototype needed).
  return { ...base, ...fields } as unknown as DNS.Packet.Resource;
}

/** RFC 1035 §3.3: a character-string holds at most 255 bytes. */
function splitCharacterStrings(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 255) parts.push(bytes.subarray(at, at + 255));
  return parts.length > 0 ? parts : [Buffer.alloc(0)];
}

function listenTcp(server: Server, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port }, () => {
      server.off('error', reject);
      const info = server.address();
      resolve(typeof info === 'object' && info ? info.port : port);
    });
  });
}

function bindUdp(socket: DgramSocket, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}
