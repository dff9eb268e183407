// Wire-level behaviour of one simulated node, with hand-built messages (the driver tests are in
// simulated-cluster.test.ts).
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { test } from 'node:test';
import { Long, ObjectId, serialize } from 'bson';
import { decodeReply, encodeOpMsgRequest, encodeOpQuery, MSG_EXHAUST_ALLOWED, MSG_MORE_TO_COME, OP_MSG, OP_REPLY } from './mongo-wire.js';
import { startSimulatedMongod, type SimulatedMongodOptions } from './simulated-mongod.js';
import { awsVpceIdTlv, encodeProxyV2 } from './proxy-protocol.js';
import { Cleanup, dial, readBytes, withTimeout } from './dataplane.test-support.js';

async function readMessage(socket: Socket, timeoutMs = 5000): Promise<ReturnType<typeof decodeReply>> {
  const head = await readBytes(socket, 4, timeoutMs);
  const body = await readBytes(socket, head.readInt32LE(0) - 4, timeoutMs);
  return decodeReply(Buffer.concat([head, body]));
}

async function node(cleanup: Cleanup, options: Partial<SimulatedMongodOptions> = {}) {
  const started = await startSimulatedMongod({ kind: 'primary', setName: 'rs-wire', ...options } as SimulatedMongodOptions);
  cleanup.add(() => started.stop());
  return started;
}

test('the legacy OP_QUERY isMaster handshake gets an OP_REPLY that echoes the request id and describes a primary', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const primary = await node(cleanup, { defaultHorizon: { hosts: ['a:1', 'b:2', 'c:3'], me: 'a:1', primary: 'a:1' } });
  const socket = await dial(primary.port, cleanup);
  socket.write(encodeOpQuery(4242, 'admin.$cmd', { isMaster: 1, helloOk: true, client: { driver: { name: 'probe' } } }));
  const reply = await readMessage(socket);
  assert.equal(reply.header.opCode, OP_REPLY);
  assert.equal(reply.header.responseTo, 4242);
  const hello = reply.document;
  assert.equal(hello.ok, 1);
  assert.equal(hello.ismaster, true);
  assert.equal(hello.secondary, false);
  assert.equal(hello.setName, 'rs-wire');
  assert.equal(hello.setVersion, 1);
  assert.deepEqual(hello.hosts, ['a:1', 'b:2', 'c:3']);
  assert.equal(hello.me, 'a:1');
  assert.equal(hello.primary, 'a:1');
  assert.ok(hello.electionId instanceof ObjectId);
  assert.equal(hello.minWireVersion, 0);
  assert.equal(hello.maxWireVersion, 21);
  assert.equal(hello.maxBsonObjectSize, 16777216);
  assert.equal(hello.maxMessageSizeBytes, 48000000);
  assert.equal(hello.maxWriteBatchSize, 100000);
  assert.equal(hello.logicalSessionTimeoutMinutes, 30);
  assert.ok(hello.localTime instanceof Date);
  assert.equal(typeof hello.connectionId, 'number');
  assert.ok(hello.topologyVersion.processId instanceof ObjectId);
  assert.equal(hello.helloOk, true);
  assert.equal(hello.privlinkSimulated, true);
  // Any other command over OP_QUERY is refused, as by servers ≥ 5.1.
  socket.write(encodeOpQuery(4243, 'admin.$cmd', { ping: 1 }));
  const refused = await readMessage(socket);
  assert.equal(refused.header.responseTo, 4243);
  assert.equal(refused.document.code, 352);
});

