// What a simulated node answers, as pure functions of its identity and the request: the hello
// document (replica-set member or mongos, in the horizon of the caller's endpoint) and the few
// other commands drivers and shells send on their own. It stores nothing: every data command is
// refused with a message that says so.
import { Long, ObjectId, type Document } from 'bson';

export type SimulatedNodeKind = 'primary' | 'secondary' | 'mongos';

/**
 * The names a replica-set member reports, as seen through one way in (a private endpoint, or the
 * default). A driver replaces its seed list with `hosts` and drops a member whose `me` it cannot
 * reach, so these must be names the client can resolve and connect to.
 */
export interface Horizon {
  /** Every electable member, `host:port`. */
  hosts: string[];
  /** This member, `host:port` (one of `hosts`). */
  me: string;
  /** The primary, `host:port`; absent when there is none. */
  primary?: string;
  /** The members' target names (`node-0`, …), index-aligned with `hosts`, when known. */
  targets?: string[];
}

/**
 * What a node is. A replica-set member's `kind` and `electionId` change when its set elects a
 * new primary (see simulated-replica-set-state.ts); every change bumps `topologyCounter`, as
 * mongod bumps its topologyVersion counter, so awaiting monitors are answered at once.
 */
export interface NodeIdentity {
  kind: SimulatedNodeKind;
  /** Replica-set name (members only). */
  setName?: string;
  setVersion: number;
  /** topologyVersion.processId; also the mongos serviceId in load-balanced mode. */
  processId: ObjectId;
  /** topologyVersion.counter: bumped on every change of role. */
  topologyCounter: number;
  /** The primary's electionId (reported while `kind` is 'primary'). */
  electionId: ObjectId;
  startedAt: Date;
  /** e.g. '7.0.0'. */
  serverVersion: string;
  minWireVersion: number;
  maxWireVersion: number;
}

/** Per-connection facts a reply may depend on. */
export interface ConnectionFacts {
  connectionId: number;
  horizon: Horizon;
  /** Where the client came from, as `ip:port` (the PROXY header's source when there is one). */
  clientAddress: string;
}

const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
const MAX_WRITE_BATCH_SIZE = 100_000;
const LOGICAL_SESSION_TIMEOUT_MINUTES = 30;

/** Server version → the maxWireVersion a real server of that version reports. */
const WIRE_VERSION_BY_SERVER_VERSION: Readonly<Record<string, number>> = { '6.0': 17, '7.0': 21, '8.0': 25 };

const HELLO_NAMES = new Set(['hello', 'isMaster', 'ismaster']);

/** Commands that would read or write data; the simulated node has none and says so. */
const DATA_COMMANDS = new Set([
  'find',
  'insert',
  'update',
  'delete',
  'findAndModify',
  'aggregate',
  'count',
  'distinct',
  'getMore',
  'killCursors',
  'listDatabases',
  'listCollections',
  'listIndexes',
  'create',
  'drop',
  'dropDatabase',
  'createIndexes',
  'dropIndexes',
  'collMod',
  'renameCollection',
  'dbStats',
  'collStats',
  'mapReduce',
  'bulkWrite',
  'commitTransaction',
  'abortTransaction',
  'explain',
  'validate',
  'compact',
]);

const AUTH_COMMANDS = new Set(['saslStart', 'saslContinue', 'authenticate', 'logout']);

/** The command name of a request: the first key of its document. */
export function commandName(command: Document): string {
  return Object.keys(command)[0] ?? '';
}

export function isHelloCommand(name: string): boolean {
  return HELLO_NAMES.has(name);
}

/**
 * The hello / isMaster reply. `legacy` (the request said `isMaster`/`ismaster`) answers with
 * `ismaster` as mongod does; `hello` answers with `isWritablePrimary`.
 */
