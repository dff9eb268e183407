// Authoritative DNS for the private names (DESIGN.md §7): A records for `pl-<n>-<region>.<id>.<domain>`,
// SRV `_mongodb._tcp.<cluster>-pl-<n>.<id>.<domain>` listing host:port per node, and the one TXT
// record drivers accept (`authSource=…&replicaSet=…`). UDP and TCP on the same port, built on
// dns2 3.0 (3.1 needs Node 22). The records come from a function the caller supplies, read on
// every query, so changes apply at once.
import DNS from 'dns2';
import type { Socket } from 'node:net';

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
  /** Called once per failed query (source threw, bad packet). Must not throw. */
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

const { Packet, TCPServer, UDPServer } = DNS;
type Packet = DNS.Packet;
type TCPServer = DNS.TCPServer;
type UDPServer = DNS.UDPServer;

const TYPE_NAMES = new Map<number, string>(Object.entries(Packet.TYPE).map(([name, code]) => [code as number, name]));
const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4 } as const;
const OPCODE_QUERY = 0;

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
export async function startDnsServer(options: DnsServerOptions): Promise<RunningDnsServer> {
  const address = options.address ?? '127.0.0.1';
  const defaultTtl = options.ttl ?? 60;
  const tcpSockets = new Set<Socket>();

  const handle = (transport: 'udp' | 'tcp', request: Packet, send: (response: Packet) => Promise<Buffer>): void => {
    void answer(request, options.resolve, defaultTtl).then(
      (response) => {
        for (const question of request.questions) {
          options.onQuery?.({ transport, name: question.name, type: TYPE_NAMES.get(question.type) ?? `TYPE${question.type}`, rcode: response.header.rcode, answers: response.answers.length });
        }
        // dns2's TCP send returns nothing, its UDP send a promise: normalise both.
        return Promise.resolve()
          .then(() => send(response))
          .catch((error: Error) => options.onError?.(error));
      },
      (error: Error) => {
        options.onError?.(error);
        const failure = Packet.createResponseFromRequest(request);
        failure.header.rcode = RCODE.SERVFAIL;
        return Promise.resolve()
          .then(() => send(failure))
          .catch(() => undefined);
      },
    );
  };

  for (let attempt = 0; ; attempt++) {
    const tcp = new TCPServer((request, send) => handle('tcp', request, send as (r: Packet) => Promise<Buffer>));
    const udp = new UDPServer({ type: address.includes(':') ? 'udp6' : 'udp4' });
    udp.on('request', (request, send) => handle('udp', request, send as (r: Packet) => Promise<Buffer>));
    for (const server of [tcp, udp]) server.on('requestError', (error: Error) => options.onError?.(error));
    tcp.on('connection', (socket: Socket) => {
      tcpSockets.add(socket);
      socket.on('close', () => tcpSockets.delete(socket));
    });
    const port = await listenTcp(tcp, address, options.port ?? 0);
    try {
      await bindUdp(udp, address, port);
    } catch (error) {
      tcp.close();
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

async function answer(request: Packet, resolve: DnsRecordSource, defaultTtl: number): Promise<Packet> {
  const response = Packet.createResponseFromRequest(request);
  response.header.aa = 1;
  response.header.ra = 0;
  if (request.header.opcode !== OPCODE_QUERY) {
    response.header.rcode = RCODE.NOTIMP;
    return response;
  }
  let nameExists = request.questions.length > 0;
  for (const question of request.questions) {
    const name = question.name.toLowerCase().replace(/\.$/, '');
    const type = TYPE_NAMES.get(question.type) ?? `TYPE${question.type}`;
    const records = await resolve(name, type);
    if (!records) {
      nameExists = false;
      continue;
    }
    for (const record of records) response.answers.push(toResource(question.name, record, defaultTtl));
  }
  if (!nameExists && response.answers.length === 0) response.header.rcode = RCODE.NXDOMAIN;
  return response;
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

function listenTcp(server: TCPServer, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port }, () => {
      server.off('error', reject);
      const info = server.address();
      resolve(typeof info === 'object' && info ? info.port : port);
    });
  });
}

function bindUdp(server: UDPServer, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.bind(port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