test('OP_MSG commands: ping, buildInfo, checksums, kind-1 sections, unknown and data commands', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const secondary = await node(cleanup, { kind: 'secondary' });
  const socket = await dial(secondary.port, cleanup);
  const ask = async (id: number, command: Record<string, unknown>, flags = 0, checksum = false) => {
    socket.write(encodeOpMsgRequest(id, { ...command, $db: 'admin' }, flags, checksum));
    const reply = await readMessage(socket);
    assert.equal(reply.header.opCode, OP_MSG);
    assert.equal(reply.header.responseTo, id);
    return reply.document;
  };
  assert.deepEqual(await ask(1, { ping: 1 }), { ok: 1 });
  assert.deepEqual(await ask(2, { ping: 1 }, 0, true), { ok: 1 }, 'a request with a valid CRC-32C checksum is served');
  const hello = await ask(3, { hello: 1 });
  assert.equal(hello.isWritablePrimary, false);
  assert.equal(hello.secondary, true);
  assert.equal(hello.electionId, undefined, 'only the primary reports an electionId');
  const info = await ask(4, { buildInfo: 1 });
  assert.equal(info.version, '7.0.0');
  assert.deepEqual(info.versionArray, [7, 0, 0, 0]);
  assert.equal(info.privlinkSimulated, true);
  assert.deepEqual(await ask(5, { frobnicate: 1 }), { ok: 0, errmsg: "no such command: 'frobnicate'", code: 59, codeName: 'CommandNotFound' });
  const find = await ask(6, { find: 'orders', filter: {} });
  assert.equal(find.ok, 0);
  assert.equal(find.codeName, 'CommandNotSupported');
  assert.match(find.errmsg, /privlink simulated node stores nothing/);
  assert.deepEqual(await ask(7, { endSessions: [{ id: 1 }] }), { ok: 1 });

  // An insert with its documents in a kind-1 section is parsed (and refused: nothing is stored).
  const body = Buffer.from(serialize({ insert: 'orders', $db: 'shop' }));
  const docs = [Buffer.from(serialize({ _id: 1 })), Buffer.from(serialize({ _id: 2 }))];
  const ident = Buffer.from('documents\0');
  const seqSize = 4 + ident.length + docs[0]!.length + docs[1]!.length;
  const sizeBytes = Buffer.alloc(4);
  sizeBytes.writeInt32LE(seqSize);
  const payload = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), body, Buffer.from([1]), sizeBytes, ident, ...docs]);
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + payload.length, 0);
  header.writeInt32LE(8, 4);
  header.writeInt32LE(OP_MSG, 12);
  socket.write(Buffer.concat([header, payload]));
  const insert = await readMessage(socket);
  assert.equal(insert.header.responseTo, 8);
  assert.equal(insert.document.codeName, 'CommandNotSupported');

  // A request flagged moreToCome expects no reply: the next reply answers the next request.
  socket.write(encodeOpMsgRequest(9, { ping: 1, $db: 'admin' }, MSG_MORE_TO_COME));
  assert.equal((await ask(10, { ping: 1 })).ok, 1);
});

test('a malformed message or a bad checksum closes the connection; the node keeps serving others', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const primary = await node(cleanup);
  const bad = await dial(primary.port, cleanup);
  const closed = new Promise((resolve) => bad.on('close', resolve));
  const junk = Buffer.alloc(16);
  junk.writeInt32LE(3, 0); // impossible length
  bad.write(junk);
  await closed;
  const corrupt = await dial(primary.port, cleanup);
  const corruptClosed = new Promise((resolve) => corrupt.on('close', resolve));
  const message = encodeOpMsgRequest(1, { ping: 1, $db: 'admin' }, 0, true);
  message[message.length - 1]! ^= 0xff;
  corrupt.write(message);
  await corruptClosed;
  const good = await dial(primary.port, cleanup);
  good.write(encodeOpMsgRequest(2, { ping: 1, $db: 'admin' }));
  assert.equal((await readMessage(good)).document.ok, 1);
});