export function helloReply(node: NodeIdentity, facts: ConnectionFacts, request: Document, now: Date = new Date()): Document {
  const legacy = commandName(request) !== 'hello';
  const writable = node.kind !== 'secondary';
  const reply: Document = {};
  reply.topologyVersion = { processId: node.processId, counter: Long.fromNumber(node.topologyCounter) };
  if (node.kind === 'mongos') {
    reply[legacy ? 'ismaster' : 'isWritablePrimary'] = true;
    reply.msg = 'isdbgrid';
    // Load-balancer spec: a server behind a load balancer must return serviceId, or the driver
    // refuses the connection ("the server does not support this mode").
    if (request.loadBalanced === true) reply.serviceId = node.processId;
  } else {
    reply.hosts = facts.horizon.hosts;
    reply.setName = node.setName;
    reply.setVersion = node.setVersion;
    reply[legacy ? 'ismaster' : 'isWritablePrimary'] = writable;
    reply.secondary = !writable;
    if (facts.horizon.primary) reply.primary = facts.horizon.primary;
    reply.me = facts.horizon.me;
    if (node.kind === 'primary') reply.electionId = node.electionId;
    reply.lastWrite = { lastWriteDate: node.startedAt, majorityWriteDate: node.startedAt };
  }
  reply.maxBsonObjectSize = MAX_BSON_OBJECT_SIZE;
  reply.maxMessageSizeBytes = MAX_MESSAGE_SIZE_BYTES;
  reply.maxWriteBatchSize = MAX_WRITE_BATCH_SIZE;
  reply.localTime = now;
  reply.logicalSessionTimeoutMinutes = LOGICAL_SESSION_TIMEOUT_MINUTES;
  reply.connectionId = facts.connectionId;
  reply.minWireVersion = node.minWireVersion;
  reply.maxWireVersion = node.maxWireVersion;
  reply.readOnly = false;
  if (request.helloOk === true) reply.helloOk = true;
  reply.privlinkSimulated = true;
  reply.ok = 1;
  return reply;
}

/** Reply to any command other than hello. */
export function commandReply(node: NodeIdentity, facts: ConnectionFacts, command: Document): Document {
  const name = commandName(command);
  switch (name) {
    case 'ping':
    case 'endSessions':
      return { ok: 1 };
    case 'buildInfo':
    case 'buildinfo':
      return buildInfo(node);
    case 'whatsmyuri':
      return { you: facts.clientAddress, ok: 1 };
    case 'connectionStatus':
      return { authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 };
    case 'getLog':
      return { totalLinesWritten: 0, log: [], ok: 1 };
    case 'getCmdLineOpts':
      return { argv: ['mongod', '--privlink-simulated'], parsed: {}, privlinkSimulated: true, ok: 1 };
    case 'getParameter':
      return command.featureCompatibilityVersion !== undefined
        ? { featureCompatibilityVersion: { version: node.serverVersion.split('.').slice(0, 2).join('.') }, ok: 1 }
        : { ok: 1 };
  }
  if (DATA_COMMANDS.has(name)) {
    return {
      ok: 0,
      errmsg: `privlink simulated node stores nothing: '${name}' is not supported (privlink provides private endpoints; its simulated nodes carry the network path and authentication, not data)`,
      code: 115,
      codeName: 'CommandNotSupported',
    };
  }
  if (AUTH_COMMANDS.has(name)) {
    return { ok: 0, errmsg: 'privlink simulated node has no users: connect without credentials', code: 18, codeName: 'AuthenticationFailed' };
  }
  return { ok: 0, errmsg: `no such command: '${name}'`, code: 59, codeName: 'CommandNotFound' };
}

/** What a node answers to an OP_QUERY that is not a hello (servers ≥ 5.1 refuse them too). */
export function unsupportedOpQueryReply(name: string): Document {
  return { ok: 0, errmsg: `Unsupported OP_QUERY command: ${name}`, code: 352, codeName: 'UnsupportedOpQueryCommand' };
}

function buildInfo(node: NodeIdentity): Document {
  const versionArray = node.serverVersion.split('.').map(Number);
  while (versionArray.length < 4) versionArray.push(0);
  return {
    version: node.serverVersion,
    gitVersion: 'privlink-simulated',
    versionArray,
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    storageEngines: [],
    modules: [],
    javascriptEngine: 'none',
    privlinkSimulated: true,
    ok: 1,
  };
}

/** A fresh identity for a node of `kind`. */
export function newNodeIdentity(kind: SimulatedNodeKind, options: { setName?: string; setVersion?: number; serverVersion?: string; electionId?: ObjectId } = {}): NodeIdentity {
  const serverVersion = options.serverVersion ?? '7.0.0';
  const maxWireVersion = WIRE_VERSION_BY_SERVER_VERSION[serverVersion.split('.').slice(0, 2).join('.')];
  if (maxWireVersion === undefined) throw new Error(`simulated server version ${serverVersion} is not one of ${Object.keys(WIRE_VERSION_BY_SERVER_VERSION).join(', ')}`);
  return {
    kind,
    ...(options.setName !== undefined ? { setName: options.setName } : {}),
    setVersion: options.setVersion ?? 1,
    processId: new ObjectId(),
    topologyCounter: 0,
    electionId: options.electionId ?? electionIdOfTerm(1),
    startedAt: new Date(),
    serverVersion,
    minWireVersion: 0,
    maxWireVersion,
  };
}

/** The electionId a primary elected in `term` reports: mongod's `OID::fromTerm` (0x7fffffff, then the term as 8 bytes). */
export function electionIdOfTerm(term: number): ObjectId {
  return new ObjectId(`7fffffff${term.toString(16).padStart(16, '0')}`);
}
