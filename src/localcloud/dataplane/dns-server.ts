// Authoritative DNS for the private names: A records for `pl-<n>-<region>.<id>.<domain>`,
// SRV `_mongodb._tcp.<cluster>-pl-<n>.<id>.<domain>` listing host:port per node, and the one TXT
// record drivers accept (`authSource=…&replicaSet=…`). UDP and TCP on the same port. Queries are
// decoded by a strict decoder (bounded work per byte, FORMERR for anything malformed) and replies
// encoded in one linear pass; each connection and datagram costs bounded memory and time. The
// records come from a function the caller supplies, read on every query, so changes apply at once.
import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { decodeDnsQuery, encodeFormatErrorReply, type DnsQuery } from './dns-query-decoder.js';
import { DNS_RCODE, dnsTypeName, encodeDnsReply, type DnsRecord, type DnsRecordType, type DnsReply } from './dns-reply-encoder.js';
import { NO_BUDGET, type OpenFileBudget } from './open-file-budget.js';
import { MAX_TCP_MESSAGE, serveDnsTcpConnection, type DnsTcpCounters, type DnsTcpLimits } from './dns-tcp-connection.js';

export type { DnsRecord, DnsRecordType } from './dns-reply-encoder.js';
/** A question type: one of ours, 'ANY', or another type's name/number (which we have no records of). */
export type DnsQueryType = DnsRecordType | 'ANY' | (string & {});

/**
 * A full answer from a source that knows its zones: `NOERROR` with the records (none = NODATA,
 * e.g. an empty non-terminal, RFC 4592 §2.2.2 / RFC 8020), `NXDOMAIN` (the name is in the zone
 * and does not exist) or `REFUSED` (the name is in none of the server's zones, as an
 * authoritative-only server such as Route 53's answers). `soa` is the zone's SOA, written to the
 * authority section of NODATA and NXDOMAIN replies so resolvers can cache the negative answer
 * (RFC 2308 §3, §5); its TTL is the negative-caching time.
 */
export interface DnsAnswer {
  readonly rcode: 'NOERROR' | 'NXDOMAIN' | 'REFUSED';
  readonly records: readonly DnsRecord[];
  readonly soa?: { readonly zone: string; readonly record: Extract<DnsRecord, { type: 'SOA' }> };
}

/**
 * Where answers come from. Called for each question with the name lower-cased and without a
 * trailing dot. Return a `DnsAnswer`, or in the short form: `undefined` when the name does not
 * exist at all (→ NXDOMAIN), `[]` when it exists but has nothing of that type (→ NOERROR, no
 * answers), else the records (several per query allowed). 'ANY' asks for every record of the
 * name. May be async; a throw → SERVFAIL. `querier` is the address the question came from.
 */
export type DnsRecordSource = (name: string, type: DnsQueryType, querier: string) => DnsRecord[] | DnsAnswer | undefined | Promise<DnsRecord[] | DnsAnswer | undefined>;

export interface DnsServerOptions {
  resolve: DnsRecordSource;
  /** The data plane's open-file budget: each TCP connection holds one file; one that does not fit is reset. Default: none. */
  budget?: OpenFileBudget;
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
  const budget = options.budget ?? NO_BUDGET;
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
  const reply = async (transport: 'udp' | 'tcp', message: Buffer, limit: number, querier: string): Promise<Buffer | undefined> => {
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
    const question = query.questions[0];
    let reply: DnsReply;
    let bytes: Buffer;
    try {
      reply = await answer(query, options.resolve, defaultTtl, querier);
      bytes = encodeDnsReply(reply, transport === 'udp' ? Math.min(Math.max(query.udpPayloadSize ?? CLASSIC_UDP_LIMIT, CLASSIC_UDP_LIMIT), limit) : limit);
    } catch (error) {
      options.onError?.(error as Error);
      reply = { header: query.header, rcode: DNS_RCODE.SERVFAIL, question, answers: [] };
      bytes = encodeDnsReply(reply, limit);
    }
    options.onQuery?.({ transport, name: question.name, type: dnsTypeName(question.type), rcode: reply.rcode, answers: reply.answers.length });
    return bytes;
  };

  for (let attempt = 0; ; attempt++) {
    const tcp = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
      if (!budget.admit(socket)) return;
      tcpSockets.add(socket);
      socket.on('close', () => tcpSockets.delete(socket));
      const querier = socket.remoteAddress ?? '';
      serveDnsTcpConnection(socket, tcpLimits, tcpCounters, (message) => reply('tcp', message, MAX_TCP_MESSAGE, querier));
    });
    tcp.maxConnections = options.tcpMaxConnections ?? 512;
    const udp = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    udp.on('message', (message, peer) => {
      if (udpInFlight >= maxUdpInFlight) {
        udpDropped++;
        return;
      }
      udpInFlight++;
      void reply('udp', message, MAX_UDP_PAYLOAD, peer.address)
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
          await Promise.all([new Promise<void>((resolve) => tcp.close(() => resolve())), new Promise<void>((resolve) => udp.close(() => resolve()))]);
        })();
        return stopped;
      },
    };
  }
}

async function answer(query: DnsQuery, resolve: DnsRecordSource, defaultTtl: number, querier: string): Promise<DnsReply> {
  const question = query.questions[0];
  const reply: DnsReply = { header: query.header, rcode: DNS_RCODE.NOERROR, question, answers: [] };
  if (query.header.opcode !== OPCODE_QUERY) return { ...reply, rcode: DNS_RCODE.NOTIMP };
  const found = await resolve(question.name.toLowerCase(), dnsTypeName(question.type), querier);
  const full: DnsAnswer = found === undefined ? { rcode: 'NXDOMAIN', records: [] } : Array.isArray(found) ? { rcode: 'NOERROR', records: found } : (found as DnsAnswer);
  if (full.rcode === 'REFUSED') return { ...reply, rcode: DNS_RCODE.REFUSED, authoritative: false };
  if (full.rcode === 'NXDOMAIN') reply.rcode = DNS_RCODE.NXDOMAIN;
  for (const record of full.records) reply.answers.push({ name: question.name, ttl: record.ttl ?? defaultTtl, record });
  if (reply.answers.length === 0 && full.soa) {
    // RFC 2308 §3: the SOA's TTL is min(its own TTL, its MINIMUM field).
    const ttl = Math.min(full.soa.record.ttl ?? defaultTtl, full.soa.record.minimum);
    reply.authority = [{ name: full.soa.zone, ttl, record: full.soa.record }];
  }
  return reply;
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