test('an awaitable hello is answered after maxAwaitTimeMS, not at once; exhaust streams replies with moreToCome', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const primary = await node(cleanup);
  const socket = await dial(primary.port, cleanup);
  socket.write(encodeOpMsgRequest(1, { hello: 1, $db: 'admin' }));
  const first = await readMessage(socket);
  const topologyVersion = first.document.topologyVersion;
  assert.ok(Long.isLong(topologyVersion.counter) || typeof topologyVersion.counter === 'number');

  let started = Date.now();
  socket.write(encodeOpMsgRequest(2, { hello: 1, topologyVersion, maxAwaitTimeMS: 300, $db: 'admin' }));
  const awaited = await readMessage(socket);
  const waited = Date.now() - started;
  assert.ok(waited >= 280, `answered after ${waited} ms`);
  assert.equal(awaited.header.responseTo, 2);
  assert.equal(awaited.flagBits & MSG_MORE_TO_COME, 0, 'no moreToCome without exhaustAllowed');

  // A stale topologyVersion (another process) is answered at once.
  started = Date.now();
  socket.write(encodeOpMsgRequest(3, { hello: 1, topologyVersion: { processId: new ObjectId(), counter: Long.fromNumber(0) }, maxAwaitTimeMS: 5000, $db: 'admin' }));
  await readMessage(socket);
  assert.ok(Date.now() - started < 1000);

  // Exhaust: one request, a stream of replies ~maxAwaitTimeMS apart, each flagged moreToCome and
  // answering the previous reply.
  started = Date.now();
  socket.write(encodeOpMsgRequest(4, { hello: 1, topologyVersion, maxAwaitTimeMS: 200, $db: 'admin' }, MSG_EXHAUST_ALLOWED));
  const s1 = await readMessage(socket);
  const s2 = await readMessage(socket);
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 380, `two streamed replies after ${elapsed} ms`);
  assert.equal(s1.header.responseTo, 4);
  assert.equal(s2.header.responseTo, s1.header.requestId);
  assert.ok(s1.flagBits & MSG_MORE_TO_COME);
  assert.ok(s2.flagBits & MSG_MORE_TO_COME);
  // A new request ends the stream and is answered.
  socket.write(encodeOpMsgRequest(5, { ping: 1, $db: 'admin' }));
  const pong = await readMessage(socket);
  assert.equal(pong.header.responseTo, 5);

  // Hanging up during a wait leaves nothing behind: stop() completes promptly.
  socket.write(encodeOpMsgRequest(6, { hello: 1, topologyVersion, maxAwaitTimeMS: 60_000, $db: 'admin' }));
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket.destroy();
  started = Date.now();
  await primary.stop();
  assert.ok(Date.now() - started < 1000);
});

test('a mongos answers isdbgrid without set fields, and a serviceId only to a load-balanced hello', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const mongos = await node(cleanup, { kind: 'mongos', setName: undefined });
  const socket = await dial(mongos.port, cleanup);
  socket.write(encodeOpMsgRequest(1, { hello: 1, $db: 'admin' }));
  const plain = (await readMessage(socket)).document;
  assert.equal(plain.msg, 'isdbgrid');
  assert.equal(plain.isWritablePrimary, true);
  assert.equal(plain.setName, undefined);
  assert.equal(plain.hosts, undefined);
  assert.equal(plain.serviceId, undefined);
  socket.write(encodeOpMsgRequest(2, { hello: 1, loadBalanced: true, $db: 'admin' }));
  const balanced = (await readMessage(socket)).document;
  assert.ok(balanced.serviceId instanceof ObjectId);
});

function lengthHeader(length: number): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(length, 0);
  header.writeInt32LE(1, 4);
  header.writeInt32LE(OP_MSG, 12);
  return header;
}

test('a header claiming more than 48,000,000 bytes, or less than 16, closes the connection at once', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const logs: string[] = [];
  const primary = await node(cleanup, { log: (entry) => logs.push(String(entry.error ?? '')) });
  for (const length of [48_000_001, 2_000_000_000, 15, -5]) {
    const socket = await dial(primary.port, cleanup);
    socket.on('error', () => undefined); // the node may reset it
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(lengthHeader(length));
    await withTimeout(closed, 2000, `waiting for length ${length} to close the connection`);
  }
  assert.ok(logs.some((line) => /invalid message length 48000001/.test(line)));
  const good = await dial(primary.port, cleanup);
  good.write(encodeOpMsgRequest(2, { ping: 1, $db: 'admin' }));
  assert.equal((await readMessage(good)).document.ok, 1, 'the node keeps serving');
});

test('a message trickled slower than the incomplete-message timeout is cut off; an idle connection is kept', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const primary = await node(cleanup, { incompleteMessageTimeoutMs: 300 });
  const idle = await dial(primary.port, cleanup);
  idle.write(encodeOpMsgRequest(1, { ping: 1, $db: 'admin' }));
  assert.equal((await readMessage(idle)).document.ok, 1);
  let idleClosed = false;
  idle.on('close', () => (idleClosed = true));

  const trickler = await dial(primary.port, cleanup);
  trickler.on('error', () => undefined); // the node resets it
  const closed = new Promise((resolve) => trickler.on('close', resolve));
  const message = encodeOpMsgRequest(2, { ping: 1, $db: 'admin' });
  let sent = 0;
  const timer = setInterval(() => {
    if (sent < message.length - 1 && !trickler.destroyed) trickler.write(message.subarray(sent, ++sent));
  }, 40);
  cleanup.add(() => clearInterval(timer));
  await withTimeout(closed, 3000, 'waiting for the trickling connection to be closed');
  assert.ok(sent < message.length, 'closed before the message could complete');
  assert.equal(idleClosed, false, 'a connection idle between messages is kept, as mongod keeps it');
  idle.write(encodeOpMsgRequest(3, { ping: 1, $db: 'admin' }));
  assert.equal((await readMessage(idle)).document.ok, 1);
});

test('a PROXY header that does not complete within its timeout closes the connection', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const primary = await node(cleanup, { proxyProtocol: true, proxyHeaderTimeoutMs: 300 });
  const header = encodeProxyV2({
    command: 'PROXY',
    transport: 'TCP4',
    source: { address: '10.0.0.5', port: 51000 },
    destination: { address: '10.0.1.9', port: 1024 },
    tlvs: [awsVpceIdTlv('vpce-0a1b2c3d4e5f60718')],
  });
  const slow = await dial(primary.port, cleanup);
  slow.on('error', () => undefined); // the node resets it
  const closed = new Promise((resolve) => slow.on('close', resolve));
  let sent = 0;
  const timer = setInterval(() => {
    if (sent < header.length - 1 && !slow.destroyed) slow.write(header.subarray(sent, ++sent));
  }, 40);
  cleanup.add(() => clearInterval(timer));
  await withTimeout(closed, 3000, 'waiting for the slow PROXY header to be closed');
  assert.ok(sent < header.length);

  const prompt = await dial(primary.port, cleanup);
  prompt.write(Buffer.concat([header, encodeOpMsgRequest(4, { ping: 1, $db: 'admin' })]));
  assert.equal((await readMessage(prompt)).document.ok, 1, 'a complete header is accepted');
});

test('a client that floods requests behind an awaitable hello is back-pressured: the node stops reading', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const primary = await node(cleanup);
  const socket = await dial(primary.port, cleanup);
  socket.write(encodeOpMsgRequest(1, { hello: 1, $db: 'admin' }));
  const { topologyVersion } = (await readMessage(socket)).document;
  socket.write(encodeOpMsgRequest(2, { hello: 1, topologyVersion, maxAwaitTimeMS: 10_000, $db: 'admin' }));
  // 48 pings of 1 MB each, queued behind the hello: more than the kernel's socket buffers hold
  // if the node stops reading, cheap for the node to take in if it does not.
  const ping = encodeOpMsgRequest(3, { ping: 1, pad: Buffer.alloc(1024 * 1024), $db: 'admin' });
  const flood = Buffer.concat(Array.from({ length: 48 }, () => ping));
  // In 64 KiB writes, so the client's count of unsent bytes goes down as the node reads.
  for (let at = 0; at < flood.length; at += 64 * 1024) socket.write(flood.subarray(at, at + 64 * 1024));
  // Wait until the client's unsent bytes stop moving (a node that kept reading would take them all).
  const samples: number[] = [];
  while (samples.length < 3 || new Set(samples.slice(-3)).size > 1) {
    if (samples.length > 100 || samples.at(-1) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 300));
    samples.push(socket.writableLength);
  }
  assert.ok(socket.writableLength > 0, 'the node has stopped reading: part of the flood is still on the client side');
  assert.equal(primary.connectionCount, 1, 'the connection is kept (only paused)');
});
